#include "vrrp/instance.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vigil::vrrp {
namespace {

// Records every effect as a line, so tests read like a log of what the runtime would do.
class RecordingIo : public InstanceIo {
 public:
  std::vector<std::string> log;
  std::optional<MonoTime> deadline;
  void send_advert(Instance&, uint8_t prio) override {
    log.push_back("advert " + std::to_string(prio));
  }
  void set_addresses(Instance&, bool present) override {
    log.push_back(present ? "add" : "remove");
  }
  void announce(Instance&) override { log.push_back("garp"); }
  void notify(Instance&, State s, uint8_t prio) override {
    log.push_back("notify " + std::string(to_string(s)) + " " + std::to_string(prio));
  }
  void arm_timer(Instance&, std::optional<MonoTime> d) override { deadline = d; }
  void master_rx_lower_priority(Instance&) override { log.push_back("rx lower"); }
  int own_fault_changes = 0;
  void own_fault_changed(Instance&) override { ++own_fault_changes; }
  std::vector<std::string> priorities;  // priority_changed() calls, apart from `log`
  void priority_changed(Instance&, State s, uint8_t from, uint8_t to) override {
    priorities.push_back(std::string(to_string(s)) + " " + std::to_string(from) + "->" +
                         std::to_string(to));
    log.push_back("priority " + std::to_string(to));
  }
};

FsmConfig config(uint8_t prio) {
  FsmConfig c;
  c.vrid = 51;
  c.priority = prio;
  c.primary_address = *IpAddress::parse("192.0.2.1");
  return c;
}

InstanceWire wire() {
  InstanceWire w;
  w.advert_addresses = {*IpAddress::parse("192.0.2.100")};
  return w;
}

Decoded advert_from(const char* src, uint8_t prio) {
  Decoded d;
  d.advert.vrid = 51;
  d.advert.priority = prio;
  d.advert.interval_cs = 100;
  d.advert.addresses = {*IpAddress::parse("192.0.2.100")};
  d.src = *IpAddress::parse(src);
  return d;
}

const MonoTime t0{};

TEST(Instance, BecomesMasterAfterDownIntervalAndAnnounces) {
  RecordingIo io;
  Instance inst("VI_1", config(100), wire(), io);
  inst.start(t0);
  EXPECT_EQ(inst.state(), State::Backup);
  EXPECT_EQ(io.log, (std::vector<std::string>{"notify BACKUP 100"}));
  ASSERT_TRUE(io.deadline);
  io.log.clear();
  inst.on_timer(*io.deadline);
  EXPECT_EQ(inst.state(), State::Master);
  EXPECT_EQ(io.log, (std::vector<std::string>{"advert 100", "add", "garp", "notify MASTER 100"}));
  EXPECT_EQ(inst.counters().became_master, 1u);
  EXPECT_EQ(inst.counters().adverts_sent, 1u);
  ASSERT_TRUE(inst.last_transition());
  EXPECT_EQ(inst.last_transition()->from, State::Backup);
}

TEST(Instance, HigherPriorityAdvertMakesMasterStepDown) {
  RecordingIo io;
  Instance inst("VI_1", config(100), wire(), io);
  inst.start(t0);
  inst.on_timer(*io.deadline);
  io.log.clear();
  inst.on_advert(advert_from("192.0.2.2", 150), *io.deadline);
  EXPECT_EQ(inst.state(), State::Backup);
  EXPECT_EQ(io.log, (std::vector<std::string>{"remove", "notify BACKUP 100"}));
  EXPECT_EQ(inst.counters().released_master, 1u);
  EXPECT_EQ(inst.counters().adverts_received, 1u);
}

TEST(Instance, MasterHearingLowerPriorityAnswersAndReportsIt) {
  RecordingIo io;
  Instance inst("VI_1", config(100), wire(), io);
  inst.start(t0);
  inst.on_timer(*io.deadline);
  io.log.clear();
  // Another node took over during a partition; once healed its adverts reach us.
  inst.on_advert(advert_from("192.0.2.2", 99), *io.deadline);
  EXPECT_EQ(inst.state(), State::Master);
  EXPECT_EQ(io.log, (std::vector<std::string>{"advert 100", "rx lower"}));
}

TEST(Instance, LinkFaultRemovesAddressesAndRecoveryReelects) {
  RecordingIo io;
  Instance inst("VI_1", config(100), wire(), io);
  inst.start(t0);
  inst.on_timer(*io.deadline);
  io.log.clear();
  inst.set_link_fault(true, t0 + Micros(5'000'000), "eth0 down");
  EXPECT_EQ(inst.state(), State::Fault);
  EXPECT_EQ(inst.fault_reason(), "eth0 down");
  EXPECT_EQ(io.log, (std::vector<std::string>{"advert 0", "remove", "notify FAULT 100"}));
  EXPECT_FALSE(io.deadline);
  io.log.clear();
  inst.set_link_fault(false, t0 + Micros(6'000'000), "");
  EXPECT_EQ(inst.state(), State::Backup);
  EXPECT_EQ(io.log, (std::vector<std::string>{"notify BACKUP 100"}));
}

TEST(Instance, FailingTrackScriptLowersPriorityAndWeightZeroFaults) {
  RecordingIo io;
  Instance inst("VI_1", config(100), wire(), io);
  inst.start(t0);
  inst.on_timer(*io.deadline);
  io.log.clear();
  std::vector<TrackedItem> items{{TrackKind::Script, "chk_down", -10, false, false, 0}};
  inst.update_tracking(items, t0 + Micros(4'000'000));
  EXPECT_EQ(inst.fsm().effective_priority(), 90);
  EXPECT_EQ(io.log, (std::vector<std::string>{"priority 90", "advert 90"}));
  items = {{TrackKind::Script, "chk_nginx", 0, false, false, 0}};
  inst.update_tracking(items, t0 + Micros(5'000'000));
  EXPECT_EQ(inst.state(), State::Fault);
  EXPECT_EQ(inst.fault_reason(), "tracked chk_nginx failed");
}

TEST(Instance, PriorityChangesAreReportedWithTheStateTheyHappenIn) {
  RecordingIo io;
  Instance inst("VI_1", config(100), wire(), io);
  // Before start: the starting priority, not a change anyone is told about.
  std::vector<TrackedItem> items{{TrackKind::File, "f", 1, false, true, 5}};
  inst.update_tracking(items, t0);
  EXPECT_TRUE(io.priorities.empty());
  inst.start(t0);
  // A master at 150 holds us in Backup; our priority rises above it: the change is reported
  // (as Backup) before the takeover it causes.
  inst.on_advert(advert_from("192.0.2.2", 150), t0 + Micros(100'000));
  io.log.clear();
  items[0].value = 60;
  inst.update_tracking(items, t0 + Micros(200'000));
  EXPECT_EQ(io.priorities, (std::vector<std::string>{"BACKUP 105->160"}));
  ASSERT_FALSE(io.log.empty());
  EXPECT_EQ(io.log.front(), "priority 160");
  inst.on_timer(*io.deadline);
  ASSERT_EQ(inst.state(), State::Master);
  items[0].value = -3;
  inst.update_tracking(items, *io.deadline);
  // Same items again: no change, nothing reported.
  inst.update_tracking(items, *io.deadline);
  // A weight-0 item in Fault keeps the priority; a change while in Fault is reported as Fault.
  items.push_back({TrackKind::Script, "chk", 0, false, false, 0});
  inst.update_tracking(items, *io.deadline);
  ASSERT_EQ(inst.state(), State::Fault);
  items[0].value = 0;
  inst.update_tracking(items, *io.deadline);
  EXPECT_EQ(io.priorities,
            (std::vector<std::string>{"BACKUP 105->160", "MASTER 160->97", "FAULT 97->100"}));
}

TEST(Instance, OwnFaultIsAFlagApartFromTheGroupHold) {
  RecordingIo io;
  Instance inst("VI_1", config(100), wire(), io);
  inst.start(t0);
  inst.set_group_fault(true, t0);
  EXPECT_EQ(inst.state(), State::Fault);
  EXPECT_FALSE(inst.own_fault());
  EXPECT_EQ(io.own_fault_changes, 0);
  // Its own fault appears and clears while the group holds it: the state stays Fault, but
  // the group is told both times so it can re-evaluate.
  inst.set_link_fault(true, t0, "eth0 down");
  EXPECT_TRUE(inst.own_fault());
  inst.set_link_fault(false, t0, "");
  EXPECT_FALSE(inst.own_fault());
  EXPECT_EQ(inst.state(), State::Fault);
  EXPECT_EQ(io.own_fault_changes, 2);
  inst.set_group_fault(false, t0);
  EXPECT_EQ(inst.state(), State::Backup);
}

TEST(Instance, TrackingBeforeStartSetsStartingPriority) {
  RecordingIo io;
  Instance inst("VI_1", config(100), wire(), io);
  std::vector<TrackedItem> items{{TrackKind::File, "f", 5, false, true, 2}};
  inst.update_tracking(items, t0);
  EXPECT_TRUE(io.log.empty());
  inst.start(t0);
  EXPECT_EQ(inst.fsm().effective_priority(), 110);
}

TEST(Instance, ShutdownFromMasterSendsPriorityZero) {
  RecordingIo io;
  Instance inst("VI_1", config(100), wire(), io);
  inst.start(t0);
  inst.on_timer(*io.deadline);
  io.log.clear();
  inst.shutdown(t0 + Micros(10'000'000));
  EXPECT_EQ(inst.state(), State::Stop);
  EXPECT_EQ(io.log, (std::vector<std::string>{"advert 0", "remove", "notify STOP 100"}));
  EXPECT_EQ(inst.counters().priority_zero_sent, 1u);
}

TEST(Instance, RxConfigCarriesV2IntervalAndAuth) {
  RecordingIo io;
  InstanceWire w = wire();
  w.auth = AuthType::Pass;
  w.auth_pass = "secret";
  Instance inst("VI_1", config(100), w, io);
  RxConfig rx = inst.rx_config();
  EXPECT_EQ(rx.vrid, 51);
  EXPECT_EQ(rx.v2_interval_cs, 100);
  EXPECT_EQ(rx.auth, AuthType::Pass);
}

}  // namespace
}  // namespace vigil::vrrp
