#include "vrrp/virtual_routes.h"

#include <gtest/gtest.h>

#include "netlink/fake_ops.h"

namespace vigil::vrrp {
namespace {

using netlink::FakeAddressOps;

IpPrefix pfx(const char* s) {
  return *IpPrefix::parse(s);
}
IpAddress ip(const char* s) {
  return *IpAddress::parse(s);
}

std::optional<int> known_links(const std::string& name) {
  if (name == "eth0") return 2;
  if (name == "eth1") return 3;
  return std::nullopt;
}

conf::VrrpInstance instance_with_routes() {
  conf::VrrpInstance ic;
  ic.name = "VI_1";
  conf::Route via;
  via.destination = pfx("198.51.100.0/24");
  via.via = ip("192.0.2.254");
  via.dev = "eth1";
  via.metric = 20;
  via.table = 100;
  ic.routes.push_back(via);
  conf::Route bare;  // neither dev nor gateway: the instance's interface
  bare.destination = pfx("203.0.113.0/24");
  ic.routes.push_back(bare);
  conf::Route blackhole;
  blackhole.type = conf::RouteType::Blackhole;
  blackhole.destination = pfx("203.0.113.128/25");
  ic.routes.push_back(blackhole);
  conf::Rule rule;
  rule.from = pfx("192.0.2.100/32");
  rule.table = 100;
  rule.preference = 1000;
  ic.rules.push_back(rule);
  return ic;
}

TEST(VirtualRoutes, RouteSpecFromConfig) {
  auto ic = instance_with_routes();
  std::string error;
  auto via = route_spec_from(ic.routes[0], 2, known_links, error);
  ASSERT_TRUE(via) << error;
  EXPECT_EQ(via->ifindex, 3);
  EXPECT_EQ(via->via, ip("192.0.2.254"));
  EXPECT_EQ(via->metric, 20u);
  EXPECT_EQ(via->table, 100u);
  EXPECT_EQ(via->type, netlink::RouteType::Unicast);

  auto bare = route_spec_from(ic.routes[1], 2, known_links, error);
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->ifindex, 2);
  EXPECT_EQ(bare->table, 254u);

  auto bh = route_spec_from(ic.routes[2], 2, known_links, error);
  ASSERT_TRUE(bh);
  EXPECT_EQ(bh->type, netlink::RouteType::Blackhole);
  EXPECT_EQ(bh->ifindex, 0);
}

TEST(VirtualRoutes, RuleSpecFromConfig) {
  conf::Rule r;
  r.to = pfx("2001:db8::/64");
  r.invert = true;
  r.action = conf::RuleAction::Goto;
  r.goto_target = 500;
  r.fwmark = 7;
  r.fwmask = 0xff;
  auto s = rule_spec_from(r);
  EXPECT_EQ(s.family, Family::V6);
  EXPECT_TRUE(s.invert);
  EXPECT_EQ(s.action, netlink::RuleAction::Goto);
  EXPECT_EQ(s.goto_target, 500u);
  EXPECT_EQ(s.fwmark, 7u);
  EXPECT_EQ(s.fwmask, 0xffu);
}

TEST(VirtualRoutes, AddedOnMasterRemovedOnLeaving) {
  FakeAddressOps ops;
  auto ic = instance_with_routes();
  EXPECT_EQ(apply_virtual_routes(ops, ic, 2, known_links, true), 0);
  EXPECT_EQ(ops.routes.size(), 3u);
  ASSERT_EQ(ops.rules.size(), 1u);
  EXPECT_EQ(ops.rules[0].priority, 1000u);
  // Rules go in before the routes that may need their table.
  ASSERT_FALSE(ops.calls.empty());
  EXPECT_TRUE(std::holds_alternative<FakeAddressOps::AddRule>(ops.calls.front()));

  // Becoming Master twice (resync) is not an error.
  EXPECT_EQ(apply_virtual_routes(ops, ic, 2, known_links, true), 0);
  EXPECT_EQ(ops.routes.size(), 3u);

  EXPECT_EQ(apply_virtual_routes(ops, ic, 2, known_links, false), 0);
  EXPECT_TRUE(ops.routes.empty());
  EXPECT_TRUE(ops.rules.empty());
  EXPECT_TRUE(std::holds_alternative<FakeAddressOps::DelRule>(ops.calls.back()));
  // Leaving again (Backup after Fault) finds nothing to remove, quietly.
  EXPECT_EQ(apply_virtual_routes(ops, ic, 2, known_links, false), 0);
}

TEST(VirtualRoutes, MissingInterfaceIsSkippedOthersStillApply) {
  FakeAddressOps ops;
  auto ic = instance_with_routes();
  ic.routes[0].dev = "nosuch0";
  EXPECT_EQ(apply_virtual_routes(ops, ic, 2, known_links, true), 1);
  EXPECT_EQ(ops.routes.size(), 2u);
  for (const auto& r : ops.routes) EXPECT_NE(r.destination, pfx("198.51.100.0/24"));
}

TEST(VirtualRoutes, KernelErrorIsCountedNotFatal) {
  FakeAddressOps ops;
  auto ic = instance_with_routes();
  ops.fail_next(netlink::Error{EPERM, "Operation not permitted"});  // the rule
  EXPECT_EQ(apply_virtual_routes(ops, ic, 2, known_links, true), 1);
  EXPECT_TRUE(ops.rules.empty());
  EXPECT_EQ(ops.routes.size(), 3u);
}

}  // namespace
}  // namespace vigil::vrrp
