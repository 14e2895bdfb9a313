// Address add/delete/dump against a real kernel, in a private network namespace.
#include "netlink/addresses.h"

#include <gtest/gtest.h>
#include <linux/if_addr.h>

#include <algorithm>

#include "../testing/netns.h"
#include "netlink/links.h"

namespace vigil::netlink {
namespace {

using vigil::testing::run_in_netns;

const AddressInfo* find(const std::vector<AddressInfo>& v, const std::string& prefix) {
  auto p = IpPrefix::parse(prefix);
  for (const auto& a : v)
    if (p && a.prefix == *p) return &a;
  return nullptr;
}

TEST(NetlinkAddresses, AddListDeleteIpv4WithBroadcastScopeLabel) {
  VIGIL_REQUIRE_ROOT();
  run_in_netns([] {
    vigil::testing::create_test_link("vgl0");
    auto s = RtnlSocket::open();
    ASSERT_TRUE(s.ok());
    AddressSpec spec;
    spec.ifindex = vigil::testing::ifindex_of("vgl0");
    spec.prefix = *IpPrefix::parse("192.0.2.10/24");
    spec.broadcast = IpAddress::parse("192.0.2.255");
    spec.scope = Scope::Link;
    spec.label = "vgl0:vip";
    ASSERT_TRUE(add_address(*s, spec).ok());

    auto list = list_addresses(*s, spec.ifindex, Family::V4);
    ASSERT_TRUE(list.ok()) << list.error().message;
    const AddressInfo* a = find(*list, "192.0.2.10/24");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->broadcast, IpAddress::parse("192.0.2.255"));
    EXPECT_EQ(a->scope, Scope::Link);
    EXPECT_EQ(a->label, "vgl0:vip");

    // A second add of the same address is the kernel's EEXIST, as a value.
    auto again = add_address(*s, spec);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, EEXIST);
    EXPECT_NE(again.error().message.find("File exists"), std::string::npos)
        << again.error().message;

    ASSERT_TRUE(del_address(*s, spec).ok());
    list = list_addresses(*s, spec.ifindex, Family::V4);
    ASSERT_TRUE(list.ok());
    EXPECT_EQ(find(*list, "192.0.2.10/24"), nullptr);

    auto gone = del_address(*s, spec);
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().code, EADDRNOTAVAIL);
  });
}

TEST(NetlinkAddresses, Ipv6VipGetsNodadAndPreferredLifetimeZero) {
  VIGIL_REQUIRE_ROOT();
  run_in_netns([] {
    vigil::testing::create_test_link("vgl0");
    auto s = RtnlSocket::open();
    ASSERT_TRUE(s.ok());
    AddressSpec spec;
    spec.ifindex = vigil::testing::ifindex_of("vgl0");
    spec.prefix = *IpPrefix::parse("2001:db8::10/128");
    spec.nodad = true;
    spec.preferred_lft = 0;
    ASSERT_TRUE(add_address(*s, spec).ok());
    auto list = list_addresses(*s, spec.ifindex, Family::V6);
    ASSERT_TRUE(list.ok());
    const AddressInfo* a = find(*list, "2001:db8::10/128");
    ASSERT_NE(a, nullptr);
    EXPECT_TRUE(a->flags & IFA_F_NODAD);
    EXPECT_TRUE(a->flags & IFA_F_DEPRECATED) << "preferred_lft 0 marks it deprecated";
    EXPECT_FALSE(a->flags & IFA_F_TENTATIVE);
    ASSERT_TRUE(del_address(*s, spec).ok());
    list = list_addresses(*s, spec.ifindex, Family::V6);
    ASSERT_TRUE(list.ok());
    EXPECT_EQ(find(*list, "2001:db8::10/128"), nullptr);
  });
}

TEST(NetlinkAddresses, BadRequestsAreErrorsNotCrashes) {
  VIGIL_REQUIRE_ROOT();
  run_in_netns([] {
    auto s = RtnlSocket::open();
    ASSERT_TRUE(s.ok());
    AddressSpec spec;
    spec.prefix = *IpPrefix::parse("192.0.2.1/24");
    EXPECT_FALSE(add_address(*s, spec).ok());  // no interface
    spec.ifindex = 9999;
    auto r = add_address(*s, spec);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ENODEV);
    spec.ifindex = vigil::testing::ifindex_of("lo");
    spec.prefix = *IpPrefix::parse("2001:db8::1/64");
    spec.label = "lo:x";
    EXPECT_FALSE(add_address(*s, spec).ok());  // labels are IPv4 only
  });
}

TEST(NetlinkLinks, LookupByNameAndIndex) {
  VIGIL_REQUIRE_ROOT();
  run_in_netns([] {
    vigil::testing::create_test_link("vgl0");
    auto s = RtnlSocket::open();
    ASSERT_TRUE(s.ok());
    auto by_name = get_link(*s, "vgl0");
    ASSERT_TRUE(by_name.ok()) << by_name.error().message;
    EXPECT_EQ(by_name->kind, "bridge");
    ASSERT_TRUE(by_name->mac.has_value());
    auto by_index = get_link(*s, by_name->ifindex);
    ASSERT_TRUE(by_index.ok());
    EXPECT_EQ(by_index->name, "vgl0");
    EXPECT_EQ(by_index->mac, by_name->mac);
    auto all = list_links(*s);
    ASSERT_TRUE(all.ok());
    EXPECT_TRUE(
        std::any_of(all->begin(), all->end(), [](const LinkInfo& l) { return l.name == "lo"; }));
    auto missing = get_link(*s, "vgl-none");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ENODEV);
  });
}

}  // namespace
}  // namespace vigil::netlink
