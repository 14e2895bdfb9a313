// The daemon proper. main() calls run_daemon() once options are parsed, the process has
// detached (unless -n), logging is set up (setup_logging) and the pid files are written.
// It returns the process exit status; pid files are removed by main() afterwards.
#pragma once

#include <string>

#include "conf/model.h"
#include "daemon/options.h"

namespace vigil::daemon {

// In a worker (options.worker set) the control socket is the private one the supervisor relays
// to (worker_socket_path) and /metrics is left to the supervisor.
int run_daemon(const Options& options);

// The public control socket: --control-socket, else global_defs vigil_control_socket, else
// the default.
std::string control_socket_path(const Options& options, const conf::Config& config);
// A worker's private control socket beside the public one: "<public>.vrrp" / "<public>.check".
std::string worker_socket_path(const std::string& public_path, const std::string& worker);

// Words for the "features: ..." line of `vigild --version` (e.g. "vrrp checkers nft"); empty
// when the runtime provides none. Test harnesses look for "vrrp" there before running VRRP
// scenarios against vigild.
std::string runtime_features();

// --lb ipvs on a kernel without IPVS: false with the reason, checked before the daemon
// detaches so the user sees it (auto and nft never fail here).
bool lvs_backend_available(const Options& options, std::string& error);

}  // namespace vigil::daemon
