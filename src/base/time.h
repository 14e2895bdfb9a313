// Time for protocol cores: only the monotonic clock (the wall clock may jump).
#pragma once

#include <chrono>
#include <cstdint>

namespace vigil {

using MonoClock = std::chrono::steady_clock;
using MonoTime = MonoClock::time_point;
using Micros = std::chrono::microseconds;
using Millis = std::chrono::milliseconds;

inline int64_t to_micros(Micros d) {
  return d.count();
}

// The monotonic clock now, in microseconds (for log lines that benchmarks correlate).
inline int64_t mono_micros() {
  return std::chrono::duration_cast<Micros>(MonoClock::now().time_since_epoch()).count();
}

}  // namespace vigil
