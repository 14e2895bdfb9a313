// Table test: every (state, event) pair of the VRRP state machine, with the exact actions,
// next state and next deadline expected. Deadlines are written as literal microsecond
// offsets worked out by hand from the RFC formulas (priority 100, advert_int 1 s, v2):
//   Skew_Time = 156/256 s = 609375 us, Master_Down_Interval = 3 s + Skew_Time = 3609375 us.
#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>

#include "fsm_test_util.h"
#include "vrrp/fsm.h"

// Table rows spell out only the fields that matter; the rest keep their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace vigil::vrrp::testing {
namespace {

constexpr Micros kMdi100{3'609'375};
constexpr Micros kSkew100{609'375};
constexpr Micros kMdi255{3'003'906};  // 3 s + 1/256 s, truncated to whole microseconds
constexpr Micros kAdvert{1'000'000};
constexpr Micros kStep{100'000};  // events arrive 100 ms after the state was reached

struct Options {
  uint8_t priority = 100;
  bool preempt = true;
  bool start_as_master = false;
  bool higher_prio_send_advert = false;
  bool lower_prio_no_advert = false;
};

struct Expect {
  State state;
  std::optional<State> transition;
  bool send_advert = false;
  uint8_t advert_priority = 0;
  bool add = false;
  bool remove = false;
  bool garp = false;
  bool rx_lower = false;
  // Next deadline relative to the event's time; nullopt: no timer.
  std::optional<Micros> deadline_after;
};

struct Row {
  const char* name;
  State from;
  Options opts;
  Event event;
  Expect expect;
};

std::ostream& operator<<(std::ostream& os, const Row& r) {
  return os << r.name;
}

const Row kRows[] = {
    // ---- Initialize ----
    {"InitStartGoesBackupAndWaitsMdi",
     State::Initialize,
     {},
     event::Start{},
     {State::Backup, State::Backup, false, 0, false, false, false, false, kMdi100}},
    {"InitStartOwnerConfiguredMasterGoesMasterAtOnce",
     State::Initialize,
     {.priority = 255, .start_as_master = true},
     event::Start{},
     {State::Master, State::Master, true, 255, true, false, true, false, kAdvert}},
    {"InitStartOwnerConfiguredBackupWaits",
     State::Initialize,
     {.priority = 255},
     event::Start{},
     {State::Backup, State::Backup, false, 0, false, false, false, false, kMdi255}},
    {"InitStartStateMasterBelow255StillWaits",
     State::Initialize,
     {.start_as_master = true},
     event::Start{},
     {State::Backup, State::Backup, false, 0, false, false, false, false, kMdi100}},
    {"InitIgnoresAdvert", State::Initialize, {}, advert(200), {State::Initialize, std::nullopt}},
    {"InitIgnoresTimer",
     State::Initialize,
     {},
     event::TimerExpired{},
     {State::Initialize, std::nullopt}},
    {"InitFaultOnIsRememberedWithoutTransition",
     State::Initialize,
     {},
     event::FaultOn{},
     {State::Initialize, std::nullopt}},
    {"InitShutdownStops", State::Initialize, {}, event::Shutdown{}, {State::Stop, State::Stop}},
    {"InitPriorityChangeNoAction",
     State::Initialize,
     {},
     event::PriorityChanged{50},
     {State::Initialize, std::nullopt}},
    {"InitForceMasterIgnored",
     State::Initialize,
     {},
     event::ForceMaster{},
     {State::Initialize, std::nullopt}},

    // ---- Backup ----
    {"BackupTimeoutBecomesMaster",
     State::Backup,
     {},
     event::TimerExpired{},
     {State::Master, State::Master, true, 100, true, false, true, false, kAdvert}},
    {"BackupAcceptsHigherPriority",
     State::Backup,
     {},
     advert(120),
     {State::Backup, std::nullopt, false, 0, false, false, false, false, kMdi100}},
    {"BackupAcceptsEqualPriorityHigherAddress",
     State::Backup,
     {},
     advert(100, "192.0.2.20"),
     {State::Backup, std::nullopt, false, 0, false, false, false, false, kMdi100}},
    {"BackupAcceptsEqualPriorityLowerAddress",
     State::Backup,
     {},
     advert(100, "192.0.2.5"),
     {State::Backup, std::nullopt, false, 0, false, false, false, false, kMdi100}},
    {"BackupPreemptDiscardsLowerPriority",
     State::Backup,
     {},
     advert(50),
     {State::Backup, std::nullopt, false, 0, false, false, false, false, kMdi100 - kStep}},
    {"BackupNopreemptAcceptsLowerPriority",
     State::Backup,
     {.preempt = false},
     advert(50),
     {State::Backup, std::nullopt, false, 0, false, false, false, false, kMdi100}},
    {"BackupPriorityZeroShortensToSkew",
     State::Backup,
     {},
     advert(0),
     {State::Backup, std::nullopt, false, 0, false, false, false, false, kSkew100}},
    {"BackupFaultOn", State::Backup, {}, event::FaultOn{}, {State::Fault, State::Fault}},
    {"BackupShutdownStopsSilently",
     State::Backup,
     {},
     event::Shutdown{},
     {State::Stop, State::Stop}},
    {"BackupPriorityChangeKeepsTimer",
     State::Backup,
     {},
     event::PriorityChanged{150},
     {State::Backup, std::nullopt, false, 0, false, false, false, false, kMdi100 - kStep}},
    {"BackupForceMaster",
     State::Backup,
     {},
     event::ForceMaster{},
     {State::Master, State::Master, true, 100, true, false, true, false, kAdvert}},
    {"BackupForceBackupIgnored",
     State::Backup,
     {},
     event::ForceBackup{},
     {State::Backup, std::nullopt, false, 0, false, false, false, false, kMdi100 - kStep}},
    {"BackupFaultOffIgnored",
     State::Backup,
     {},
     event::FaultOff{},
     {State::Backup, std::nullopt, false, 0, false, false, false, false, kMdi100 - kStep}},
    {"BackupStartIgnored",
     State::Backup,
     {},
     event::Start{},
     {State::Backup, std::nullopt, false, 0, false, false, false, false, kMdi100 - kStep}},

    // ---- Master ----
    {"MasterTimerSendsAdvert",
     State::Master,
     {},
     event::TimerExpired{},
     {State::Master, std::nullopt, true, 100, false, false, false, false, kAdvert}},
    {"MasterHigherPriorityStepsDown",
     State::Master,
     {},
     advert(120),
     {State::Backup, State::Backup, false, 0, false, true, false, false, kMdi100}},
    {"MasterHigherPriorityWithHigherPrioSendAdvert",
     State::Master,
     {.higher_prio_send_advert = true},
     advert(120),
     {State::Backup, State::Backup, true, 100, false, true, false, false, kMdi100}},
    {"MasterEqualPriorityHigherAddressStepsDown",
     State::Master,
     {},
     advert(100, "192.0.2.20"),
     {State::Backup, State::Backup, false, 0, false, true, false, false, kMdi100}},
    {"MasterEqualPriorityLowerAddressAnswers",
     State::Master,
     {},
     advert(100, "192.0.2.5"),
     {State::Master, std::nullopt, true, 100, false, false, false, true, kAdvert}},
    {"MasterLowerPriorityAnswersAtOnce",
     State::Master,
     {},
     advert(50),
     {State::Master, std::nullopt, true, 100, false, false, false, true, kAdvert}},
    {"MasterLowerPriorityNoAdvertOption",
     State::Master,
     {.lower_prio_no_advert = true},
     advert(50),
     {State::Master, std::nullopt, false, 0, false, false, false, true, kAdvert - kStep}},
    {"MasterPriorityZeroReadvertises",
     State::Master,
     {},
     advert(0),
     {State::Master, std::nullopt, true, 100, false, false, false, false, kAdvert}},
    {"MasterIgnoresOwnLoopedAdvert",
     State::Master,
     {},
     advert(100, "192.0.2.10"),
     {State::Master, std::nullopt, false, 0, false, false, false, false, kAdvert - kStep}},
    {"MasterFaultOnSendsPriorityZero",
     State::Master,
     {},
     event::FaultOn{},
     {State::Fault, State::Fault, true, 0, false, true}},
    {"MasterShutdownSendsPriorityZero",
     State::Master,
     {},
     event::Shutdown{},
     {State::Stop, State::Stop, true, 0, false, true}},
    {"MasterPriorityDropAdvertisesAtOnce",
     State::Master,
     {},
     event::PriorityChanged{90},
     {State::Master, std::nullopt, true, 90, false, false, false, false, kAdvert}},
    {"MasterForceBackup",
     State::Master,
     {},
     event::ForceBackup{},
     {State::Backup, State::Backup, false, 0, false, true, false, false, kMdi100}},
    {"MasterForceMasterIgnored",
     State::Master,
     {},
     event::ForceMaster{},
     {State::Master, std::nullopt, false, 0, false, false, false, false, kAdvert - kStep}},
    {"MasterFaultOffIgnored",
     State::Master,
     {},
     event::FaultOff{},
     {State::Master, std::nullopt, false, 0, false, false, false, false, kAdvert - kStep}},

    // ---- Fault ----
    {"FaultOffGoesBackup",
     State::Fault,
     {},
     event::FaultOff{},
     {State::Backup, State::Backup, false, 0, false, false, false, false, kMdi100}},
    {"FaultOffOwnerGoesMaster",
     State::Fault,
     {.priority = 255, .start_as_master = true},
     event::FaultOff{},
     {State::Master, State::Master, true, 255, true, false, true, false, kAdvert}},
    {"FaultIgnoresAdvert", State::Fault, {}, advert(0), {State::Fault, std::nullopt}},
    {"FaultIgnoresTimer", State::Fault, {}, event::TimerExpired{}, {State::Fault, std::nullopt}},
    {"FaultShutdownStops", State::Fault, {}, event::Shutdown{}, {State::Stop, State::Stop}},
    {"FaultForceMasterIgnored",
     State::Fault,
     {},
     event::ForceMaster{},
     {State::Fault, std::nullopt}},
    {"FaultFaultOnAgainNoop", State::Fault, {}, event::FaultOn{}, {State::Fault, std::nullopt}},

    // ---- Stop ----
    {"StopIgnoresStart", State::Stop, {}, event::Start{}, {State::Stop, std::nullopt}},
    {"StopIgnoresAdvert", State::Stop, {}, advert(200), {State::Stop, std::nullopt}},
    {"StopIgnoresFaultOff", State::Stop, {}, event::FaultOff{}, {State::Stop, std::nullopt}},
    {"StopIgnoresShutdown", State::Stop, {}, event::Shutdown{}, {State::Stop, std::nullopt}},
};

class FsmTransition : public ::testing::TestWithParam<Row> {};

TEST_P(FsmTransition, ProducesExpectedActionsStateAndDeadline) {
  const Row& row = GetParam();
  FsmConfig cfg = base_config();
  cfg.priority = row.opts.priority;
  cfg.preempt = row.opts.preempt;
  cfg.start_as_master = row.opts.start_as_master;
  cfg.higher_prio_send_advert = row.opts.higher_prio_send_advert;
  cfg.lower_prio_no_advert = row.opts.lower_prio_no_advert;
  Fsm fsm(cfg);
  MonoTime reached = drive_to(fsm, row.from);
  ASSERT_EQ(fsm.state(), row.from);

  // A timer event is delivered exactly at the deadline; anything else a little later.
  MonoTime now = reached + kStep;
  if (std::holds_alternative<event::TimerExpired>(row.event) && fsm.next_deadline())
    now = *fsm.next_deadline();

  Actions a = fsm.handle(row.event, now);
  const Expect& e = row.expect;
  EXPECT_EQ(fsm.state(), e.state);
  EXPECT_EQ(a.transition, e.transition);
  EXPECT_EQ(a.send_advert, e.send_advert);
  if (e.send_advert) {
    EXPECT_EQ(int(a.advert_priority), int(e.advert_priority));
  }
  EXPECT_EQ(a.add_addresses, e.add);
  EXPECT_EQ(a.remove_addresses, e.remove);
  EXPECT_EQ(a.send_garp, e.garp);
  EXPECT_EQ(a.master_rx_lower_priority, e.rx_lower);
  if (e.deadline_after) {
    ASSERT_TRUE(fsm.next_deadline());
    EXPECT_EQ(*fsm.next_deadline() - now, *e.deadline_after);
  } else {
    EXPECT_FALSE(fsm.next_deadline());
  }
  if (a.transition) {
    EXPECT_FALSE(a.reason.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(AllPairs, FsmTransition, ::testing::ValuesIn(kRows),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace vigil::vrrp::testing
