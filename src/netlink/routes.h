// Routes and policy rules over rtnetlink: virtual_routes / static_routes and virtual_rules /
// static_rules in their common forms.
#pragma once

#include <optional>
#include <vector>

#include "netlink/result.h"
#include "netlink/rtnl_socket.h"
#include "netlink/types.h"

namespace vigil::netlink {

// `ip route add`: EEXIST when an identical route is present.
Result<void> add_route(RtnlSocket& sock, const RouteSpec& spec);
// `ip route del`: ESRCH when absent.
Result<void> del_route(RtnlSocket& sock, const RouteSpec& spec);

// `ip rule add`: EEXIST when an identical rule is present.
Result<void> add_rule(RtnlSocket& sock, const RuleSpec& spec);
// `ip rule del`: ENOENT when absent.
Result<void> del_rule(RtnlSocket& sock, const RuleSpec& spec);

}  // namespace vigil::netlink

namespace vigil::netlink {

// A route as dumped (the fields the RouteSpec can set).
struct RouteInfo {
  RouteType type = RouteType::Unicast;
  IpPrefix destination;
  std::optional<IpAddress> via;
  int ifindex = 0;
  std::optional<IpAddress> src;
  std::optional<uint32_t> metric;
  uint32_t table = 0;
  Scope scope = Scope::Universe;
  uint8_t protocol = 0;
};

// A policy rule as dumped.
struct RuleInfo {
  Family family = Family::V4;
  bool invert = false;
  std::optional<IpPrefix> from;
  std::optional<IpPrefix> to;
  RuleAction action = RuleAction::ToTable;
  uint32_t table = 0;
  std::optional<uint32_t> priority;
  std::optional<uint32_t> fwmark;
  std::optional<uint32_t> fwmask;
};

// Every route of `family` in `table` (0: all tables).
Result<std::vector<RouteInfo>> list_routes(RtnlSocket& sock, Family family, uint32_t table = 0);
Result<std::vector<RuleInfo>> list_rules(RtnlSocket& sock, Family family);

}  // namespace vigil::netlink
