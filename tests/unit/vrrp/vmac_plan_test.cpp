// use_vmac_addr / per-address use_vmac planning: which VMACs an instance needs for its VIPs,
// their base interfaces, names (as keepalived 2.2.7 names them) and MACs.
#include "vrrp/vmac_plan.h"

#include <gtest/gtest.h>

#include "conf/load.h"

namespace vigil::vrrp {
namespace {

conf::Config load_plan_config(const std::string& text) {
  conf::LoadResult r = conf::load_config_text("/test/keepalived.conf", text, {});
  std::string errors;
  for (const auto& d : r.diag.all()) errors += conf::format_diagnostic(d, false);
  EXPECT_TRUE(r.config) << errors;
  return r.config ? std::move(*r.config) : conf::Config{};
}

std::string describe(const std::vector<AddressVmacPlan>& plans) {
  std::string s;
  for (const auto& p : plans)
    s += p.name + "@" + p.key.base + "/" + (p.key.family == Family::V4 ? "4" : "6") + " " +
         p.mac.to_string() + ";";
  return s;
}

std::vector<AddressVmacPlan> plan_first(const conf::Config& c, std::set<std::string>& taken) {
  const auto& ic = c.vrrp_instances.at(0);
  return plan_address_vmacs(ic, *ic.interface, address_vmac_prefix(c), taken);
}

TEST(VmacPlan, UseVmacAddrCoversOtherInterfacesAndTheOtherFamily) {
  const auto c = load_plan_config(R"(
vrrp_instance A {
  interface eth0
  virtual_router_id 42
  priority 100
  use_vmac_addr
  virtual_ipaddress {
    192.0.2.10/24
    198.51.100.10/24 dev eth1
    198.51.100.11/24 dev eth1
  }
  virtual_ipaddress_excluded {
    2001:db8::10/64
    2001:db8:1::10/64 dev eth1
    203.0.113.10/24 dev eth0
  }
}
)");
  std::set<std::string> taken;
  const auto plans = plan_first(c, taken);
  // eth0/IPv4 stays on eth0 itself (the instance has no VMAC); eth1 addresses share one.
  EXPECT_EQ(describe(plans),
            "vrrp.42@eth1/4 00:00:5e:00:01:2a;"
            "vrrp6.42@eth0/6 00:00:5e:00:02:2a;"
            "vrrp1.42@eth1/6 00:00:5e:00:02:2a;");
  EXPECT_EQ(taken, (std::set<std::string>{"vrrp.42", "vrrp6.42", "vrrp1.42"}));

  const auto& ic = c.vrrp_instances[0];
  EXPECT_FALSE(address_vmac_key(ic, "eth0", ic.vips[0]));
  EXPECT_EQ(address_vmac_key(ic, "eth0", ic.vips[1]), (AddressVmacKey{"eth1", Family::V4}));
  EXPECT_EQ(address_vmac_key(ic, "eth0", ic.excluded_vips[0]),
            (AddressVmacKey{"eth0", Family::V6}));
  EXPECT_FALSE(address_vmac_key(ic, "eth0", ic.excluded_vips[2]));
}

TEST(VmacPlan, InstanceVmacKeepsItsNameAndItsOwnAddresses) {
  const auto c = load_plan_config(R"(
global_defs {
  vmac_addr_prefix va
}
vrrp_instance A {
  interface eth0
  virtual_router_id 7
  priority 100
  use_vmac
  use_vmac_addr
  virtual_ipaddress {
    192.0.2.10/24
    198.51.100.10/24 dev eth1
  }
  virtual_ipaddress_excluded {
    2001:db8::10/64 dev eth0
  }
}
)");
  std::set<std::string> taken{"va.7"};  // as if another instance's VMAC had that name
  const auto plans = plan_first(c, taken);
  EXPECT_EQ(describe(plans), "va1.7@eth1/4 00:00:5e:00:01:07;va6.7@eth0/6 00:00:5e:00:02:07;");
  const auto& ic = c.vrrp_instances[0];
  EXPECT_FALSE(address_vmac_key(ic, "eth0", ic.vips[0]));  // on the instance's VMAC
}

TEST(VmacPlan, PerAddressUseVmacOnlyForThatAddress) {
  const auto c = load_plan_config(R"(
vrrp_instance B {
  interface eth0
  virtual_router_id 43
  priority 100
  virtual_ipaddress {
    192.0.2.11/24
    198.51.100.11/24 dev eth1 use_vmac
    198.51.100.12/24 dev eth2
    192.0.2.12/24 dev eth0 use_vmac
  }
}
)");
  std::set<std::string> taken;
  const auto plans = plan_first(c, taken);
  // No instance VMAC: use_vmac on the instance's own interface gets one too.
  EXPECT_EQ(describe(plans), "vrrp.43@eth1/4 00:00:5e:00:01:2b;vrrp1.43@eth0/4 00:00:5e:00:01:2b;");
  const auto& ic = c.vrrp_instances[0];
  EXPECT_FALSE(address_vmac_key(ic, "eth0", ic.vips[0]));
  EXPECT_FALSE(address_vmac_key(ic, "eth0", ic.vips[2]));  // plain dev, no use_vmac
}

TEST(VmacPlan, NothingAskedNothingPlannedAndLongPrefixesRunOutOfNames) {
  const auto plain = load_plan_config(R"(
vrrp_instance C {
  interface eth0
  virtual_router_id 1
  priority 100
  use_vmac
  virtual_ipaddress {
    192.0.2.11/24
    198.51.100.11/24 dev eth1
  }
}
)");
  std::set<std::string> taken;
  EXPECT_TRUE(plan_first(plain, taken).empty());

  const auto long_prefix = load_plan_config(R"(
global_defs {
  vmac_prefix abcdefghijklm
}
vrrp_instance D {
  interface eth0
  virtual_router_id 200
  priority 100
  use_vmac_addr
  virtual_ipaddress {
    198.51.100.11/24 dev eth1
  }
}
)");
  const auto plans = plan_first(long_prefix, taken);
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].name, "");  // "abcdefghijklm.200" does not fit IFNAMSIZ
  EXPECT_EQ(plans[0].key.base, "eth1");
}

TEST(VmacPlan, WholeConfigReservesInstanceVmacNamesFirst) {
  const auto c = load_plan_config(R"(
vrrp_instance A {
  interface eth0
  virtual_router_id 5
  priority 100
  use_vmac_addr
  virtual_ipaddress {
    198.51.100.10/24 dev eth1
  }
}
vrrp_instance B {
  interface eth1
  virtual_router_id 5
  priority 100
  use_vmac
  virtual_ipaddress {
    198.51.100.20/24
  }
}
vrrp_instance C {
  interface eth2
  virtual_router_id 5
  priority 100
  virtual_ipaddress {
    203.0.113.10/24 dev eth3 use_vmac
  }
}
)");
  EXPECT_EQ(instance_vmac_names(c), (std::set<std::string>{"vrrp.5"}));
  const auto all = plan_all_address_vmacs(c);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(describe(all.at("A")), "vrrp1.5@eth1/4 00:00:5e:00:01:05;");
  EXPECT_EQ(describe(all.at("C")), "vrrp2.5@eth3/4 00:00:5e:00:01:05;");
}

}  // namespace
}  // namespace vigil::vrrp
