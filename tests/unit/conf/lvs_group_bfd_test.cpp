// virtual_server_group entries (addresses, ranges, prefixes, fwmarks), bfd_instance and SSL.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lvs_test_util.h"

namespace vigil::conf {
namespace {

using ::testing::HasSubstr;
using testing::parse_lvs_text;

TEST(LvsGroup, AddressesRangesPrefixesAndFwmarks) {
  auto r = parse_lvs_text(R"(virtual_server_group VSG_1 {
    203.0.113.1 8080
    203.0.113.3-10 80
    203.0.113.250-203.0.114.10 80
    203.0.113.8/29
    2001:db8::1-1f 443
    fwmark 1
    fwmark 2 inet6
}
)");
  ASSERT_EQ(r.diag.error_count(), 0u) << r.text();
  ASSERT_EQ(r.lvs.groups.size(), 1u);
  const auto& e = r.lvs.groups[0].entries;
  ASSERT_EQ(e.size(), 7u);
  EXPECT_EQ(e[0].first, e[0].last);
  EXPECT_EQ(e[0].port, 8080);
  EXPECT_EQ(e[1].first.to_string(), "203.0.113.3");
  EXPECT_EQ(e[1].last.to_string(), "203.0.113.10");
  EXPECT_EQ(e[2].last.to_string(), "203.0.114.10");
  EXPECT_EQ(e[3].first.to_string(), "203.0.113.8");
  EXPECT_EQ(e[3].last.to_string(), "203.0.113.15");
  EXPECT_FALSE(e[3].port);
  EXPECT_EQ(e[4].last.to_string(), "2001:db8::1f");
  EXPECT_TRUE(e[5].is_fwmark);
  EXPECT_EQ(e[5].fwmark, 1u);
  EXPECT_FALSE(e[5].family);
  EXPECT_EQ(e[6].family, Family::V6);
  EXPECT_EQ(e[6].loc.line, 8u);
}

TEST(LvsGroup, BadEntriesAreLocatedErrors) {
  auto r = parse_lvs_text(R"(virtual_server_group VSG_1 {
    203.0.113.10-3 80
    203.0.113.1-300
    www.example.com 80
    203.0.113.1 70000
    fwmark 0
    fwmark 3 inet7
}
)",
                          false);
  std::string all = r.text();
  EXPECT_EQ(r.diag.error_count(), 6u) << all;
  EXPECT_THAT(all, HasSubstr("test.conf:2:5: error: address range `203.0.113.10-3` ends before"));
  EXPECT_THAT(all, HasSubstr("test.conf:3:5: error: `203.0.113.1-300` is not an address range"));
  EXPECT_THAT(all, HasSubstr("test.conf:4:5: error: `www.example.com` in virtual_server_group"));
  EXPECT_THAT(all, HasSubstr("test.conf:5:17: error"));
  EXPECT_THAT(all, HasSubstr("test.conf:6:12: error"));
  EXPECT_THAT(all, HasSubstr("test.conf:7:14: error: `fwmark`: `inet7` is not one of inet, inet6"));
}

TEST(LvsBfd, InstanceKeywordsAndDefaults) {
  auto r = parse_lvs_text(R"(bfd_instance B1 {
    neighbour_ip 192.0.2.2
    source_ip 192.0.2.1
    min_rx 3.312
    min_tx 20
    idle_tx 2000
    multiplier 3
    passive
    ttl 64
    hoplimit 32
    max_hops 2
    weight -20 reverse
    checker
}
bfd_instance B2 {
    neighbor_ip 2001:db8::2
}
)");
  ASSERT_EQ(r.diag.error_count(), 0u) << r.text();
  ASSERT_EQ(r.lvs.bfd.size(), 2u);
  const BfdInstance& b = r.lvs.bfd[0];
  EXPECT_EQ(b.neighbor_ip->to_string(), "192.0.2.2");
  EXPECT_EQ(b.source_ip->to_string(), "192.0.2.1");
  EXPECT_EQ(b.min_rx, Micros{3312});
  EXPECT_EQ(b.min_tx, Micros{20'000});
  EXPECT_EQ(b.idle_tx, Micros{2'000'000});
  EXPECT_EQ(b.multiplier, 3);
  EXPECT_TRUE(b.passive);
  EXPECT_EQ(b.ttl, 64);
  EXPECT_EQ(b.hoplimit, 32);
  EXPECT_EQ(b.max_hops, 2);
  EXPECT_EQ(b.weight, -20);
  EXPECT_TRUE(b.reverse);
  EXPECT_FALSE(b.notify_vrrp);
  EXPECT_TRUE(b.notify_checker);
  const BfdInstance& d = r.lvs.bfd[1];  // keepalived's defaults
  EXPECT_EQ(d.min_rx, Micros{10'000});
  EXPECT_EQ(d.min_tx, Micros{10'000});
  EXPECT_EQ(d.idle_tx, Micros{1'000'000});
  EXPECT_EQ(d.multiplier, 5);
  EXPECT_EQ(d.ttl, 255);
  EXPECT_EQ(d.hoplimit, 64);
  EXPECT_EQ(d.max_hops, 0);
  EXPECT_FALSE(d.passive);
  EXPECT_TRUE(d.notify_vrrp && d.notify_checker);
}

TEST(LvsBfd, RangeErrorsAndMissingNeighbor) {
  auto r = parse_lvs_text(R"(bfd_instance B1 {
    min_rx 0
    idle_tx 0.5
    multiplier 256
    ttl 0
    max_hops 256
    weight 254
}
bfd_instance B1 {
    neighbor_ip 192.0.2.2
}
)");
  std::string all = r.text();
  EXPECT_EQ(r.diag.error_count(), 8u) << all;
  EXPECT_THAT(all, HasSubstr("test.conf:2:12: error: `min_rx`: 0 is out of range 1-4294967"));
  EXPECT_THAT(all, HasSubstr("test.conf:7:12: error: `weight`: 254 is out of range -253-253"));
  EXPECT_THAT(all, HasSubstr("test.conf:9:1: error: bfd_instance `B1` is defined twice"));
  EXPECT_THAT(all, HasSubstr("test.conf:1:1: note: first defined here"));
  EXPECT_THAT(all, HasSubstr("test.conf:1:1: error: bfd_instance `B1` needs `neighbor_ip`"));
}

TEST(LvsSsl, Block) {
  auto r = parse_lvs_text(R"(SSL {
    password secret
    ca /etc/ssl/ca.pem
    certificate /etc/ssl/cert.pem
    key /etc/ssl/key.pem
    cipher x
}
)");
  EXPECT_EQ(r.diag.error_count(), 1u) << r.text();
  ASSERT_TRUE(r.lvs.ssl);
  EXPECT_EQ(r.lvs.ssl->password, "secret");
  EXPECT_EQ(r.lvs.ssl->ca, "/etc/ssl/ca.pem");
  EXPECT_EQ(r.lvs.ssl->certificate, "/etc/ssl/cert.pem");
  EXPECT_EQ(r.lvs.ssl->key, "/etc/ssl/key.pem");
}

TEST(LvsSections, KeywordListMatchesDispatcher) {
  LvsConfig lvs;
  Diagnostics diag;
  ParseContext ctx(diag);
  for (auto k : lvs_section_keywords()) {
    Node n;
    n.keyword.text = std::string(k);
    EXPECT_TRUE(parse_lvs_section(n, lvs, ctx)) << k;
  }
  Node other;
  other.keyword.text = "vrrp_instance";
  EXPECT_FALSE(parse_lvs_section(other, lvs, ctx));
}

}  // namespace
}  // namespace vigil::conf
