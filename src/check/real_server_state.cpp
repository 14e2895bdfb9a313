#include "check/real_server_state.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

namespace vigil::check {
namespace {

constexpr int64_t kMaxWeight = std::numeric_limits<int32_t>::max();
constexpr int64_t kMinResult = std::numeric_limits<int32_t>::min();

// value * weight without overflow (the inputs are 64-bit; the result saturates).
int64_t saturating_mul(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r))
    return (a < 0) != (b < 0) ? std::numeric_limits<int64_t>::min()
                              : std::numeric_limits<int64_t>::max();
  return r;
}

}  // namespace

RealServerVerdict combine_checkers(uint32_t configured_weight,
                                   const std::vector<CheckerContribution>& checkers) {
  RealServerVerdict v;
  bool dynamic = false;
  int64_t weight = configured_weight;
  for (const CheckerContribution& c : checkers) {
    if (!c.up) v.up = false;
    if (c.weight_delta) {
      dynamic = true;
      // Deltas come from 32-bit weights and exit codes; the clamp only keeps the sum finite.
      weight += std::clamp<int64_t>(*c.weight_delta, -(int64_t{1} << 40), int64_t{1} << 40);
    }
  }
  if (dynamic) v.weight = static_cast<uint32_t>(std::clamp<int64_t>(weight, 0, kMaxWeight));
  return v;
}

MiscOutcome misc_exit_outcome(int exit_code, bool dynamic, uint32_t configured_weight) {
  MiscOutcome o;
  if (exit_code == 0) {
    o.success = true;
    return o;
  }
  if (!dynamic || exit_code == 1 || exit_code < 0 || exit_code > 255) return o;
  o.success = true;
  o.weight_delta = static_cast<int64_t>(exit_code - 2) - static_cast<int64_t>(configured_weight);
  return o;
}

FileOutcome file_value_outcome(int64_t value, int64_t weight, bool reverse, bool dynamic) {
  FileOutcome o;
  if (weight == 0) {
    o.success = value == 0;
    return o;
  }
  int64_t result = saturating_mul(value, weight);
  if (reverse)
    result = result == std::numeric_limits<int64_t>::min() ? std::numeric_limits<int64_t>::max()
                                                           : -result;
  if (result <= kMinResult) {
    o.success = false;
    return o;
  }
  if (dynamic) o.weight_delta = result;
  return o;
}

int64_t parse_track_file_value(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  size_t end = i;
  while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
  std::string_view word = text.substr(i, end - i);
  if (!word.empty() && word.front() == '+') word.remove_prefix(1);
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (ec != std::errc() || ptr != word.data() + word.size()) return 0;
  return value;
}

}  // namespace vigil::check
