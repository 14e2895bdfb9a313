// The maintenance priority offset shifts an instance's effective priority like a tracked
// weight, stacks with tracked items, and clears with 0.
#include <gtest/gtest.h>

#include "vrrp/instance.h"

namespace vigil::vrrp {
namespace {

class NullIo : public InstanceIo {
 public:
  int adverts = 0;
  void send_advert(Instance&, uint8_t) override { ++adverts; }
  void set_addresses(Instance&, bool) override {}
  void announce(Instance&) override {}
  void notify(Instance&, State, uint8_t) override {}
  void arm_timer(Instance&, std::optional<MonoTime>) override {}
};

FsmConfig config(uint8_t priority) {
  FsmConfig c;
  c.vrid = 7;
  c.priority = priority;
  c.primary_address = *IpAddress::parse("192.0.2.1");
  return c;
}

TEST(PriorityOffset, ShiftsAndClearsTheEffectivePriority) {
  NullIo io;
  Instance inst("VI_1", config(100), InstanceWire{}, io);
  const MonoTime t0{};
  inst.start(t0);
  inst.set_priority_offset(-60, t0);
  EXPECT_EQ(inst.fsm().effective_priority(), 40);
  EXPECT_EQ(inst.priority_offset(), -60);
  inst.set_priority_offset(+20, t0);
  EXPECT_EQ(inst.fsm().effective_priority(), 120);
  inst.set_priority_offset(0, t0);
  EXPECT_EQ(inst.fsm().effective_priority(), 100);
}

TEST(PriorityOffset, StacksWithTrackedItemsAndIsKeptAcrossTrackingUpdates) {
  NullIo io;
  Instance inst("VI_1", config(100), InstanceWire{}, io);
  const MonoTime t0{};
  inst.start(t0);
  std::vector<TrackedItem> down{{TrackKind::Script, "chk", -10, false, false, 0}};
  inst.update_tracking(down, t0);
  EXPECT_EQ(inst.fsm().effective_priority(), 90);
  inst.set_priority_offset(-200, t0);
  EXPECT_EQ(inst.fsm().effective_priority(), 1);  // clamped like keepalived's weights
  std::vector<TrackedItem> up{{TrackKind::Script, "chk", -10, false, true, 0}};
  inst.update_tracking(up, t0);
  EXPECT_EQ(inst.fsm().effective_priority(), 1);
  inst.set_priority_offset(-30, t0);
  EXPECT_EQ(inst.fsm().effective_priority(), 70);
}

TEST(PriorityOffset, AddressOwnerKeeps255) {
  NullIo io;
  Instance inst("VI_1", config(255), InstanceWire{}, io);
  inst.start(MonoTime{});
  inst.set_priority_offset(-100, MonoTime{});
  EXPECT_EQ(inst.fsm().effective_priority(), 255);
}

TEST(PriorityOffset, TransitionsAreCounted) {
  NullIo io;
  Instance inst("VI_1", config(100), InstanceWire{}, io);
  inst.start(MonoTime{});
  EXPECT_EQ(inst.state(), State::Backup);
  EXPECT_EQ(inst.counters().transitions, 1u);  // Initialize -> Backup
  ASSERT_TRUE(inst.fsm().next_deadline());
  inst.on_timer(*inst.fsm().next_deadline());
  EXPECT_EQ(inst.state(), State::Master);
  EXPECT_EQ(inst.counters().transitions, 2u);
  EXPECT_EQ(inst.counters().became_master, 1u);
}

}  // namespace
}  // namespace vigil::vrrp
