// use_vmac_addr and the per-address use_vmac option: which extra VMACs (macvlans) an instance
// needs for its VIPs/eVIPs, apart from its own use_vmac one. Pure planning, no kernel access;
// vmac_setup.h creates what this plans.
//
// A VIP needs one when use_vmac_addr (instance) or use_vmac (on the address) asks and the
// address is not on the instance's own interface or not of the instance's family (an IPv6 eVIP
// of an IPv4 instance needs the 00:00:5e:00:02:VRID MAC). use_vmac on an address of the
// instance's interface and family also gets one unless the instance has its own VMAC, which
// then carries it. Addresses sharing a base interface and family share one VMAC.
//
// Names as keepalived 2.2.7 gives them: "<prefix>.<VRID>" for IPv4, "<prefix>6.<VRID>" for
// IPv6, and when that is taken "<prefix>1.<VRID>", "<prefix>2.<VRID>", ... (prefix:
// vmac_addr_prefix, default vmac_prefix, default "vrrp").
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/address.h"
#include "conf/model.h"
#include "netlink/types.h"

namespace vigil::vrrp {

struct AddressVmacKey {
  std::string base;  // the interface the macvlan sits on
  Family family = Family::V4;
  bool operator==(const AddressVmacKey&) const = default;
};

struct AddressVmacPlan {
  AddressVmacKey key;
  std::string name;  // empty when no name under IFNAMSIZ was free (the caller reports it)
  netlink::MacAddress mac;
};

// The address VMAC a VIP goes on; nullopt: the instance's VMAC (use_vmac) or the interface
// itself. `interface` is the instance's effective interface.
std::optional<AddressVmacKey> address_vmac_key(const conf::VrrpInstance& ic,
                                               const std::string& interface,
                                               const conf::VirtualAddress& v);

// The address VMACs of an instance in first-use order (vips, then excluded_vips). `taken`
// holds names already in use (instance VMACs, other instances' address VMACs); the planned
// names are added to it.
std::vector<AddressVmacPlan> plan_address_vmacs(const conf::VrrpInstance& ic,
                                                const std::string& interface,
                                                const std::string& prefix,
                                                std::set<std::string>& taken);

// The names of the instances' own VMACs (use_vmac), which address VMACs never take.
std::set<std::string> instance_vmac_names(const conf::Config& config);

// Every instance's address VMACs, by instance name, planned as a starting Router plans them
// (config order, instance VMAC names reserved first): the names a killed worker left behind.
std::map<std::string, std::vector<AddressVmacPlan>> plan_all_address_vmacs(
    const conf::Config& config);

// The prefix for address VMAC names: vmac_addr_prefix, else vmac_prefix.
std::string address_vmac_prefix(const conf::Config& config);

}  // namespace vigil::vrrp
