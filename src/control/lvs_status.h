// The LVS side's operator view: virtual servers, their real servers (health, weight, drain)
// and each real server's checkers (results and latency). The checker worker's LvsRuntime fills
// it (daemon/lvs_runtime.h); the control socket's "lvs" command and vigilctl status read its
// JSON form, /metrics its Prometheus form (render_lvs_metrics, control/metrics.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "check/checker_status.h"

namespace vigil::control {

struct RealServerStatus {
  std::string name;  // "192.0.2.2:80" as keepalived logs it
  bool up = true;
  int64_t weight = 0;  // effective input weight (configured, or the dynamic override)
  bool drained = false;
  std::vector<check::CheckerStatus> checkers;
};

struct VirtualServerStatus {
  std::string name;
  bool quorum_up = true;
  uint64_t live_weight = 0;
  std::vector<RealServerStatus> real_servers;
};

using LvsStatus = std::vector<VirtualServerStatus>;

nlohmann::json lvs_status_to_json(const LvsStatus& status);

}  // namespace vigil::control
