// The daemon proper. main() calls run_daemon() once options are parsed, the process has
// detached (unless -n), logging is set up (setup_logging) and the pid files are written.
// It returns the process exit status; pid files are removed by main() afterwards.
#pragma once

#include <string>

#include "conf/model.h"
#include "daemon/daemon_parts.h"
#include "daemon/options.h"

namespace vigil::daemon {

// In a worker (options.worker set) the control socket is the private one the supervisor relays
// to (worker_socket_path) and /metrics is left to the supervisor. `parts`: what this executable
// runs besides the VRRP Router (the LVS side, its own /metrics endpoint); vigild-vrrp has none.
int run_daemon(const Options& options, const DaemonParts& parts);

// The public control socket: --control-socket, else global_defs vigil_control_socket, else
// the default.
std::string control_socket_path(const Options& options, const conf::Config& config);
// A worker's private control socket beside the public one: "<public>.vrrp" / "<public>.check".
std::string worker_socket_path(const std::string& public_path, const std::string& worker);

// Words for the "features: ..." line of `vigild --version` (e.g. "vrrp checkers nft"); empty
// when the runtime provides none. Test harnesses look for "vrrp" there before running VRRP
// scenarios against vigild.
std::string runtime_features();

}  // namespace vigil::daemon
