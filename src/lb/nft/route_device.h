// Which interface the kernel routes an address through (`ip route get ADDR`): the DR back end
// forwards to a real server on that interface.
#pragma once

#include <optional>
#include <string>

#include "base/address.h"

namespace vigil::lb::nft {

std::optional<std::string> route_device(const IpAddress& address);

}  // namespace vigil::lb::nft
