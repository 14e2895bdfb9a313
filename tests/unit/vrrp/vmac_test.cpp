// VMAC: create a macvlan on a veth, check kind, MAC, parent and state, delete it.
#include "vrrp/vmac.h"

#include <gtest/gtest.h>
#include <linux/if.h>

#include "../testing/netns.h"
#include "netlink/links.h"

namespace vigil::vrrp {
namespace {

namespace vt = vigil::testing;

TEST(Vmac, AddressesAndNamesFollowRfcAndKeepalived) {
  EXPECT_EQ(virtual_mac(Family::V4, 10).to_string(), "00:00:5e:00:01:0a");
  EXPECT_EQ(virtual_mac(Family::V6, 255).to_string(), "00:00:5e:00:02:ff");
  EXPECT_EQ(default_vmac_name(51), "vrrp.51");
}

TEST(Vmac, CreateCheckDelete) {
  VIGIL_REQUIRE_ROOT();
  vt::run_in_netns([] {
    vt::create_veth("vgla", "vglb");
    auto s = netlink::RtnlSocket::open();
    ASSERT_TRUE(s.ok());
    VmacConfig c;
    c.parent_ifindex = vt::ifindex_of("vgla");
    c.vrid = 51;
    auto idx = create_vmac(*s, c);
    ASSERT_TRUE(idx.ok()) << idx.error().message;

    auto link = netlink::get_link(*s, "vrrp.51");
    ASSERT_TRUE(link.ok()) << link.error().message;
    EXPECT_EQ(link->ifindex, *idx);
    EXPECT_EQ(link->kind, "macvlan");
    EXPECT_EQ(link->mac, virtual_mac(Family::V4, 51));
    EXPECT_EQ(link->parent_ifindex, c.parent_ifindex);
    EXPECT_TRUE(link->flags & IFF_UP);

    auto again = create_vmac(*s, c);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, EEXIST);

    VmacConfig v6 = c;
    v6.family = Family::V6;
    v6.name = "vgl-vmac6";
    auto idx6 = create_vmac(*s, v6);
    ASSERT_TRUE(idx6.ok()) << idx6.error().message;
    auto link6 = netlink::get_link(*s, *idx6);
    ASSERT_TRUE(link6.ok());
    EXPECT_EQ(link6->name, "vgl-vmac6");
    EXPECT_EQ(link6->mac, virtual_mac(Family::V6, 51));

    ASSERT_TRUE(delete_vmac(*s, *idx).ok());
    ASSERT_TRUE(delete_vmac(*s, *idx6).ok());
    auto gone = netlink::get_link(*s, "vrrp.51");
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().code, ENODEV);

    VmacConfig bad;
    bad.vrid = 1;
    EXPECT_FALSE(create_vmac(*s, bad).ok());
  });
}

}  // namespace
}  // namespace vigil::vrrp
