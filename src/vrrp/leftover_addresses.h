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

// A scope for a process without a Router (the supervisor): links looked up by name through
// `ops` (the VMAC's name when use_vmac, else the instance's interface). It refers to `ops` and
// `config`: use it while both live (within one remove_leftover_addresses() call).
LeftoverScope leftover_scope_by_name(netlink::AddressOps& ops, const conf::Config& config);

}  // namespace vigil::vrrp
