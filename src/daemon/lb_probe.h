// The --lb check vigild makes before it detaches, so the user sees a refusal on the terminal.
// Only the IPVS back end is probed (generic netlink): vigild itself links no data plane.
#pragma once

#include <string>

#include "daemon/options.h"

namespace vigil::daemon {

// --lb ipvs on a kernel without IPVS: false with the reason (auto and nft never fail here).
bool lvs_backend_available(const Options& options, std::string& error);

}  // namespace vigil::daemon
