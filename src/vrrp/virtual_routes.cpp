#include "vrrp/virtual_routes.h"

#include <spdlog/spdlog.h>

#include <cerrno>

namespace vigil::vrrp {
namespace {

netlink::RouteType route_type(conf::RouteType t) {
  switch (t) {
    case conf::RouteType::Local:
      return netlink::RouteType::Local;
    case conf::RouteType::Broadcast:
      return netlink::RouteType::Broadcast;
    case conf::RouteType::Anycast:
      return netlink::RouteType::Anycast;
    case conf::RouteType::Multicast:
      return netlink::RouteType::Multicast;
    case conf::RouteType::Blackhole:
      return netlink::RouteType::Blackhole;
    case conf::RouteType::Unreachable:
      return netlink::RouteType::Unreachable;
    case conf::RouteType::Prohibit:
      return netlink::RouteType::Prohibit;
    case conf::RouteType::Throw:
      return netlink::RouteType::Throw;
    default:
      return netlink::RouteType::Unicast;
  }
}

netlink::Scope scope_of(conf::AddressScope s) {
  switch (s) {
    case conf::AddressScope::Site:
      return netlink::Scope::Site;
    case conf::AddressScope::Link:
      return netlink::Scope::Link;
    case conf::AddressScope::Host:
      return netlink::Scope::Host;
    case conf::AddressScope::Nowhere:
      return netlink::Scope::Nowhere;
    default:
      return netlink::Scope::Universe;
  }
}

netlink::RuleAction rule_action(conf::RuleAction a) {
  switch (a) {
    case conf::RuleAction::Goto:
      return netlink::RuleAction::Goto;
    case conf::RuleAction::Nop:
      return netlink::RuleAction::Nop;
    case conf::RuleAction::Blackhole:
      return netlink::RuleAction::Blackhole;
    case conf::RuleAction::Unreachable:
      return netlink::RuleAction::Unreachable;
    case conf::RuleAction::Prohibit:
      return netlink::RuleAction::Prohibit;
    default:
      return netlink::RuleAction::ToTable;
  }
}

bool needs_device(netlink::RouteType t) {
  return t == netlink::RouteType::Unicast || t == netlink::RouteType::Local ||
         t == netlink::RouteType::Broadcast || t == netlink::RouteType::Anycast ||
         t == netlink::RouteType::Multicast;
}

}  // namespace

std::optional<netlink::RouteSpec> route_spec_from(const conf::Route& r, int default_ifindex,
                                                  const IfindexOf& ifindex_of, std::string& error) {
  netlink::RouteSpec s;
  s.type = route_type(r.type);
  s.destination = r.destination;
  s.via = r.via;
  s.src = r.src;
  s.metric = r.metric;
  if (r.table) s.table = *r.table;
  if (r.scope) s.scope = scope_of(*r.scope);
  if (r.protocol) s.protocol = *r.protocol;
  s.onlink = r.onlink;
  if (r.dev) {
    auto idx = ifindex_of(*r.dev);
    if (!idx) {
      error = "interface " + *r.dev + " not found";
      return std::nullopt;
    }
    s.ifindex = *idx;
  } else if (!r.via && needs_device(s.type)) {
    // keepalived: a route with neither dev nor gateway goes on the instance's interface.
    s.ifindex = default_ifindex;
  }
  return s;
}

netlink::RuleSpec rule_spec_from(const conf::Rule& r) {
  netlink::RuleSpec s;
  s.family = r.is_v6() ? Family::V6 : Family::V4;
  s.invert = r.invert;
  s.from = r.from;
  s.to = r.to;
  s.action = rule_action(r.action);
  s.table = r.table.value_or(0);
  s.goto_target = r.goto_target;
  s.priority = r.preference;
  s.fwmark = r.fwmark;
  s.fwmask = r.fwmask;
  s.iif = r.iif;
  s.oif = r.oif;
  s.tos = r.tos;
  return s;
}

int apply_virtual_routes(netlink::AddressOps& ops, const conf::VrrpInstance& ic,
                         int instance_ifindex, const IfindexOf& ifindex_of, bool present) {
  int failures = 0;
  const char* verb = present ? "add" : "remove";
  // Routes may depend on rules' tables and not the other way round: rules first when adding,
  // last when removing (keepalived's order too).
  auto rules = [&] {
    for (const auto& r : ic.rules) {
      auto spec = rule_spec_from(r);
      auto res = present ? ops.add_rule(spec) : ops.del_rule(spec);
      const int benign = present ? EEXIST : ENOENT;
      if (!res && res.error().code != benign) {
        ++failures;
        spdlog::error("({}) cannot {} virtual rule at {}: {}", ic.name, verb, r.loc.to_string(),
                      res.error().message);
      }
    }
  };
  if (present) rules();
  for (const auto& r : ic.routes) {
    std::string error;
    auto spec = route_spec_from(r, instance_ifindex, ifindex_of, error);
    if (!spec) {
      ++failures;
      spdlog::error("({}) skipping virtual route {}: {}", ic.name, r.destination.to_string(),
                    error);
      continue;
    }
    auto res = present ? ops.add_route(*spec) : ops.del_route(*spec);
    const int benign = present ? EEXIST : ESRCH;
    if (!res && res.error().code != benign) {
      ++failures;
      spdlog::error("({}) cannot {} virtual route {}: {}", ic.name, verb, r.destination.to_string(),
                    res.error().message);
    }
  }
  if (!present) rules();
  return failures;
}

}  // namespace vigil::vrrp
