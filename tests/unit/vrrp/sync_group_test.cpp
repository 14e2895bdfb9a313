// vrrp_sync_group follow rules: a table of member states → orders, and a driver that runs
// real state machines of a group through master/backup/fault changes.
#include "vrrp/sync_group_logic.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "fsm_test_util.h"
#include "vrrp/fsm.h"

namespace vigil::vrrp {
namespace {

using S = State;
using C = SyncCommand;

struct Row {
  const char* name;
  std::vector<SyncMember> members;
  size_t changed;
  std::vector<SyncOrder> orders;
};

std::ostream& operator<<(std::ostream& os, const Row& r) {
  return os << r.name;
}

const Row kRows[] = {
    {"MasterPullsBackupsUp",
     {{S::Master, false}, {S::Backup, false}, {S::Backup, false}},
     0,
     {{1, C::GoMaster}, {2, C::GoMaster}}},
    {"MasterLeavesOtherMastersAlone",
     {{S::Backup, false}, {S::Master, false}, {S::Master, false}},
     1,
     {{0, C::GoMaster}}},
    {"BackupPushesMastersDown",
     {{S::Master, false}, {S::Backup, false}, {S::Master, false}},
     1,
     {{0, C::GoBackup}, {2, C::GoBackup}}},
    {"AllBackupNoOrders", {{S::Backup, false}, {S::Backup, false}}, 0, {}},
    {"OwnFaultPullsEveryoneIntoFault",
     {{S::Fault, true}, {S::Master, false}, {S::Backup, false}},
     0,
     {{1, C::EnterFault}, {2, C::EnterFault}}},
    {"FaultWinsOverAMasterTransition",
     {{S::Master, false}, {S::Fault, true}, {S::Backup, false}},
     0,
     {{0, C::EnterFault}, {2, C::EnterFault}}},
    {"GroupHeldFaultReleasedWhenLastFaultClears",
     {{S::Backup, false}, {S::Fault, false}, {S::Fault, false}},
     0,
     {{1, C::LeaveFault}, {2, C::LeaveFault}}},
    {"GroupStaysFaultWhileAnotherMemberIsFaulty",
     {{S::Fault, false}, {S::Fault, true}, {S::Fault, false}},
     0,
     {}},
    {"InitializeAndStopAreNeverPushed",
     {{S::Master, false}, {S::Initialize, false}, {S::Stop, false}},
     0,
     {}},
    {"FaultWithInitializeMember", {{S::Fault, true}, {S::Initialize, false}}, 0, {}},
    {"OutOfRangeChangedOnlyAppliesFaultRules",
     {{S::Fault, false}, {S::Master, false}},
     7,
     {{0, C::LeaveFault}}},
};

class SyncGroupFollow : public ::testing::TestWithParam<Row> {};

TEST_P(SyncGroupFollow, ProducesOrders) {
  const Row& r = GetParam();
  EXPECT_EQ(sync_group_follow(r.members, r.changed), r.orders);
}

INSTANTIATE_TEST_SUITE_P(Rules, SyncGroupFollow, ::testing::ValuesIn(kRows),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           return std::string(info.param.name);
                         });

TEST(SyncGroup, OrdersMapToStateMachineEvents) {
  EXPECT_TRUE(std::holds_alternative<event::ForceMaster>(to_event(C::GoMaster)));
  EXPECT_TRUE(std::holds_alternative<event::ForceBackup>(to_event(C::GoBackup)));
  EXPECT_TRUE(std::holds_alternative<event::FaultOn>(to_event(C::EnterFault)));
  EXPECT_TRUE(std::holds_alternative<event::FaultOff>(to_event(C::LeaveFault)));
}

// Drives real state machines of one group the way the instance layer will.
class Group {
 public:
  explicit Group(size_t n) {
    for (size_t i = 0; i < n; ++i) {
      FsmConfig c = testing::base_config();
      c.vrid = static_cast<uint8_t>(10 + i);
      fsms_.emplace_back(c);
      own_fault_.push_back(false);
    }
  }
  Fsm& operator[](size_t i) { return fsms_[i]; }

  void feed(size_t i, const Event& ev, MonoTime now) {
    if (std::holds_alternative<event::FaultOn>(ev)) own_fault_[i] = true;
    if (std::holds_alternative<event::FaultOff>(ev)) {
      own_fault_[i] = false;
      // Held down by the group: the state machine stays in Fault until the group clears.
      if (sync_group_fault(members())) {
        follow(i, now);
        return;
      }
    }
    fsms_[i].handle(ev, now);
    follow(i, now);
  }

  std::vector<State> states() const {
    std::vector<State> s;
    for (const auto& f : fsms_) s.push_back(f.state());
    return s;
  }

 private:
  std::vector<SyncMember> members() const {
    std::vector<SyncMember> m;
    for (size_t i = 0; i < fsms_.size(); ++i) m.push_back({fsms_[i].state(), own_fault_[i]});
    return m;
  }
  void follow(size_t changed, MonoTime now) {
    for (const SyncOrder& o : sync_group_follow(members(), changed)) {
      if (fsms_[o.member].handle(to_event(o.command), now).transition) follow(o.member, now);
    }
  }

  std::vector<Fsm> fsms_;
  std::vector<bool> own_fault_;
};

TEST(SyncGroup, MembersFollowMasterBackupAndFault) {
  using std::chrono::seconds;
  using testing::kT0;
  Group g(3);
  for (size_t i = 0; i < 3; ++i) g.feed(i, event::Start{}, kT0);
  EXPECT_EQ(g.states(), (std::vector<State>{S::Backup, S::Backup, S::Backup}));

  // Member 1's down timer runs out first: the others follow it to Master.
  g.feed(1, event::TimerExpired{}, *g[1].next_deadline());
  EXPECT_EQ(g.states(), (std::vector<State>{S::Master, S::Master, S::Master}));

  // Member 2 hears a better master: the group steps down.
  g.feed(2, testing::advert(200), kT0 + seconds(5));
  EXPECT_EQ(g.states(), (std::vector<State>{S::Backup, S::Backup, S::Backup}));

  // Member 0's interface goes down: all go FAULT; member 1 also faults on its own.
  g.feed(0, event::FaultOn{}, kT0 + seconds(6));
  EXPECT_EQ(g.states(), (std::vector<State>{S::Fault, S::Fault, S::Fault}));
  g.feed(1, event::FaultOn{}, kT0 + seconds(6));

  // Member 0 recovers, but member 1 is still faulty: everyone stays in FAULT.
  g.feed(0, event::FaultOff{}, kT0 + seconds(7));
  EXPECT_EQ(g.states(), (std::vector<State>{S::Fault, S::Fault, S::Fault}));

  // The last fault clears: all come back up as Backup.
  g.feed(1, event::FaultOff{}, kT0 + seconds(8));
  EXPECT_EQ(g.states(), (std::vector<State>{S::Backup, S::Backup, S::Backup}));
}

}  // namespace
}  // namespace vigil::vrrp
