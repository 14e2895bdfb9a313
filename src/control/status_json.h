// JSON renderings of the status model (vrrp/status.h): vigil's own (the control socket's
// "status" reply, `vigilctl status --json`) and keepalived's --signum=JSON dump layout.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "vrrp/status.h"

namespace vigil::control {

nlohmann::json status_to_json(const vrrp::RouterStatus& status);
nlohmann::json instance_to_json(const vrrp::InstanceStatus& st);

// "2026-11-25T17:00:50.950117Z"
std::string rfc3339_utc(vrrp::WallTime t);
// Seconds since the epoch with microseconds, as keepalived prints times.
double epoch_seconds(vrrp::WallTime t);

// keepalived's /tmp/keepalived.json: [{"data": {...}, "stats": {...}}, ...] per instance, the
// member names keepalived 2.2.7 uses (state as its numbers: 0 init, 1 backup, 2 master, 3 fault).
nlohmann::json keepalived_json(const vrrp::RouterStatus& status);

}  // namespace vigil::control
