#include "base/backoff.h"

#include <gtest/gtest.h>

#include <vector>

namespace vigil {
namespace {

TEST(RestartBackoff, FirstRestartWaitsTheInitialDelay) {
  RestartBackoff b;
  EXPECT_EQ(b.after_exit(Millis(10)), Millis(500));
}

TEST(RestartBackoff, CrashLoopDoublesUpToTheCap) {
  RestartBackoff b;
  std::vector<Micros> seen;
  for (int i = 0; i < 10; ++i) seen.push_back(b.after_exit(Millis(100)));
  EXPECT_EQ(seen[0], Millis(500));
  EXPECT_EQ(seen[1], Millis(1000));
  EXPECT_EQ(seen[2], Millis(2000));
  EXPECT_EQ(seen[5], Millis(16000));
  EXPECT_EQ(seen[6], Millis(30000));
  EXPECT_EQ(seen[9], Millis(30000));
}

TEST(RestartBackoff, StableRunStartsOverFromTheInitialDelay) {
  RestartBackoff b;
  for (int i = 0; i < 8; ++i) b.after_exit(Millis(10));  // at the cap now
  EXPECT_EQ(b.after_exit(Millis(59'999)), Millis(30'000));
  EXPECT_EQ(b.after_exit(Millis(60'000)), Millis(500));
  EXPECT_EQ(b.after_exit(Millis(10)), Millis(1000));
  EXPECT_EQ(b.after_exit(Millis(3600 * 1000)), Millis(500));
}

TEST(RestartBackoff, PolicyIsConfigurable) {
  RestartBackoff b({Millis(100), Millis(250), Millis(1000)});
  EXPECT_EQ(b.after_exit(Micros(0)), Millis(100));
  EXPECT_EQ(b.after_exit(Micros(0)), Millis(200));
  EXPECT_EQ(b.after_exit(Micros(0)), Millis(250));
  EXPECT_EQ(b.after_exit(Micros(0)), Millis(250));
}

TEST(RestartBackoff, InitialAboveTheCapIsCapped) {
  RestartBackoff b({Millis(5000), Millis(1000), Millis(60'000)});
  EXPECT_EQ(b.after_exit(Micros(0)), Millis(1000));
}

}  // namespace
}  // namespace vigil
