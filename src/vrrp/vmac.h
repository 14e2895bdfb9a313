// VRRP virtual MAC interfaces (use_vmac): a macvlan in private mode on the parent link,
// named vrrp.<VRID> unless configured, with MAC 00:00:5e:00:01:<VRID> (IPv6:
// 00:00:5e:00:02:<VRID>), created and set up over rtnetlink.
#pragma once

#include <optional>
#include <string>

#include "base/address.h"
#include "netlink/result.h"
#include "netlink/rtnl_socket.h"
#include "netlink/types.h"

namespace vigil::vrrp {

// RFC 5798 section 7.3.
netlink::MacAddress virtual_mac(Family family, uint8_t vrid);
// keepalived's default name: "vrrp.<VRID>".
std::string default_vmac_name(uint8_t vrid);

struct VmacConfig {
  int parent_ifindex = 0;
  uint8_t vrid = 0;
  Family family = Family::V4;
  std::optional<std::string> name;         // default_vmac_name(vrid) when absent
  std::optional<netlink::MacAddress> mac;  // virtual_mac(family, vrid) when absent
  // IPv4 instance: IPv6 is switched off on the macvlan before it comes up, so it never sends
  // MLD or DAD frames from the shared virtual MAC (a backup's would mislead switches).
  bool ipv4_only = false;
  // IPv6 instance (family V6): the macvlan gets no kernel-generated link-local address.
};

// Creates the macvlan and sets it up; returns its ifindex. EEXIST when a link of that name
// already exists (the caller may adopt it after checking kind and MAC with get_link).
netlink::Result<int> create_vmac(netlink::RtnlSocket& sock, const VmacConfig& config);
netlink::Result<void> delete_vmac(netlink::RtnlSocket& sock, int ifindex);

}  // namespace vigil::vrrp
