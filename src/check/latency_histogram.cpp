#include "check/latency_histogram.h"

#include <algorithm>

namespace vigil::check {

void LatencyHistogram::observe(Micros duration) {
  const double seconds = static_cast<double>(std::max<int64_t>(0, duration.count())) / 1e6;
  const auto it = std::lower_bound(kBounds.begin(), kBounds.end(), seconds);
  if (it != kBounds.end()) ++buckets_[static_cast<size_t>(it - kBounds.begin())];
  ++count_;
  sum_seconds_ += seconds;
}

uint64_t LatencyHistogram::cumulative(size_t i) const {
  uint64_t n = 0;
  for (size_t j = 0; j <= i && j < buckets_.size(); ++j) n += buckets_[j];
  return n;
}

}  // namespace vigil::check
