#include "check/latency_histogram.h"

#include <gtest/gtest.h>

namespace vigil::check {
namespace {

TEST(LatencyHistogram, BucketsAreCumulativeWithInclusiveUpperBounds) {
  LatencyHistogram h;
  h.observe(Micros(300));     // 0.0003 s: first bucket
  h.observe(Millis(1));       // exactly 0.001: still the first (le is inclusive)
  h.observe(Millis(30));      // 0.03: the 0.05 bucket
  h.observe(Millis(30'000));  // above 10 s: only +Inf (count)
  EXPECT_EQ(h.cumulative(0), 2u);
  EXPECT_EQ(h.cumulative(4), 2u);  // le 0.025
  EXPECT_EQ(h.cumulative(5), 3u);  // le 0.05
  EXPECT_EQ(h.cumulative(LatencyHistogram::kBounds.size() - 1), 3u);
  EXPECT_EQ(h.count(), 4u);
  EXPECT_NEAR(h.sum_seconds(), 0.0003 + 0.001 + 0.03 + 30, 1e-9);
}

TEST(LatencyHistogram, BoundsAscend) {
  for (size_t i = 1; i < LatencyHistogram::kBounds.size(); ++i)
    EXPECT_LT(LatencyHistogram::kBounds[i - 1], LatencyHistogram::kBounds[i]);
}

}  // namespace
}  // namespace vigil::check
