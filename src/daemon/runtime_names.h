// Names the supervisor and the runtime agree on (control sockets) and the feature words of
// `--version`; apart from daemon/runtime.h so that vigild's parent does not link the runtime.
#pragma once

#include <string>

#include "conf/model.h"
#include "daemon/options.h"

namespace vigil::daemon {

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
