// Table-driven tests of the pure rise/fall core (CheckerState) with injected time.
#include "check/checker_state.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vigil::check {
namespace {

using std::chrono::seconds;

struct Step {
  bool success;
  bool want_up;
  bool want_changed;
  bool want_retrying;
  Micros want_delay;  // next_run - now
};

struct Case {
  std::string name;
  CheckerPolicy policy;
  bool want_initial_up;
  std::vector<Step> steps;
};

class CheckerStateTable : public ::testing::TestWithParam<Case> {};

TEST_P(CheckerStateTable, FollowsKeepalivedSemantics) {
  const Case& c = GetParam();
  CheckerState s(c.policy);
  EXPECT_EQ(s.up(), c.want_initial_up);
  MonoTime now{};
  for (size_t i = 0; i < c.steps.size(); ++i) {
    const Step& st = c.steps[i];
    now += seconds(7);
    CheckerStep r = s.on_result(st.success, now);
    SCOPED_TRACE("step " + std::to_string(i));
    EXPECT_EQ(r.up, st.want_up);
    EXPECT_EQ(s.up(), st.want_up);
    EXPECT_EQ(r.changed, st.want_changed);
    EXPECT_EQ(r.retrying, st.want_retrying);
    EXPECT_EQ(r.next_run - now, st.want_delay);
  }
}

const CheckerPolicy kRetry2{false, 2, seconds(1), seconds(10), seconds(10)};
const CheckerPolicy kRetry0{false, 0, seconds(1), seconds(10), seconds(10)};
const CheckerPolicy kAlpha{true, 1, seconds(3), seconds(6), seconds(0)};

INSTANTIATE_TEST_SUITE_P(
    Cases, CheckerStateTable,
    ::testing::Values(
        Case{"successes_stay_up",
             kRetry2,
             true,
             {{true, true, false, false, seconds(10)}, {true, true, false, false, seconds(10)}}},
        Case{"failure_retried_then_down",
             kRetry2,
             true,
             {{false, true, false, true, seconds(1)},
              {false, true, false, true, seconds(1)},
              {false, false, true, false, seconds(10)},
              {false, false, false, true, seconds(1)}}},
        Case{"success_during_retries_resets_count",
             kRetry2,
             true,
             {{false, true, false, true, seconds(1)},
              {true, true, false, false, seconds(10)},
              {false, true, false, true, seconds(1)},
              {false, true, false, true, seconds(1)},
              {false, false, true, false, seconds(10)}}},
        Case{"retry_0_fails_at_once",
             kRetry0,
             true,
             {{false, false, true, false, seconds(10)}, {true, true, true, false, seconds(10)}}},
        Case{"one_success_brings_a_down_checker_up",
             kRetry0,
             true,
             {{false, false, true, false, seconds(10)},
              {false, false, false, false, seconds(10)},
              {true, true, true, false, seconds(10)}}},
        Case{"alpha_starts_down_and_first_success_is_a_change",
             kAlpha,
             false,
             {{true, true, true, false, seconds(6)}, {false, true, false, true, seconds(3)}}},
        Case{"alpha_failures_stay_down",
             kAlpha,
             false,
             {{false, false, false, true, seconds(3)}, {false, false, false, false, seconds(6)}}}),
    [](const auto& info) { return info.param.name; });

TEST(CheckerState, FirstRunIsTheWarmupDrawClampedToWarmup) {
  CheckerState s(CheckerPolicy{false, 1, seconds(1), seconds(10), seconds(5)});
  MonoTime now{};
  EXPECT_EQ(s.first_run(now, seconds(3)) - now, seconds(3));
  EXPECT_EQ(s.first_run(now, seconds(9)) - now, seconds(5));
  EXPECT_EQ(s.first_run(now, Micros(-1)) - now, Micros(0));
  CheckerState no_warmup(CheckerPolicy{false, 1, seconds(1), seconds(10), Micros(0)});
  EXPECT_EQ(no_warmup.first_run(now, seconds(3)) - now, Micros(0));
}

}  // namespace
}  // namespace vigil::check
