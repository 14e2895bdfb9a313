// Table-driven tests of the pure real-server rules: combination of checkers, MISC exit codes
// (misc_dynamic) and FILE_CHECK values (track_file weight / reverse / dynamic).
#include "check/real_server_state.h"

#include <gtest/gtest.h>

#include <limits>

namespace vigil::check {
namespace {

TEST(CombineCheckers, UpOnlyWhenAllUp) {
  EXPECT_EQ(combine_checkers(5, {}), (RealServerVerdict{true, std::nullopt}));
  EXPECT_EQ(combine_checkers(5, {{true, {}}, {true, {}}}), (RealServerVerdict{true, std::nullopt}));
  EXPECT_EQ(combine_checkers(5, {{true, {}}, {false, {}}}),
            (RealServerVerdict{false, std::nullopt}));
}

TEST(CombineCheckers, DynamicDeltasAddToTheConfiguredWeight) {
  EXPECT_EQ(combine_checkers(5, {{true, 3}}), (RealServerVerdict{true, 8u}));
  EXPECT_EQ(combine_checkers(5, {{true, 3}, {true, -2}}), (RealServerVerdict{true, 6u}));
  EXPECT_EQ(combine_checkers(5, {{true, -20}}), (RealServerVerdict{true, 0u}));
  EXPECT_EQ(combine_checkers(5, {{true, int64_t{1} << 40}}),
            (RealServerVerdict{true, 2147483647u}));
}

struct MiscCase {
  int code;
  bool dynamic;
  bool success;
  std::optional<uint32_t> weight;  // resulting weight with configured weight 5
};

class MiscExit : public ::testing::TestWithParam<MiscCase> {};

TEST_P(MiscExit, MapsExitCodes) {
  const MiscCase& c = GetParam();
  MiscOutcome o = misc_exit_outcome(c.code, c.dynamic, 5);
  EXPECT_EQ(o.success, c.success);
  std::optional<uint32_t> weight;
  if (o.weight_delta) weight = combine_checkers(5, {{true, o.weight_delta}}).weight;
  EXPECT_EQ(weight, c.weight);
}

INSTANTIATE_TEST_SUITE_P(
    Codes, MiscExit,
    ::testing::Values(MiscCase{0, false, true, {}}, MiscCase{1, false, false, {}},
                      MiscCase{2, false, false, {}}, MiscCase{0, true, true, {}},
                      MiscCase{1, true, false, {}}, MiscCase{2, true, true, 0u},
                      MiscCase{12, true, true, 10u}, MiscCase{255, true, true, 253u},
                      MiscCase{-1, true, false, {}}));

struct FileCase {
  int64_t value;
  int64_t weight;
  bool reverse;
  bool dynamic;
  bool success;
  std::optional<int64_t> delta;
};

class FileValue : public ::testing::TestWithParam<FileCase> {};

TEST_P(FileValue, AppliesTrackFileRules) {
  const FileCase& c = GetParam();
  FileOutcome o = file_value_outcome(c.value, c.weight, c.reverse, c.dynamic);
  EXPECT_EQ(o.success, c.success);
  EXPECT_EQ(o.weight_delta, c.delta);
}

INSTANTIATE_TEST_SUITE_P(
    Values, FileValue,
    ::testing::Values(FileCase{0, 0, false, false, true, {}},   // weight 0: zero is OK
                      FileCase{3, 0, false, false, false, {}},  // weight 0: non-zero fails
                      FileCase{-1, 0, false, true, false, {}},
                      FileCase{4, 2, false, true, true, 8},    // dynamic: value * weight
                      FileCase{4, 2, true, true, true, -8},    // reverse negates
                      FileCase{4, 2, false, false, true, {}},  // not dynamic: no weight change
                      FileCase{-2147483648LL, 1, false, true, false, {}},  // at the limit: fault
                      FileCase{-1073741824LL, 2, false, false, false, {}},
                      FileCase{-5, 1, false, true, true, -5}));

TEST(TrackFileValue, FirstWordAsSignedInteger) {
  EXPECT_EQ(parse_track_file_value("42\n"), 42);
  EXPECT_EQ(parse_track_file_value("  -7 trailing words"), -7);
  EXPECT_EQ(parse_track_file_value("+3"), 3);
  EXPECT_EQ(parse_track_file_value(""), 0);
  EXPECT_EQ(parse_track_file_value("abc"), 0);
  EXPECT_EQ(parse_track_file_value("12abc"), 0);
}

}  // namespace
}  // namespace vigil::check
