// Interface addresses over rtnetlink: add, delete, dump.
#pragma once

#include <linux/netlink.h>

#include <optional>
#include <vector>

#include "netlink/result.h"
#include "netlink/rtnl_socket.h"
#include "netlink/types.h"

namespace vigil::netlink {

// Decodes an RTM_NEWADDR/RTM_DELADDR message; nullopt when it is not one.
std::optional<AddressInfo> parse_address(const nlmsghdr* nlh);

// `ip addr add`: fails with EEXIST when the address is already there (callers that only
// want it present may treat that as success).
Result<void> add_address(RtnlSocket& sock, const AddressSpec& spec);
// `ip addr del`: fails with EADDRNOTAVAIL when absent.
Result<void> del_address(RtnlSocket& sock, const AddressSpec& spec);
// All addresses of `ifindex` (0: every link), optionally of one family.
Result<std::vector<AddressInfo>> list_addresses(RtnlSocket& sock, int ifindex,
                                                std::optional<Family> family = std::nullopt);

}  // namespace vigil::netlink
