// The one-line summary systemd shows (sd_notify STATUS=): "2 instances: 1 master, 1 backup".
#pragma once

#include <string>
#include <vector>

#include "vrrp/status.h"

namespace vigil::control {

// Counts every state that occurs ("..., 1 fault"); master and backup are always named.
std::string service_status_line(const vrrp::RouterStatus& status);
// The same from the instances' states alone (Router::states()): the daemon rebuilds the line
// after transitions, and a full RouterStatus of 1,000 instances is ~800 KB of heap each time.
std::string service_status_line(const std::vector<vrrp::State>& states);

}  // namespace vigil::control
