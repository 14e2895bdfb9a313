#include "vrrp/leftover_addresses.h"

#include <gtest/gtest.h>

#include "conf/load.h"
#include "netlink/fake_ops.h"

namespace vigil::vrrp {
namespace {

using netlink::FakeAddressOps;

constexpr const char* kConfig = R"(
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 1
  priority 100
  virtual_ipaddress {
    192.0.2.100/24
    192.0.2.101/24 dev eth1
  }
  virtual_routes {
    198.51.100.0/24 via 192.0.2.254 dev eth0
  }
}
vrrp_instance OWNER {
  interface eth0
  use_vmac
  virtual_router_id 2
  priority 255
  virtual_ipaddress {
    192.0.2.200/24
  }
}
vrrp_instance IDLE {
  interface eth0
  virtual_router_id 3
  priority 100
  virtual_ipaddress {
    192.0.2.150/24
  }
  virtual_routes {
    203.0.113.0/24 via 192.0.2.254 dev eth0
  }
}
)";

conf::Config load() {
  conf::LoadResult r = conf::load_config_text("/test/keepalived.conf", kConfig, {});
  std::string errors;
  for (const auto& d : r.diag.all()) errors += conf::format_diagnostic(d, false);
  EXPECT_TRUE(r.config) << errors;
  return r.config ? std::move(*r.config) : conf::Config{};
}

netlink::LinkInfo link(int ifindex, const char* name) {
  netlink::LinkInfo l;
  l.ifindex = ifindex;
  l.name = name;
  return l;
}

netlink::AddressSpec addr(int ifindex, const char* prefix) {
  netlink::AddressSpec a;
  a.ifindex = ifindex;
  a.prefix = *IpPrefix::parse(prefix);
  return a;
}

netlink::RouteSpec route(const char* destination, int ifindex) {
  netlink::RouteSpec r;
  r.destination = *IpPrefix::parse(destination);
  r.via = *IpAddress::parse("192.0.2.254");
  r.ifindex = ifindex;
  return r;
}

// The kernel after a VRRP process holding VI_1 and OWNER was killed: their VIPs (VI_1's on
// eth1 already gone) and VI_1's route; plus what is not vigil's: the node's own address, the
// same address as a VIP on another interface, and IDLE's route (IDLE holds no VIP).
FakeAddressOps killed_kernel() {
  FakeAddressOps ops;
  ops.links = {link(2, "eth0"), link(3, "eth1"), link(9, "eth9"), link(10, "vrrp.2")};
  ops.addresses = {addr(2, "192.0.2.1/24"), addr(2, "192.0.2.100/24"), addr(9, "192.0.2.100/24"),
                   addr(10, "192.0.2.200/24")};
  ops.routes = {route("198.51.100.0/24", 2), route("203.0.113.0/24", 2)};
  return ops;
}

std::vector<std::string> remaining(const FakeAddressOps& ops) {
  std::vector<std::string> out;
  for (const auto& a : ops.addresses)
    out.push_back(std::to_string(a.ifindex) + ":" + a.prefix.to_string());
  return out;
}

TEST(LeftoverAddresses, DeadProcessLosesItsVipsAndRoutesAndNothingElse) {
  const conf::Config config = load();
  FakeAddressOps ops = killed_kernel();
  auto cleaned = remove_leftover_addresses(ops, describe_leftovers(config), "for a test");
  EXPECT_EQ(cleaned, (std::vector<std::string>{"VI_1", "OWNER"}));
  EXPECT_EQ(remaining(ops), (std::vector<std::string>{"2:192.0.2.1/24", "9:192.0.2.100/24"}));
  ASSERT_EQ(ops.routes.size(), 1u);  // IDLE's: it held no VIP, so the route is not vigil's
  EXPECT_EQ(ops.routes[0].destination.to_string(), "203.0.113.0/24");
  // Only what was there is deleted: no attempt on VI_1's eth1 VIP or IDLE's.
  size_t deletes = 0;
  for (const auto& c : ops.calls) deletes += std::holds_alternative<FakeAddressOps::DelAddress>(c);
  EXPECT_EQ(deletes, 2u);
}

TEST(LeftoverAddresses, StartingRouterLetsTheAddressOwnerKeepItsVips) {
  const conf::Config config = load();
  FakeAddressOps ops = killed_kernel();
  auto cleaned = remove_leftover_addresses(ops, describe_leftovers(config), "for a test",
                                           /*keep_address_owners=*/true);
  EXPECT_EQ(cleaned, (std::vector<std::string>{"VI_1"}));
  EXPECT_EQ(remaining(ops),
            (std::vector<std::string>{"2:192.0.2.1/24", "9:192.0.2.100/24", "10:192.0.2.200/24"}));
}

// The Router's path: the configuration with its own link lookups (a LeftoverScope), here the
// same names as the supervisor's description resolves.
TEST(LeftoverAddresses, ScopeOfTheRouterRemovesTheSame) {
  const conf::Config config = load();
  FakeAddressOps ops = killed_kernel();
  LeftoverScope scope;
  scope.ifindex_of = [&ops](const std::string& name) -> std::optional<int> {
    auto l = ops.link_by_name(name);
    if (!l) return std::nullopt;
    return l->ifindex;
  };
  scope.vip_ifindex = [&scope](const conf::VrrpInstance& ic) {
    return scope.ifindex_of(ic.vmac ? std::string("vrrp.2") : *ic.interface).value_or(0);
  };
  auto cleaned = remove_leftover_addresses(ops, config, scope, "for a test");
  EXPECT_EQ(cleaned, (std::vector<std::string>{"VI_1", "OWNER"}));
  EXPECT_EQ(remaining(ops), (std::vector<std::string>{"2:192.0.2.1/24", "9:192.0.2.100/24"}));
  ASSERT_EQ(ops.routes.size(), 1u);
  EXPECT_EQ(ops.routes[0].destination.to_string(), "203.0.113.0/24");
}

TEST(LeftoverAddresses, MissingInterfaceOrCleanKernelTouchesNothing) {
  const conf::Config config = load();
  FakeAddressOps ops = killed_kernel();
  ops.links = {link(3, "eth1")};  // eth0 and the VMAC are gone
  EXPECT_TRUE(remove_leftover_addresses(ops, describe_leftovers(config), "x").empty());
  EXPECT_TRUE(ops.calls.empty());

  FakeAddressOps clean;
  clean.links = {link(2, "eth0")};
  clean.addresses = {addr(2, "192.0.2.1/24")};
  EXPECT_TRUE(remove_leftover_addresses(clean, describe_leftovers(config), "x").empty());
  EXPECT_TRUE(clean.calls.empty());
}

// use_vmac_addr: a killed worker's VIPs on its address VMACs (named as it planned them, the
// VMACs still there) are leftovers too; the same address on another link is not.
TEST(LeftoverAddresses, AddressVmacsOfUseVmacAddrAreCleaned) {
  conf::LoadResult r = conf::load_config_text("/test/keepalived.conf", R"(
vrrp_instance V {
  interface eth0
  virtual_router_id 5
  priority 100
  use_vmac_addr
  virtual_ipaddress {
    192.0.2.100/24
    198.51.100.10/24 dev eth1
  }
  virtual_ipaddress_excluded {
    2001:db8::10/64
  }
}
)",
                                              {});
  ASSERT_TRUE(r.config);
  FakeAddressOps ops;
  ops.links = {link(2, "eth0"), link(3, "eth1"), link(11, "vrrp.5"), link(12, "vrrp6.5")};
  ops.addresses = {addr(2, "192.0.2.100/24"), addr(3, "198.51.100.10/24"),
                   addr(11, "198.51.100.10/24"), addr(12, "2001:db8::10/64")};
  auto cleaned = remove_leftover_addresses(ops, describe_leftovers(*r.config), "for a test");
  EXPECT_EQ(cleaned, (std::vector<std::string>{"V"}));
  EXPECT_EQ(remaining(ops), (std::vector<std::string>{"3:198.51.100.10/24"}));
}

}  // namespace
}  // namespace vigil::vrrp
