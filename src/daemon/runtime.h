// The daemon proper. main() calls run_daemon() once options are parsed, the process has
// detached (unless -n), logging is set up (setup_logging) and the pid files are written.
// It returns the process exit status; pid files are removed by main() afterwards.
#pragma once

#include <string>

#include "conf/model.h"
#include "daemon/daemon_parts.h"
#include "daemon/options.h"
#include "daemon/runtime_names.h"

namespace vigil::daemon {

// In a worker (options.worker set) the control socket is the private one the supervisor relays
// to (worker_socket_path) and /metrics is left to the supervisor. `parts`: what this executable
// runs besides the VRRP Router (the LVS side, its own /metrics endpoint); vigild-vrrp has none.
int run_daemon(const Options& options, const DaemonParts& parts);

}  // namespace vigil::daemon
