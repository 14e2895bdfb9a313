// Pure rules that turn checker results into a real server's state: which exit codes / file
// values count as success, the dynamic weights of MISC_CHECK (misc_dynamic) and FILE_CHECK
// (dynamic), and the combination "a real server is up when all its checkers are up".
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace vigil::check {

// What one checker says about its real server.
struct CheckerContribution {
  bool up = true;
  // Added to the configured weight (dynamic MISC/FILE checkers only); nullopt: no opinion.
  std::optional<int64_t> weight_delta;
};

struct RealServerVerdict {
  bool up = true;
  std::optional<uint32_t> weight;  // nullopt: the configured weight applies
  auto operator<=>(const RealServerVerdict&) const = default;
};

// Up when every checker is up (no checker: always up). The weight is the configured one plus
// the dynamic checkers' deltas, kept within IPVS's 0..2147483647.
RealServerVerdict combine_checkers(uint32_t configured_weight,
                                   const std::vector<CheckerContribution>& checkers);

// One result of a MISC_CHECK run.
struct MiscOutcome {
  bool success = false;
  // misc_dynamic: the new delta (exit 2..255 sets weight = code - 2); nullopt keeps the
  // previous one (exit 0 leaves the weight as it was).
  std::optional<int64_t> weight_delta;
};
// Exit status 0: success; 1 (or anything else without misc_dynamic): failure; with misc_dynamic
// 2..255: success with weight exit-2 (expressed as a delta against `configured_weight`).
MiscOutcome misc_exit_outcome(int exit_code, bool dynamic, uint32_t configured_weight);

// One reading of a FILE_CHECK's track file.
struct FileOutcome {
  bool success = true;
  std::optional<int64_t> weight_delta;  // dynamic only
};
// keepalived's track_file rules for real servers: with weight 0 a non-zero value is a failure;
// otherwise value*weight (negated by `reverse`) is the result: at or below -2^31 it is a
// failure, and with `dynamic` it is added to the real server's weight.
FileOutcome file_value_outcome(int64_t value, int64_t weight, bool reverse, bool dynamic);

// The number in a track file: its first word as a signed integer; anything else reads as 0.
int64_t parse_track_file_value(std::string_view text);

}  // namespace vigil::check
