// The real parts of daemon/daemon_parts.h: the LVS side (LvsRuntime with its control commands
// and the ha_suspend address watch) and the /metrics endpoint. Only vigild links this file.
#pragma once

#include <string>

#include "daemon/daemon_parts.h"
#include "daemon/options.h"

namespace vigil::daemon {

// full_daemon_parts() is declared in daemon/daemon_parts.h.

}  // namespace vigil::daemon
