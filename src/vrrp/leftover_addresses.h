// The VIPs, virtual routes and rules a VRRP process leaves in the kernel when it is killed
// (SIGKILL, a crash): found and removed again, so that no node answers for a VIP its instance
// no longer holds as Master. Two callers, one rule: the Router before its instances start (what
// a predecessor left) and the supervisor as soon as it sees its VRRP worker die
// (daemon/supervisor.h), so a peer taking over during the restart back-off never shares the VIP.
//
// Only what vigil itself would have set is touched: a configured instance's VIPs on the
// interface vigil puts them on (its VMAC, its interface, or the VIP's `dev`), and that
// instance's virtual routes and rules only when one of its VIPs was still there.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "conf/model.h"
#include "netlink/address_ops.h"
#include "vrrp/virtual_routes.h"

namespace vigil::vrrp {

struct LeftoverScope {
  // The link an instance's VIPs go on (VMAC or interface); 0 when it does not exist.
  std::function<int(const conf::VrrpInstance&)> vip_ifindex;
  IfindexOf ifindex_of;  // a VIP's `dev`, routes' interfaces
  // When set, the link one VIP goes on (use_vmac_addr VMACs); else its `dev` or vip_ifindex.
  std::function<int(const conf::VrrpInstance&, const conf::VirtualAddress&)> address_ifindex;
  // The address owner (priority 255) keeps its addresses: it becomes Master at once. Right for
  // a starting Router, wrong for a dead process (the owner is gone until it restarts).
  bool keep_address_owners = false;
};

// Removes the leftovers of every instance of `config`; each instance concerned is logged with
// `why` ("left by an earlier run"). Returns the names of those instances.
std::vector<std::string> remove_leftover_addresses(netlink::AddressOps& ops,
                                                   const conf::Config& config,
                                                   const LeftoverScope& scope,
                                                   std::string_view why);

// What a VRRP process running a configuration may leave behind, with links by name: what a
// process without the Router's links (the supervisor) can resolve when the worker dies. It
// keeps this instead of the whole configuration (~1.2 KB per instance: docs/benchmarks.md).
struct LeftoverInstance {
  struct Address {
    std::string address_vmac;   // use_vmac_addr's VMAC for it, tried first; may be empty
    std::string link;           // else its `dev`, or the instance's VMAC or interface
    netlink::AddressSpec spec;  // ifindex 0: resolved from the link at removal
  };
  std::string name;
  bool address_owner = false;
  std::string vip_link;            // the instance's VMAC or interface (its routes' default link)
  std::vector<Address> addresses;  // vips, then excluded_vips
  // Only for an instance with virtual routes or rules: its name, routes and rules.
  std::shared_ptr<const conf::VrrpInstance> routes;
};

// `config`'s instances, with links named as a VRRP worker names them (the VMAC's name when
// use_vmac, use_vmac_addr's address VMACs as a starting Router plans them).
std::vector<LeftoverInstance> describe_leftovers(const conf::Config& config);

// As above, for described instances; links looked up by name through `ops`.
std::vector<std::string> remove_leftover_addresses(netlink::AddressOps& ops,
                                                   const std::vector<LeftoverInstance>& instances,
                                                   std::string_view why,
                                                   bool keep_address_owners = false);

}  // namespace vigil::vrrp
