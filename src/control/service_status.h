// The one-line summary systemd shows (sd_notify STATUS=): "2 instances: 1 master, 1 backup".
#pragma once

#include <string>

#include "vrrp/status.h"

namespace vigil::control {

// Counts every state that occurs ("..., 1 fault"); master and backup are always named.
std::string service_status_line(const vrrp::RouterStatus& status);

}  // namespace vigil::control
