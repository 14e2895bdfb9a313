// The daemon proper. main() calls run_daemon() once options are parsed, the process has
// detached (unless -n), logging is set up (setup_logging) and the pid files are written.
// It returns the process exit status; pid files are removed by main() afterwards.
#pragma once

#include <string>

#include "daemon/options.h"

namespace vigil::daemon {

int run_daemon(const Options& options);

// Words for the "features: ..." line of `vigild --version` (e.g. "vrrp checkers nft"); empty
// when the runtime provides none. Test harnesses look for "vrrp" there before running VRRP
// scenarios against vigild.
std::string runtime_features();

// --lb ipvs on a kernel without IPVS: false with the reason, checked before the daemon
// detaches so the user sees it (auto and nft never fail here).
bool lvs_backend_available(const Options& options, std::string& error);

}  // namespace vigil::daemon
