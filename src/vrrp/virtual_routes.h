// virtual_routes and virtual_rules of a vrrp_instance: converted to rtnetlink specs and added
// when the instance becomes Master, removed when it leaves Master (Backup, Fault, Stop), like
// its virtual addresses. A route naming an interface that does not exist is logged and
// skipped; the others still apply.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "conf/model.h"
#include "netlink/address_ops.h"
#include "netlink/types.h"

namespace vigil::vrrp {

// Resolves an interface name to its ifindex (nullopt: no such interface).
using IfindexOf = std::function<std::optional<int>(const std::string& name)>;

// `default_ifindex`: the instance's interface, for a route without `dev` and no gateway
// (keepalived puts such routes on the instance's interface). nullopt when `dev` is missing.
std::optional<netlink::RouteSpec> route_spec_from(const conf::Route& r, int default_ifindex,
                                                  const IfindexOf& ifindex_of, std::string& error);
netlink::RuleSpec rule_spec_from(const conf::Rule& r);

// Adds (present) or removes every route and rule of the instance; "already there" on add and
// "not there" on delete are not errors. Returns the number of failures (each one logged).
int apply_virtual_routes(netlink::AddressOps& ops, const conf::VrrpInstance& ic,
                         int instance_ifindex, const IfindexOf& ifindex_of, bool present);

}  // namespace vigil::vrrp
