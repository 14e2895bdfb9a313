// Link (interface) queries and state changes over rtnetlink.
#pragma once

#include <linux/netlink.h>

#include <optional>
#include <string_view>
#include <vector>

#include "netlink/result.h"
#include "netlink/rtnl_socket.h"
#include "netlink/types.h"

namespace vigil::netlink {

// Decodes an RTM_NEWLINK/RTM_DELLINK message; nullopt when it is not one.
std::optional<LinkInfo> parse_link(const nlmsghdr* nlh);

Result<LinkInfo> get_link(RtnlSocket& sock, int ifindex);
Result<LinkInfo> get_link(RtnlSocket& sock, std::string_view name);
Result<std::vector<LinkInfo>> list_links(RtnlSocket& sock);

// `ip link set dev IF up|down`.
Result<void> set_link_up(RtnlSocket& sock, int ifindex, bool up);
// `ip link del dev IF`.
Result<void> delete_link(RtnlSocket& sock, int ifindex);

}  // namespace vigil::netlink
