// The recording fake answers like the kernel, so logic tests see realistic errors.
#include "netlink/fake_ops.h"

#include <gtest/gtest.h>

namespace vigil::netlink {
namespace {

TEST(FakeAddressOps, RecordsCallsAndMirrorsKernelErrors) {
  FakeAddressOps ops;
  AddressSpec a;
  a.ifindex = 2;
  a.prefix = *IpPrefix::parse("192.0.2.100/24");
  EXPECT_TRUE(ops.add_address(a).ok());
  auto dup = ops.add_address(a);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, EEXIST);
  auto listed = ops.list_addresses(2, Family::V4);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].prefix, a.prefix);
  EXPECT_TRUE(ops.list_addresses(3, std::nullopt)->empty());

  ops.fail_next(Error{EPERM, "Operation not permitted"});
  auto denied = ops.del_address(a);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, EPERM);
  EXPECT_TRUE(ops.del_address(a).ok());
  EXPECT_EQ(ops.del_address(a).error().code, EADDRNOTAVAIL);

  RouteSpec r;
  r.destination = *IpPrefix::parse("198.51.100.0/24");
  EXPECT_TRUE(ops.add_route(r).ok());
  EXPECT_TRUE(ops.del_route(r).ok());
  EXPECT_EQ(ops.del_route(r).error().code, ESRCH);

  ASSERT_EQ(ops.calls.size(), 8u);
  EXPECT_TRUE(std::holds_alternative<FakeAddressOps::AddAddress>(ops.calls[0]));
  EXPECT_TRUE(std::holds_alternative<FakeAddressOps::DelAddress>(ops.calls[2]));
  EXPECT_TRUE(std::holds_alternative<FakeAddressOps::DelRoute>(ops.calls[7]));
}

}  // namespace
}  // namespace vigil::netlink
