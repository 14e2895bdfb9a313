// Status of one checker as reported by HealthManager::snapshot() (status socket, metrics).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/time.h"
#include "check/latency_histogram.h"

namespace vigil::check {

struct CheckerStatus {
  std::string kind;  // "TCP_CHECK", ...
  bool up = true;
  MonoTime last_run{};                 // start of the last completed check (epoch: none yet)
  std::optional<Micros> last_latency;  // how long it took
  std::string last_result;             // its message
  uint64_t runs = 0, failures = 0;
  LatencyHistogram latency;  // every completed check's duration (/metrics)
};

}  // namespace vigil::check
