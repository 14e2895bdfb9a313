#include "base/address.h"

#include <gtest/gtest.h>

using vigil::IpAddress;
using vigil::IpPrefix;

TEST(IpAddress, ParsesAndFormatsBothFamilies) {
  auto a = IpAddress::parse("192.0.2.10");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->is_v4());
  EXPECT_EQ(a->to_string(), "192.0.2.10");
  EXPECT_EQ(a->v4_host_order(), 0xc000020au);
  auto b = IpAddress::parse("2001:db8::1");
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->is_v6());
  EXPECT_EQ(b->to_string(), "2001:db8::1");
}

TEST(IpAddress, RejectsGarbage) {
  for (auto s : {"", "192.0.2", "192.0.2.256", "2001:db8:::1", "fe80::1%eth0", "abc"})
    EXPECT_FALSE(IpAddress::parse(s)) << s;
}

TEST(IpAddress, OrdersByBytesForElectionTieBreak) {
  EXPECT_LT(*IpAddress::parse("192.0.2.9"), *IpAddress::parse("192.0.2.10"));
  EXPECT_LT(*IpAddress::parse("192.0.2.255"), *IpAddress::parse("198.51.100.1"));
}

TEST(IpAddress, Classifies) {
  EXPECT_TRUE(IpAddress::parse("224.0.0.18")->is_multicast());
  EXPECT_TRUE(IpAddress::parse("ff02::12")->is_multicast());
  EXPECT_TRUE(IpAddress::parse("fe80::1")->is_v6_link_local());
  EXPECT_FALSE(IpAddress::parse("2001:db8::1")->is_v6_link_local());
  EXPECT_TRUE(IpAddress::parse("::")->is_unspecified());
}

TEST(IpPrefix, ParsesWithAndWithoutLength) {
  auto p = IpPrefix::parse("192.0.2.77/24");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->length, 24);
  EXPECT_EQ(p->network().to_string(), "192.0.2.0");
  EXPECT_TRUE(p->contains(*IpAddress::parse("192.0.2.1")));
  EXPECT_FALSE(p->contains(*IpAddress::parse("192.0.3.1")));
  EXPECT_EQ(IpPrefix::parse("2001:db8::5")->length, 128);
  EXPECT_FALSE(IpPrefix::parse("192.0.2.1/33"));
  EXPECT_FALSE(IpPrefix::parse("192.0.2.1/"));
  EXPECT_FALSE(IpPrefix::parse("192.0.2.1/2x"));
}
