// TimerWheel: many deadlines on one loop timer, delivered in batches.
#include "vrrp/timer_wheel.h"

#include <gtest/gtest.h>

#include <vector>

#include "loop/loop.h"

namespace vigil::vrrp {
namespace {

constexpr Millis kWheelBound{5000};  // reaching it means the wheel is broken

TEST(TimerWheel, CoalesceRoundsUpToTheSlack) {
  const MonoTime t(std::chrono::microseconds(1'000'001));
  EXPECT_EQ(TimerWheel::coalesce(t, Micros(0)), t);
  EXPECT_EQ(TimerWheel::coalesce(t, Micros(1000)), MonoTime(std::chrono::microseconds(1'001'000)));
  const MonoTime exact(std::chrono::microseconds(2'000'000));
  EXPECT_EQ(TimerWheel::coalesce(exact, Micros(1000)), exact);
}

TEST(TimerWheel, KeysDueInTheSameSlotArriveInOneBatch) {
  loop::Loop loop;
  std::vector<std::vector<int>> batches;
  int a = 1, b = 2, c = 3;
  TimerWheel wheel(loop, [&](const std::vector<const void*>& due, MonoTime) {
    std::vector<int> ids;
    for (const void* k : due) ids.push_back(*static_cast<const int*>(k));
    batches.push_back(ids);
    if (!wheel.size()) loop.stop();
  });
  // a and b fall in one 50 ms slot, c in a later one.
  const MonoTime slot = TimerWheel::coalesce(loop.now() + Micros(100'000), Micros(50'000));
  wheel.arm(&b, slot - Micros(10'000), Micros(50'000));
  wheel.arm(&a, slot - Micros(20'000), Micros(50'000));
  wheel.arm(&c, slot + Micros(30'000));
  EXPECT_EQ(wheel.size(), 3u);
  EXPECT_TRUE(loop.run_for(kWheelBound)) << "the wheel never drained";
  ASSERT_EQ(batches.size(), 2u);
  // Within a slot the deadlines are equal: keys come in the order they were armed.
  EXPECT_EQ(batches[0], (std::vector<int>{2, 1}));
  EXPECT_EQ(batches[1], (std::vector<int>{3}));
}

TEST(TimerWheel, RearmAndCancelReplaceTheDeadline) {
  loop::Loop loop;
  std::vector<int> fired;
  int a = 1, b = 2;
  TimerWheel wheel(loop, [&](const std::vector<const void*>& due, MonoTime) {
    for (const void* k : due) fired.push_back(*static_cast<const int*>(k));
    loop.stop();
  });
  wheel.arm(&a, loop.now() + Micros(10'000));
  wheel.arm(&b, loop.now() + Micros(20'000));
  wheel.cancel(&a);
  EXPECT_FALSE(wheel.armed(&a));
  wheel.arm(&b, loop.now());  // re-armed earlier: replaces the old entry
  EXPECT_EQ(wheel.size(), 1u);
  EXPECT_TRUE(loop.run_for(kWheelBound));
  EXPECT_EQ(fired, (std::vector<int>{2}));
  EXPECT_EQ(wheel.size(), 0u);
}

}  // namespace
}  // namespace vigil::vrrp
