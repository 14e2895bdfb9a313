#include "vrrp/vmac.h"

#include <net/if.h>

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <fstream>

#include "netlink/links.h"

namespace vigil::vrrp {

using netlink::Error;
using netlink::MacAddress;
using netlink::RequestBuffer;
using netlink::Result;

MacAddress virtual_mac(Family family, uint8_t vrid) {
  return MacAddress{
      {0x00, 0x00, 0x5e, 0x00, static_cast<uint8_t>(family == Family::V4 ? 1 : 2), vrid}};
}

std::string default_vmac_name(uint8_t vrid) {
  return "vrrp." + std::to_string(vrid);
}

Result<int> create_vmac(netlink::RtnlSocket& sock, const VmacConfig& config) {
  if (config.parent_ifindex <= 0) return Error{EINVAL, "vmac: no parent interface"};
  if (config.vrid == 0) return Error{EINVAL, "vmac: VRID must be 1-255"};
  const std::string name = config.name.value_or(default_vmac_name(config.vrid));
  if (name.empty() || name.size() >= IFNAMSIZ)
    return Error{EINVAL, "vmac: bad interface name '" + name + "'"};
  const MacAddress mac = config.mac.value_or(virtual_mac(config.family, config.vrid));

  RequestBuffer req;
  auto* ifi =
      static_cast<ifinfomsg*>(req.start(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(ifinfomsg)));
  ifi->ifi_family = AF_UNSPEC;
  nlmsghdr* nlh = req.header();
  mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
  mnl_attr_put_u32(nlh, IFLA_LINK, static_cast<uint32_t>(config.parent_ifindex));
  mnl_attr_put(nlh, IFLA_ADDRESS, mac.bytes.size(), mac.bytes.data());
  nlattr* linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
  mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "macvlan");
  nlattr* data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
  // Private: the VMAC never talks to other macvlans of the parent, as keepalived sets it.
  mnl_attr_put_u32(nlh, IFLA_MACVLAN_MODE, MACVLAN_MODE_PRIVATE);
  mnl_attr_nest_end(nlh, data);
  mnl_attr_nest_end(nlh, linkinfo);
  if (auto r = sock.request(nlh, {}, "create vmac " + name); !r) return r.error();

  auto link = netlink::get_link(sock, name);
  if (!link) return link.error();
  if (config.ipv4_only) {
    // Best effort: absent when the kernel has no IPv6 at all, which is just as good.
    std::ofstream("/proc/sys/net/ipv6/conf/" + name + "/disable_ipv6") << "1\n";
  }
  if (config.family == Family::V6) {
    // No link-local of its own (addr_gen_mode none, as keepalived): one derived from the
    // shared virtual MAC would be the same on every router, fail DAD and be a wrong advert
    // source; the runtime gives the VMAC the base interface's link-local instead.
    std::ofstream("/proc/sys/net/ipv6/conf/" + name + "/addr_gen_mode") << "1\n";
  }
  if (auto r = netlink::set_link_up(sock, link->ifindex, true); !r) {
    (void)netlink::delete_link(sock, link->ifindex);
    return r.error();
  }
  return link->ifindex;
}

Result<void> delete_vmac(netlink::RtnlSocket& sock, int ifindex) {
  return netlink::delete_link(sock, ifindex);
}

}  // namespace vigil::vrrp
