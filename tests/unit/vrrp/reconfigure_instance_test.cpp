// Instance::reconfigure (and Fsm::update_settings under it): what a running instance does when
// a reload changes its settings in place. The Router calls reconfigure() and then
// update_tracking(); these tests do the same against a recording InstanceIo.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vrrp/instance.h"

namespace vigil::vrrp {
namespace {

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
};

FsmConfig config(uint8_t prio, Micros interval = Micros(1'000'000)) {
  FsmConfig c;
  c.vrid = 51;
  c.priority = prio;
  c.advert_interval = interval;
  c.primary_address = *IpAddress::parse("192.0.2.1");
  return c;
}

InstanceWire wire(std::vector<const char*> vips = {"192.0.2.100"}) {
  InstanceWire w;
  for (const char* v : vips) w.advert_addresses.push_back(*IpAddress::parse(v));
  return w;
}

Decoded advert_from(const char* src, uint8_t prio) {
  Decoded d;
  d.advert.vrid = 51;
  d.advert.priority = prio;
  d.advert.interval_cs = 100;
  d.src = *IpAddress::parse(src);
  return d;
}

const MonoTime reconf_t0{};

// A master, as the Router would have it: started and past its down timer.
struct MasterFixture {
  RecordingIo io;
  Instance inst{"VI_1", config(150), wire(), io};
  MonoTime now;
  MasterFixture() {
    inst.start(reconf_t0);
    now = *io.deadline;
    inst.on_timer(now);
    io.log.clear();
  }
  // What the Router does on reload: new settings, then tracking (none here) recomputed.
  void reload(const FsmConfig& c, InstanceWire w) {
    inst.reconfigure(c, std::move(w));
    inst.update_tracking({}, now);
  }
};

TEST(ReloadInstance, UnchangedSettingsDoNothing) {
  MasterFixture m;
  const auto deadline = m.io.deadline;
  m.reload(config(150), wire());
  EXPECT_EQ(m.inst.state(), State::Master);
  EXPECT_TRUE(m.io.log.empty());
  EXPECT_EQ(m.io.deadline, deadline);  // the advert timer keeps running as it was
}

TEST(ReloadInstance, LowerPriorityOnMasterIsAdvertisedAndPeerPreempts) {
  MasterFixture m;
  m.reload(config(50), wire());
  EXPECT_EQ(m.inst.base_priority(), 50);
  EXPECT_EQ(m.inst.fsm().effective_priority(), 50);
  EXPECT_EQ(m.io.log, (std::vector<std::string>{"advert 50"}));  // no address change
  m.io.log.clear();
  // The peer (priority 100) now wins and takes over.
  m.inst.on_advert(advert_from("192.0.2.2", 100), m.now);
  EXPECT_EQ(m.inst.state(), State::Backup);
  EXPECT_EQ(m.io.log, (std::vector<std::string>{"remove", "notify BACKUP 50"}));
}

TEST(ReloadInstance, HigherPriorityOnBackupPreemptsAMasterBelowIt) {
  RecordingIo io;
  Instance inst("VI_1", config(50), wire(), io);
  inst.start(reconf_t0);
  inst.on_advert(advert_from("192.0.2.2", 100), reconf_t0);  // accepted: 100 is master
  EXPECT_EQ(inst.state(), State::Backup);
  io.log.clear();
  inst.reconfigure(config(150), wire());
  inst.update_tracking({}, reconf_t0);
  EXPECT_TRUE(io.log.empty());  // a Backup says nothing about its new priority
  inst.on_advert(advert_from("192.0.2.2", 100), reconf_t0 + Micros(500'000));  // now discarded
  ASSERT_TRUE(io.deadline);
  inst.on_timer(*io.deadline);
  EXPECT_EQ(inst.state(), State::Master);
  EXPECT_EQ(io.log, (std::vector<std::string>{"advert 150", "add", "garp", "notify MASTER 150"}));
}

TEST(ReloadInstance, NewAdvertIntervalAppliesFromTheNextAdvert) {
  MasterFixture m;
  const MonoTime next = *m.io.deadline;
  m.reload(config(150, Micros(3'000'000)), wire());
  EXPECT_EQ(*m.io.deadline, next);  // the interval in progress ends as planned
  m.inst.on_timer(next);
  EXPECT_EQ(m.io.log, (std::vector<std::string>{"advert 150"}));
  EXPECT_EQ(*m.io.deadline, next + Micros(3'000'000));
}

TEST(ReloadInstance, KeepsIdentityAndCountersAndTakesNewAdvertAddresses) {
  MasterFixture m;
  const uint64_t sent = m.inst.counters().adverts_sent;
  FsmConfig other = config(150);
  other.vrid = 99;  // identity changes are restarts; an in-place update ignores them
  m.reload(other, wire({"192.0.2.100", "192.0.2.101"}));
  EXPECT_EQ(m.inst.vrid(), 51);
  EXPECT_EQ(m.inst.counters().adverts_sent, sent);
  EXPECT_EQ(m.inst.wire().advert_addresses.size(), 2u);
  ASSERT_TRUE(m.inst.last_transition());
  EXPECT_EQ(m.inst.last_transition()->to, State::Master);
}

TEST(ReloadInstance, NopreemptTakesEffectOnABackup) {
  RecordingIo io;
  Instance inst("VI_1", config(150), wire(), io);
  inst.start(reconf_t0);
  FsmConfig c = config(150);
  c.preempt = false;
  inst.reconfigure(c, wire());
  inst.update_tracking({}, reconf_t0);
  // A lower-priority master is now accepted rather than preempted.
  inst.on_advert(advert_from("192.0.2.2", 100), reconf_t0 + Micros(100'000));
  const MonoTime later = reconf_t0 + Micros(2'000'000);
  inst.on_advert(advert_from("192.0.2.2", 100), later);
  ASSERT_TRUE(io.deadline);
  EXPECT_GT(*io.deadline, later);
  EXPECT_EQ(inst.state(), State::Backup);
  EXPECT_EQ(inst.fsm().master_address(), *IpAddress::parse("192.0.2.2"));
}

}  // namespace
}  // namespace vigil::vrrp
