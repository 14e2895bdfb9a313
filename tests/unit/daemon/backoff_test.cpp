#include "daemon/backoff.h"

#include <gtest/gtest.h>

namespace vigil::daemon {
namespace {

TEST(RestartBackoff, FirstRestartWaitsTheInitialDelay) {
  BackoffPolicy p;
  EXPECT_EQ(next_restart_delay(p, Millis(0), Millis(10)), Millis(500));
}

TEST(RestartBackoff, CrashLoopDoublesUpToTheCap) {
  BackoffPolicy p;
  Millis d{0};
  std::vector<Millis> seen;
  for (int i = 0; i < 10; ++i) {
    d = next_restart_delay(p, d, Millis(100));
    seen.push_back(d);
  }
  EXPECT_EQ(seen[0], Millis(500));
  EXPECT_EQ(seen[1], Millis(1000));
  EXPECT_EQ(seen[2], Millis(2000));
  EXPECT_EQ(seen[5], Millis(16000));
  EXPECT_EQ(seen[6], Millis(30000));
  EXPECT_EQ(seen[9], Millis(30000));
}

TEST(RestartBackoff, StableRunStartsOverFromTheInitialDelay) {
  BackoffPolicy p;
  EXPECT_EQ(next_restart_delay(p, Millis(30000), Millis(60000)), Millis(500));
  EXPECT_EQ(next_restart_delay(p, Millis(30000), Millis(59999)), Millis(30000));
  EXPECT_EQ(next_restart_delay(p, Millis(4000), Millis(3600 * 1000)), Millis(500));
}

TEST(RestartBackoff, PolicyIsConfigurable) {
  BackoffPolicy p{Millis(100), Millis(250), Millis(1000)};
  EXPECT_EQ(next_restart_delay(p, Millis(0), Millis(0)), Millis(100));
  EXPECT_EQ(next_restart_delay(p, Millis(100), Millis(0)), Millis(200));
  EXPECT_EQ(next_restart_delay(p, Millis(200), Millis(0)), Millis(250));
}

}  // namespace
}  // namespace vigil::daemon
