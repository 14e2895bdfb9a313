// use_vmac at run time: for each instance that asks, the macvlan (vmac.h) created at start
// on the instance's interface, keepalived's sysctls around it, and its removal at stop.
//
// The sysctls: on the macvlan arp_ignore=1 (answer ARP only for its own addresses, the VIPs),
// accept_local=1 and rp_filter=0 (adverts carry the base interface's source address); on the
// base interface arp_ignore=1 and arp_filter=1, so the base never answers ARP for a VIP with
// its own MAC, and arp_announce=2, so its own ARP requests never name a VIP as sender (vigil
// adds this one: without it a client re-learns the VIP at the base MAC). Previous values are
// put back at stop.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "conf/model.h"
#include "netlink/rtnl_socket.h"
#include "vrrp/vmac.h"
#include "vrrp/vmac_plan.h"

namespace vigil::vrrp {

// Name and MAC of an instance's VMAC; a configured MAC of 5 octets gets the VRID as the 6th.
// nullopt with `error` when the configured MAC does not parse.
std::optional<VmacConfig> vmac_config_from(const conf::VrrpInstance& ic, int parent_ifindex,
                                           std::string& error);

// The VMAC's link name: the configured one, else keepalived's default "vrrp.<VRID>".
std::string vmac_name(const conf::VrrpInstance& ic);

class VmacManager {
 public:
  explicit VmacManager(netlink::RtnlSocket& sock) : sock_(sock) {}
  ~VmacManager() = default;
  VmacManager(const VmacManager&) = delete;
  VmacManager& operator=(const VmacManager&) = delete;

  // Creates (or adopts a macvlan of that name and MAC left from an earlier run) the instance's
  // VMAC and applies the sysctls; nullopt (logged) when it cannot.
  std::optional<int> create(const conf::VrrpInstance& ic, int parent_ifindex,
                            const std::string& parent_name);
  // use_vmac_addr / per-address use_vmac: one planned address VMAC (vmac_plan.h) on
  // `parent_ifindex`, set up as the instance's own would be for that family.
  std::optional<int> create_for_addresses(const conf::VrrpInstance& ic, const AddressVmacPlan& plan,
                                          int parent_ifindex);
  // IPv6 VMAC: the base interface's link-local address, so adverts leave the VMAC (with the
  // virtual MAC) from the same source address as without it (keepalived does the same):
  // nodad (every router of the VRID has the VMAC) and preferred_lft 0 (never picked as a
  // source for other traffic).
  void add_link_local(int vmac_ifindex, const IpAddress& link_local, const std::string& name);
  // Deletes every VMAC created and restores the sysctls.
  void remove_all();
  // Reload: deletes the VMACs created here that are not in `in_use` (their instances were
  // removed or restarted with another VMAC), so a reload leaves no macvlan it no longer needs
  // and frees its name for the new configuration. The sysctls stay until remove_all().
  void remove_unused(const std::set<int>& in_use);

 private:
  // Creates (or adopts) the macvlan `cfg` names and applies the sysctls of its family.
  std::optional<int> create_link(const VmacConfig& cfg, const std::string& owner,
                                 const std::string& parent_name);
  void set_sysctl(const std::string& path, const std::string& value);

  netlink::RtnlSocket& sock_;
  std::vector<std::pair<int, std::string>> created_;        // ifindex, name
  std::vector<std::pair<std::string, std::string>> saved_;  // path, old value
};

}  // namespace vigil::vrrp
