// make_data_plane: kind parsing and back-end choice on the running kernel.
#include "lb/data_plane.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lb/fake_data_plane.h"
#include "lb/ipvs/ipvs_data_plane.h"

namespace vigil::lb {
namespace {

TEST(LbDataPlane, ParsesKinds) {
  EXPECT_EQ(parse_data_plane_kind("auto"), DataPlaneKind::Auto);
  EXPECT_EQ(parse_data_plane_kind("ipvs"), DataPlaneKind::Ipvs);
  EXPECT_EQ(parse_data_plane_kind("nft"), DataPlaneKind::Nft);
  EXPECT_EQ(parse_data_plane_kind("nftables"), DataPlaneKind::Nft);
  EXPECT_EQ(parse_data_plane_kind("iptables"), std::nullopt);
}

TEST(LbDataPlane, AutoFallsBackToNftablesAndIpvsSaysWhyNot) {
  auto nft = make_data_plane(DataPlaneKind::Nft);
  ASSERT_TRUE(nft.ok());
  EXPECT_EQ((*nft)->name(), "nftables");
  auto automatic = make_data_plane(DataPlaneKind::Auto);
  ASSERT_TRUE(automatic.ok());
  auto ipvs = make_data_plane(DataPlaneKind::Ipvs);
  if (ipvs::kernel_has_ipvs()) {
    EXPECT_EQ((*automatic)->name(), "ipvs");
    EXPECT_TRUE(ipvs.ok());
  } else {
    EXPECT_EQ((*automatic)->name(), "nftables");
    ASSERT_FALSE(ipvs.ok());
    EXPECT_THAT(ipvs.error().message, ::testing::HasSubstr("the kernel has no IPVS"));
  }
}

TEST(LbDataPlane, FakeRecordsAndFailsOnRequest) {
  FakeDataPlane fake;
  DesiredState st;
  st.services.emplace_back();
  EXPECT_TRUE(fake.apply(st).ok());
  fake.fail_next = true;
  EXPECT_FALSE(fake.apply(DesiredState{}).ok());
  EXPECT_TRUE(fake.apply(DesiredState{}).ok());
  fake.remove_all();
  ASSERT_EQ(fake.applied.size(), 3u);
  EXPECT_EQ(fake.applied[0], st);
  EXPECT_EQ(fake.remove_all_calls, 1);
}

}  // namespace
}  // namespace vigil::lb
