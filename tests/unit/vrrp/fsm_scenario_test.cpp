// Multi-step scenarios of the VRRP state machine: timer arithmetic (v2/v3, learnt intervals),
// preempt / nopreempt / preempt_delay, shutdown hand-over and priority changes, including a
// small simulated LAN where several state machines exchange adverts under a fake clock.
#include <gtest/gtest.h>

#include <deque>
#include <vector>

#include "fsm_test_util.h"
#include "vrrp/fsm.h"

namespace vigil::vrrp::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// ---- timer arithmetic ---------------------------------------------------------------------

TEST(FsmTimers, V2SkewAndMasterDownIntervalFollowRfc3768) {
  // (256 - 100) / 256 s = 0.609375 s
  EXPECT_EQ(skew_time(FsmVersion::V2, 100, seconds(1)), Micros(609'375));
  EXPECT_EQ(master_down_interval(FsmVersion::V2, 100, seconds(1)), Micros(3'609'375));
  // v2 skew does not scale with the interval
  EXPECT_EQ(skew_time(FsmVersion::V2, 100, seconds(5)), Micros(609'375));
  EXPECT_EQ(master_down_interval(FsmVersion::V2, 100, seconds(5)), Micros(15'609'375));
  EXPECT_EQ(skew_time(FsmVersion::V2, 255, seconds(1)), Micros(3'906));  // 1/256 s
  EXPECT_EQ(skew_time(FsmVersion::V2, 1, seconds(1)), Micros(996'093));  // 255/256 s
}

TEST(FsmTimers, V3SkewScalesWithMasterAdverInterval) {
  // ((256 - 100) * 50 cs) / 256 = 30.46875 cs
  EXPECT_EQ(skew_time(FsmVersion::V3, 100, milliseconds(500)), Micros(304'687));
  EXPECT_EQ(master_down_interval(FsmVersion::V3, 100, milliseconds(500)), Micros(1'804'687));
  EXPECT_EQ(master_down_interval(FsmVersion::V3, 200, seconds(2)), Micros(6'437'500));
}

TEST(FsmTimers, DownTimerAdvertsReplacesTheFactorThree) {
  EXPECT_EQ(master_down_interval(FsmVersion::V2, 100, seconds(1), 5), Micros(5'609'375));
}

TEST(FsmTimers, TieBreakUsesPriorityThenSourceAddress) {
  const IpAddress me = addr("192.0.2.10");
  EXPECT_TRUE(advert_wins(101, addr("192.0.2.1"), 100, me));
  EXPECT_FALSE(advert_wins(99, addr("192.0.2.99"), 100, me));
  EXPECT_TRUE(advert_wins(100, addr("192.0.2.11"), 100, me));
  EXPECT_FALSE(advert_wins(100, addr("192.0.2.9"), 100, me));
  EXPECT_FALSE(advert_wins(100, me, 100, me));
}

TEST(FsmTimers, V3BackupLearnsTheMastersInterval) {
  FsmConfig cfg = base_config();
  cfg.version = FsmVersion::V3;
  Fsm fsm(cfg);
  fsm.handle(event::Start{}, kT0);
  EXPECT_EQ(fsm.master_down_interval(), Micros(3'609'375));
  const MonoTime t = kT0 + milliseconds(300);
  fsm.handle(advert(150, "192.0.2.20", milliseconds(500)), t);
  EXPECT_EQ(fsm.master_advert_interval(), milliseconds(500));
  EXPECT_EQ(*fsm.next_deadline() - t, Micros(1'804'687));
}

TEST(FsmTimers, V2IgnoresTheAdvertisedInterval) {
  Fsm fsm(base_config());
  fsm.handle(event::Start{}, kT0);
  const MonoTime t = kT0 + milliseconds(300);
  fsm.handle(advert(150, "192.0.2.20", seconds(3)), t);
  EXPECT_EQ(fsm.master_advert_interval(), seconds(1));
  EXPECT_EQ(*fsm.next_deadline() - t, Micros(3'609'375));
}

TEST(FsmTimers, V3MasterSteppingDownUsesTheWinnersInterval) {
  FsmConfig cfg = base_config();
  cfg.version = FsmVersion::V3;
  Fsm fsm(cfg);
  MonoTime t = drive_to(fsm, State::Master);
  t += milliseconds(10);
  fsm.handle(advert(120, "192.0.2.20", seconds(2)), t);
  ASSERT_EQ(fsm.state(), State::Backup);
  // 3 * 2 s + 156 * 2 s / 256
  EXPECT_EQ(*fsm.next_deadline() - t, Micros(7'218'750));
}

TEST(FsmTimers, EarlyTimerEventIsIgnored) {
  Fsm fsm(base_config());
  fsm.handle(event::Start{}, kT0);
  const MonoTime deadline = *fsm.next_deadline();
  Actions a = fsm.handle(event::TimerExpired{}, deadline - Micros(1));
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(fsm.state(), State::Backup);
  EXPECT_EQ(*fsm.next_deadline(), deadline);
}

TEST(FsmTimers, MasterAdvertsCarryTheCurrentPriority) {
  Fsm fsm(base_config());
  MonoTime t = drive_to(fsm, State::Master);
  t += milliseconds(300);
  Actions a = fsm.handle(event::PriorityChanged{90}, t);
  EXPECT_EQ(fsm.effective_priority(), 90);
  EXPECT_TRUE(a.send_advert);
  EXPECT_EQ(a.advert_priority, 90);
  EXPECT_EQ(*fsm.next_deadline(), t + seconds(1));  // interval restarts
  a = fsm.handle(event::TimerExpired{}, t + seconds(1));
  EXPECT_TRUE(a.send_advert);
  EXPECT_EQ(a.advert_priority, 90);
  // Skew_Time follows the effective priority: (256 - 90) / 256 s.
  EXPECT_EQ(fsm.skew_time(), Micros(648'437));
}

TEST(FsmTimers, MasterAdvertsEveryInterval) {
  Fsm fsm(base_config());
  MonoTime t = drive_to(fsm, State::Master);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(*fsm.next_deadline() - t, seconds(1));
    t = *fsm.next_deadline();
    Actions a = fsm.handle(event::TimerExpired{}, t);
    EXPECT_TRUE(a.send_advert);
    EXPECT_EQ(a.advert_priority, 100);
  }
}

// ---- start-up and fault -------------------------------------------------------------------

TEST(FsmStartup, StartWhileFaultyEntersFaultThenBackupWhenCleared) {
  Fsm fsm(base_config());
  fsm.handle(event::FaultOn{}, kT0);
  Actions a = fsm.handle(event::Start{}, kT0);
  EXPECT_EQ(a.transition, State::Fault);
  EXPECT_FALSE(fsm.next_deadline());
  a = fsm.handle(event::FaultOff{}, kT0 + seconds(7));
  EXPECT_EQ(a.transition, State::Backup);
  EXPECT_EQ(*fsm.next_deadline(), kT0 + seconds(7) + Micros(3'609'375));
}

TEST(FsmStartup, PriorityZeroIsNeverOurOwn) {
  FsmConfig cfg = base_config();
  cfg.priority = 0;
  Fsm fsm(cfg);
  EXPECT_EQ(fsm.effective_priority(), 1);
  fsm.handle(event::PriorityChanged{0}, kT0);
  EXPECT_EQ(fsm.effective_priority(), 1);
}

TEST(FsmStartup, ZeroAdvertIntervalFallsBackToOneSecond) {
  FsmConfig cfg = base_config();
  cfg.advert_interval = Micros(0);
  Fsm fsm(cfg);
  EXPECT_EQ(fsm.master_advert_interval(), seconds(1));
}

// ---- preempt_delay ------------------------------------------------------------------------

TEST(FsmPreemptDelay, NoMasterAtStartMeansNoDelay) {
  // keepalived 2.2.7 with preempt_delay and nobody else on the link becomes master after
  // Master_Down_Interval: there is nothing to preempt.
  FsmConfig cfg = base_config();
  cfg.preempt_delay = seconds(2);
  Fsm fsm(cfg);
  fsm.handle(event::Start{}, kT0);
  EXPECT_EQ(*fsm.next_deadline() - kT0, Micros(3'609'375));
  Actions a = fsm.handle(event::TimerExpired{}, *fsm.next_deadline());
  EXPECT_EQ(a.transition, State::Master);
}

TEST(FsmPreemptDelay, AcceptsALowerMasterUntilTheDelayHasPassed) {
  FsmConfig cfg = base_config();
  cfg.preempt_delay = seconds(5);
  Fsm fsm(cfg);
  fsm.handle(event::Start{}, kT0);
  // A lower-priority master advertises every second.
  MonoTime t = kT0 + milliseconds(500);
  fsm.handle(advert(50), t);
  ASSERT_TRUE(fsm.preempt_not_before());
  EXPECT_EQ(*fsm.preempt_not_before(), t + seconds(5));
  MonoTime last_accepted = t;
  for (int i = 1; i <= 8; ++i) {
    t += seconds(1);
    ASSERT_EQ(fsm.state(), State::Backup);
    fsm.handle(advert(50), t);
    if (t < *fsm.preempt_not_before()) {
      last_accepted = t;
      EXPECT_EQ(*fsm.next_deadline(), t + Micros(3'609'375)) << i;
    } else {
      EXPECT_EQ(*fsm.next_deadline(), last_accepted + Micros(3'609'375)) << i;
    }
  }
  // Adverts at +0.5..+4.5 s were accepted; the down timer runs out MDI after the last one.
  EXPECT_EQ(last_accepted, kT0 + milliseconds(4'500));
  Actions a = fsm.handle(event::TimerExpired{}, *fsm.next_deadline());
  EXPECT_EQ(a.transition, State::Master);
}

TEST(FsmPreemptDelay, HigherMasterClearsThePendingPreempt) {
  FsmConfig cfg = base_config();
  cfg.preempt_delay = seconds(5);
  Fsm fsm(cfg);
  fsm.handle(event::Start{}, kT0);
  fsm.handle(advert(50), kT0 + seconds(1));
  ASSERT_TRUE(fsm.preempt_not_before());
  fsm.handle(advert(200), kT0 + seconds(2));
  EXPECT_FALSE(fsm.preempt_not_before());
}

TEST(FsmPreemptDelay, HeardMasterDyingIsAFailoverNotAPreemption) {
  FsmConfig cfg = base_config();
  cfg.preempt_delay = seconds(30);
  Fsm fsm(cfg);
  fsm.handle(event::Start{}, kT0);
  const MonoTime t = kT0 + seconds(1);
  fsm.handle(advert(200), t);
  Actions a = fsm.handle(event::TimerExpired{}, *fsm.next_deadline());
  EXPECT_EQ(a.transition, State::Master);
  EXPECT_EQ(fsm.state(), State::Master);
}

TEST(FsmPreemptDelay, StateMasterDisablesNopreemptAndPreemptDelay) {
  FsmConfig cfg = base_config();
  cfg.start_as_master = true;
  cfg.preempt = false;
  cfg.preempt_delay = seconds(30);
  Fsm fsm(cfg);
  fsm.handle(event::Start{}, kT0);
  const MonoTime t = kT0 + seconds(1);
  fsm.handle(advert(50), t);  // discarded: preempting
  EXPECT_EQ(*fsm.next_deadline(), kT0 + Micros(3'609'375));
  Actions a = fsm.handle(event::TimerExpired{}, *fsm.next_deadline());
  EXPECT_EQ(a.transition, State::Master);
}

TEST(FsmPreemptDelay, NopreemptNeverTakesOverFromALiveLowerMaster) {
  FsmConfig cfg = base_config();
  cfg.preempt = false;
  cfg.priority = 200;
  Fsm fsm(cfg);
  fsm.handle(event::Start{}, kT0);
  MonoTime t = kT0;
  for (int i = 0; i < 100; ++i) {
    t += seconds(1);
    ASSERT_LT(t, *fsm.next_deadline());
    fsm.handle(advert(50), t);
    EXPECT_EQ(fsm.state(), State::Backup);
  }
}

// ---- a simulated LAN ------------------------------------------------------------------------

// Several routers on one segment: every advert a router sends reaches all the others at once.
class Lan {
 public:
  void add(FsmConfig cfg) { nodes_.push_back(Node{Fsm(cfg), cfg.primary_address, {}}); }
  Fsm& operator[](size_t i) { return nodes_[i].fsm; }

  void feed(size_t i, const Event& ev, MonoTime now) {
    deliver(i, nodes_[i].fsm.handle(ev, now), now);
  }

  // Runs every timer that falls due up to `until`, in time order.
  void run_until(MonoTime until) {
    for (;;) {
      std::optional<MonoTime> next;
      size_t who = 0;
      for (size_t i = 0; i < nodes_.size(); ++i) {
        auto d = nodes_[i].fsm.next_deadline();
        if (d && *d <= until && (!next || *d < *next)) {
          next = d;
          who = i;
        }
      }
      if (!next) break;
      now_ = *next;
      feed(who, event::TimerExpired{}, now_);
    }
    now_ = until;
  }

  std::vector<State> transitions_of(size_t i) const { return nodes_[i].transitions; }

 private:
  struct Node {
    Fsm fsm;
    IpAddress address;
    std::vector<State> transitions;
  };

  void deliver(size_t from, const Actions& a, MonoTime now) {
    if (a.transition) nodes_[from].transitions.push_back(*a.transition);
    if (!a.send_advert) return;
    const event::AdvertReceived adv{a.advert_priority, nodes_[from].fsm.config().advert_interval,
                                    nodes_[from].address};
    for (size_t j = 0; j < nodes_.size(); ++j)
      if (j != from) feed(j, adv, now);
  }

  std::vector<Node> nodes_;
  MonoTime now_ = kT0;
};

FsmConfig node(uint8_t prio, const char* address) {
  FsmConfig c = base_config();
  c.priority = prio;
  c.primary_address = addr(address);
  return c;
}

TEST(FsmLan, HigherPriorityWinsAndPreemptsWhenItComesBack) {
  Lan lan;
  lan.add(node(100, "192.0.2.1"));  // S1: node1 MASTER prio 100
  lan.add(node(99, "192.0.2.2"));   //     node2 BACKUP prio 99
  lan.feed(0, event::Start{}, kT0);
  lan.feed(1, event::Start{}, kT0);
  lan.run_until(kT0 + seconds(10));
  EXPECT_EQ(lan[0].state(), State::Master);
  EXPECT_EQ(lan[1].state(), State::Backup);

  // Stop node1: priority 0 makes node2 take over after Skew_Time (156/256 s... of prio 99).
  const MonoTime stop = kT0 + seconds(10);
  lan.feed(0, event::Shutdown{}, stop);
  EXPECT_EQ(*lan[1].next_deadline() - stop, Micros((256 - 99) * 1'000'000 / 256));
  lan.run_until(stop + seconds(1));
  EXPECT_EQ(lan[1].state(), State::Master);

  // Start node1 again: it waits Master_Down_Interval, discarding node2's lower adverts,
  // then takes over; node2 hears the higher advert and steps down.
  Lan lan2;
  lan2.add(node(100, "192.0.2.1"));
  lan2.add(node(99, "192.0.2.2"));
  lan2.feed(1, event::Start{}, kT0);
  lan2.run_until(kT0 + seconds(10));
  ASSERT_EQ(lan2[1].state(), State::Master);
  lan2.feed(0, event::Start{}, kT0 + seconds(10));
  lan2.run_until(kT0 + seconds(20));
  EXPECT_EQ(lan2[0].state(), State::Master);
  EXPECT_EQ(lan2[1].state(), State::Backup);
  EXPECT_EQ(lan2.transitions_of(1),
            (std::vector<State>{State::Backup, State::Master, State::Backup}));
}

TEST(FsmLan, BackupAcceptsEqualPriorityWhoeverTimedOutFirst) {
  // RFC: a Backup accepts an advert of equal priority, whatever the address; the router
  // whose timer ran out first keeps the role.
  Lan lan;
  lan.add(node(100, "192.0.2.1"));
  lan.add(node(100, "192.0.2.2"));
  lan.feed(0, event::Start{}, kT0);
  lan.feed(1, event::Start{}, kT0 + milliseconds(1));
  lan.run_until(kT0 + seconds(10));
  EXPECT_EQ(lan[0].state(), State::Master);
  EXPECT_EQ(lan[1].state(), State::Backup);
}

TEST(FsmLan, TwoMastersOfEqualPriorityResolveToTheHigherAddress) {
  Fsm low(node(100, "192.0.2.1"));
  Fsm high(node(100, "192.0.2.2"));
  MonoTime t = drive_to(low, State::Master);
  drive_to(high, State::Master);
  t += milliseconds(10);
  // low's periodic advert reaches high: high answers at once and stays master.
  Actions a = high.handle(advert(100, "192.0.2.1"), t);
  EXPECT_EQ(high.state(), State::Master);
  EXPECT_TRUE(a.send_advert);
  // high's answer reaches low: low steps down.
  a = low.handle(advert(a.advert_priority, "192.0.2.2"), t);
  EXPECT_EQ(a.transition, State::Backup);
  EXPECT_TRUE(a.remove_addresses);
  EXPECT_EQ(low.state(), State::Backup);
}

TEST(FsmLan, TrackScriptPriorityDropMovesTheVipAndBack) {
  // S4: node1 100, node2 99; a track script with weight -10 fails on node1 (→ 90).
  Lan lan;
  lan.add(node(100, "192.0.2.1"));
  lan.add(node(99, "192.0.2.2"));
  lan.feed(0, event::Start{}, kT0);
  lan.feed(1, event::Start{}, kT0);
  lan.run_until(kT0 + seconds(10));
  ASSERT_EQ(lan[0].state(), State::Master);

  lan.feed(0, event::PriorityChanged{90}, kT0 + seconds(10));
  lan.run_until(kT0 + seconds(20));
  EXPECT_EQ(lan[0].state(), State::Backup);
  EXPECT_EQ(lan[1].state(), State::Master);

  lan.feed(0, event::PriorityChanged{100}, kT0 + seconds(20));
  lan.run_until(kT0 + seconds(30));
  EXPECT_EQ(lan[0].state(), State::Master);
  EXPECT_EQ(lan[1].state(), State::Backup);
}

TEST(FsmLan, NopreemptKeepsTheLowerMasterWhenTheHigherReturns) {
  Lan lan;
  FsmConfig high = node(150, "192.0.2.1");
  high.preempt = false;
  lan.add(high);
  lan.add(node(100, "192.0.2.2"));
  lan.feed(1, event::Start{}, kT0);
  lan.run_until(kT0 + seconds(10));
  ASSERT_EQ(lan[1].state(), State::Master);
  lan.feed(0, event::Start{}, kT0 + seconds(10));
  lan.run_until(kT0 + seconds(60));
  EXPECT_EQ(lan[0].state(), State::Backup);
  EXPECT_EQ(lan[1].state(), State::Master);
}

TEST(FsmLan, HigherPrioSendAdvertAnswersBeforeSteppingDown) {
  Lan lan;
  FsmConfig low = node(50, "192.0.2.1");
  low.higher_prio_send_advert = true;
  lan.add(low);
  lan.add(node(200, "192.0.2.2"));
  lan.feed(0, event::Start{}, kT0);
  lan.run_until(kT0 + seconds(10));
  ASSERT_EQ(lan[0].state(), State::Master);
  // Both masters at once (as after a network split heals): the low one answers, then yields.
  Fsm& low_fsm = lan[0];
  Actions a = low_fsm.handle(advert(200, "192.0.2.2"), kT0 + seconds(10));
  EXPECT_TRUE(a.send_advert);
  EXPECT_EQ(a.advert_priority, 50);
  EXPECT_TRUE(a.remove_addresses);
  EXPECT_EQ(a.transition, State::Backup);
}

TEST(FsmLan, FaultOnMasterHandsOverAfterSkew) {
  Lan lan;
  lan.add(node(100, "192.0.2.1"));
  lan.add(node(99, "192.0.2.2"));
  lan.feed(0, event::Start{}, kT0);
  lan.feed(1, event::Start{}, kT0);
  lan.run_until(kT0 + seconds(10));
  const MonoTime t = kT0 + seconds(10);
  lan.feed(0, event::FaultOn{}, t);
  EXPECT_EQ(lan[0].state(), State::Fault);
  EXPECT_EQ(*lan[1].next_deadline() - t, Micros((256 - 99) * 1'000'000 / 256));
  lan.run_until(t + seconds(1));
  EXPECT_EQ(lan[1].state(), State::Master);
  // Fault clears: node1 comes back as Backup and preempts after Master_Down_Interval.
  lan.feed(0, event::FaultOff{}, t + seconds(5));
  EXPECT_EQ(lan[0].state(), State::Backup);
  lan.run_until(t + seconds(15));
  EXPECT_EQ(lan[0].state(), State::Master);
  EXPECT_EQ(lan[1].state(), State::Backup);
}

}  // namespace
}  // namespace vigil::vrrp::testing
