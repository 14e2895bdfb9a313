// How long a checker's checks take, as a Prometheus histogram (vigil_checker_duration_seconds):
// a count per bucket, their sum and number. Fixed bucket bounds, from a millisecond (a real
// server on the same LAN) to ten seconds (above any sensible connect_timeout), so every
// checker's histogram can be summed across real servers. Pure; unit-tested.
#pragma once

#include <array>
#include <cstdint>

#include "base/time.h"

namespace vigil::check {

class LatencyHistogram {
 public:
  // Upper bounds in seconds; a last bucket, +Inf, takes everything above.
  static constexpr std::array<double, 13> kBounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                  0.25,  0.5,    1,     2.5,  5,     10};

  void observe(Micros duration);

  // Observations <= kBounds[i] (cumulative, as Prometheus' `le` buckets are).
  uint64_t cumulative(size_t i) const;
  uint64_t count() const { return count_; }
  double sum_seconds() const { return sum_seconds_; }

 private:
  std::array<uint64_t, kBounds.size()> buckets_{};  // per bucket, not cumulative
  uint64_t count_ = 0;
  double sum_seconds_ = 0;
};

}  // namespace vigil::check
