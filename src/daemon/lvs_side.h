// The real parts of daemon/daemon_parts.h: the LVS side (LvsRuntime with its control commands
// and the ha_suspend address watch) and the /metrics endpoint. Only vigild links this file.
#pragma once

#include <string>

#include "daemon/daemon_parts.h"
#include "daemon/options.h"

namespace vigil::daemon {

// --lb ipvs on a kernel without IPVS: false with the reason, checked before the daemon
// detaches so the user sees it (auto and nft never fail here).
bool lvs_backend_available(const Options& options, std::string& error);

}  // namespace vigil::daemon
