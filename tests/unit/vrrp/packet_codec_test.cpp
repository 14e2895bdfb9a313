// Encoder/decoder behaviour on vigil's own packets: layout, round trips, checksum forms.
// (Interop with keepalived's bytes is packet_golden_test.cpp.)
#include <gtest/gtest.h>

#include <stdexcept>

#include "packet_test_util.h"
#include "vrrp/auth_ah.h"
#include "vrrp/packet.h"

namespace vigil::vrrp {
namespace {

using testutil::ip;

Advert v2_advert() {
  Advert a;
  a.version = Version::V2;
  a.vrid = 51;
  a.priority = 100;
  a.interval_cs = 100;
  a.addresses = {ip("192.0.2.100"), ip("192.0.2.101")};
  return a;
}

TxParams v4_tx() {
  TxParams tx;
  tx.family = Family::V4;
  tx.src = ip("192.0.2.1");
  tx.dst = ip("224.0.0.18");
  tx.ip_id = 0x1234;
  return tx;
}

RxConfig cfg_for(const Advert& a) {
  RxConfig c;
  c.vrid = a.vrid;
  c.version = a.version;
  c.auth = a.auth;
  return c;
}

Decoded expect_decoded(const ParseResult& r) {
  if (auto* reason = std::get_if<DiscardReason>(&r))
    ADD_FAILURE() << "discarded: " << to_string(*reason);
  auto* d = std::get_if<Decoded>(&r);
  return d ? *d : Decoded{};
}

TEST(PacketCodec, V2Ipv4LayoutIsAsRfc3768) {
  auto pkt = encode(v2_advert(), v4_tx());
  ASSERT_EQ(pkt.size(), 20u + 8 + 2 * 4 + 8);
  EXPECT_EQ(pkt[0], 0x45);
  EXPECT_EQ(pkt[1], 0xc0);  // precedence "internetwork control"
  EXPECT_EQ(pkt[2] << 8 | pkt[3], static_cast<int>(pkt.size()));
  EXPECT_EQ(pkt[4] << 8 | pkt[5], 0x1234);
  EXPECT_EQ(pkt[8], 255);
  EXPECT_EQ(pkt[9], 112);
  EXPECT_EQ(internet_checksum({pkt.data(), 20}), 0);  // header checksum verifies
  const uint8_t* m = pkt.data() + 20;
  EXPECT_EQ(m[0], 0x21);  // version 2, type 1
  EXPECT_EQ(m[1], 51);
  EXPECT_EQ(m[2], 100);
  EXPECT_EQ(m[3], 2);
  EXPECT_EQ(m[4], 0);  // auth none
  EXPECT_EQ(m[5], 1);  // 1 s
  EXPECT_EQ(m[8], 192);
  EXPECT_EQ(m[11], 100);
  EXPECT_EQ(m[15], 101);
  EXPECT_EQ(internet_checksum({m, pkt.size() - 20}), 0);
}

TEST(PacketCodec, RoundTripsEveryVariant) {
  struct Case {
    const char* name;
    Advert advert;
    TxParams tx;
  };
  std::vector<Case> cases;
  {
    Case c{"v2 none", v2_advert(), v4_tx()};
    cases.push_back(c);
    c.name = "v2 pass";
    c.advert.auth = AuthType::Pass;
    c.tx.auth_pass = "secret12345";  // only 8 bytes go on the wire, as keepalived
    cases.push_back(c);
    c.name = "v2 ah";
    c.advert.auth = AuthType::Ah;
    c.tx.ah_seq = 7;
    cases.push_back(c);
  }
  {
    Case c{"v3 v4", v2_advert(), v4_tx()};
    c.advert.version = Version::V3;
    c.advert.interval_cs = 50;
    cases.push_back(c);
  }
  {
    Case c{"v3 v6", {}, {}};
    c.advert.version = Version::V3;
    c.advert.vrid = 7;
    c.advert.priority = 254;
    c.advert.interval_cs = 4095;
    c.advert.addresses = {ip("2001:db8::100"), ip("2001:db8::101"), ip("2001:db8:1::1")};
    c.tx.family = Family::V6;
    c.tx.src = ip("fe80::1");
    c.tx.dst = ip("ff02::12");
    cases.push_back(c);
  }
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto bytes = encode(c.advert, c.tx);
    RxMeta meta{c.tx.family, c.tx.src, c.tx.dst, 255};
    RxConfig cfg = cfg_for(c.advert);
    cfg.auth_pass = c.tx.auth_pass;
    const Decoded d = expect_decoded(decode(bytes, meta, cfg));
    EXPECT_EQ(d.advert, c.advert);
    EXPECT_EQ(d.src, c.tx.src);
    EXPECT_EQ(d.dst, c.tx.dst);
    if (c.advert.auth == AuthType::Ah) {
      ASSERT_TRUE(d.ah);
      EXPECT_EQ(d.ah->seq, 7u);
      EXPECT_EQ(d.ah->spi, c.tx.src.v4_host_order());
    }
  }
}

TEST(PacketCodec, PassIsTruncatedToEightBytesAndZeroPadded) {
  Advert a = v2_advert();
  a.auth = AuthType::Pass;
  TxParams tx = v4_tx();
  tx.auth_pass = "abc";
  auto pkt = encode(a, tx);
  const uint8_t* auth = pkt.data() + pkt.size() - 8;
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(auth), 3), "abc");
  for (int i = 3; i < 8; ++i) EXPECT_EQ(auth[i], 0);
  EXPECT_EQ(pkt[20 + 4], 1);  // auth type PASS
}

TEST(PacketCodec, AhPacketLayout) {
  Advert a = v2_advert();
  a.auth = AuthType::Ah;
  TxParams tx = v4_tx();
  tx.auth_pass = "key";
  tx.ah_seq = 0x01020304;
  auto pkt = encode(a, tx);
  ASSERT_EQ(pkt.size(), 20u + 24 + 8 + 8 + 8);
  EXPECT_EQ(pkt[9], 51);
  const uint8_t* ah = pkt.data() + 20;
  EXPECT_EQ(ah[0], 112);
  EXPECT_EQ(ah[1], 4);
  EXPECT_EQ(ah[4], 192);  // SPI = source address
  EXPECT_EQ(ah[7], 1);
  EXPECT_EQ(ah[8], 1);
  EXPECT_EQ(ah[11], 4);
  AhIcv icv;
  std::copy_n(ah + 12, 12, icv.begin());
  EXPECT_TRUE(ah_icv_equal(icv, ah_icv(pkt, 20, "key", AhTtl::Covered)));
  EXPECT_FALSE(ah_icv_equal(icv, ah_icv(pkt, 20, "other", AhTtl::Covered)));
  // The ICV ignores the mutable TOS and checksum; keepalived leaves a multicast TTL covered.
  auto changed = pkt;
  changed[1] = 0;
  changed[10] ^= 0xff;
  EXPECT_TRUE(ah_icv_equal(icv, ah_icv(changed, 20, "key", AhTtl::Covered)));
  changed[8] = 64;
  EXPECT_FALSE(ah_icv_equal(icv, ah_icv(changed, 20, "key", AhTtl::Covered)));
  // Unicast: the TTL is zeroed for the ICV (RFC 4302, and keepalived's unicast form).
  tx.dst = ip("192.0.2.2");
  auto uni = encode(a, tx);
  std::copy_n(uni.data() + 32, 12, icv.begin());
  EXPECT_TRUE(ah_icv_equal(icv, ah_icv(uni, 20, "key", AhTtl::Zeroed)));
  EXPECT_FALSE(ah_icv_equal(icv, ah_icv(uni, 20, "key", AhTtl::Covered)));
}

TEST(PacketCodec, V3Ipv4AcceptsEveryChecksumFormAndSaysWhich) {
  Advert a = v2_advert();
  a.version = Version::V3;
  for (auto form : {ChecksumForm::V4PseudoHeader, ChecksumForm::MessageOnly,
                    ChecksumForm::V4PseudoHeaderGroupDst}) {
    SCOPED_TRACE(to_string(form));
    TxParams tx = v4_tx();
    tx.dst = ip("192.0.2.2");  // unicast: the group-dst form differs from the plain one
    tx.v3_ipv4_checksum = form;
    auto pkt = encode(a, tx);
    const Decoded d = expect_decoded(decode(pkt, {Family::V4, {}, {}, 0}, cfg_for(a)));
    EXPECT_EQ(d.matched_form, form);
  }
}

TEST(PacketCodec, DefaultV3Ipv4ChecksumIsKeepalivedsPseudoHeader) {
  Advert a = v2_advert();
  a.version = Version::V3;
  TxParams tx = v4_tx();
  auto pkt = encode(a, tx);
  std::span<const uint8_t> m(pkt.data() + 20, pkt.size() - 20);
  EXPECT_EQ(checksum_with_v4_pseudo_header(tx.src, tx.dst, m), 0);
  EXPECT_NE(internet_checksum(m), 0);
}

// An "IPv6-style" pseudo-header over IPv4 addresses (IPv4-mapped, 32-bit length, 3 zero bytes
// and next header) sums to the same value as the IPv4 pseudo-header, so the decoder need not
// (and cannot) tell it apart: it reports V4PseudoHeader.
TEST(PacketCodec, Ipv6StylePseudoHeaderOverIpv4EqualsV4PseudoHeader) {
  Advert a = v2_advert();
  a.version = Version::V3;
  TxParams tx = v4_tx();
  auto pkt = encode(a, tx);
  std::vector<uint8_t> m(pkt.begin() + 20, pkt.end());
  m[6] = m[7] = 0;
  std::vector<uint8_t> ph;
  for (const auto& addr : {tx.src, tx.dst}) {
    ph.insert(ph.end(), {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff});
    ph.insert(ph.end(), addr.data(), addr.data() + 4);
  }
  ph.insert(ph.end(), {0, 0, 0, static_cast<uint8_t>(m.size()), 0, 0, 0, 112});
  ph.insert(ph.end(), m.begin(), m.end());
  uint16_t v6_style = internet_checksum(ph);
  EXPECT_EQ(v6_style, checksum_with_v4_pseudo_header(tx.src, tx.dst, m));
  pkt[26] = static_cast<uint8_t>(v6_style >> 8);
  pkt[27] = static_cast<uint8_t>(v6_style);
  const Decoded d = expect_decoded(decode(pkt, {Family::V4, {}, {}, 0}, cfg_for(a)));
  EXPECT_EQ(d.matched_form, ChecksumForm::V4PseudoHeader);
}

TEST(PacketCodec, Ipv6ChecksumCoversThePseudoHeader) {
  Advert a;
  a.version = Version::V3;
  a.vrid = 9;
  a.priority = 100;
  a.addresses = {ip("2001:db8::9")};
  TxParams tx{Family::V6, ip("fe80::1"), ip("ff02::12"), "", 0, ChecksumForm::V4PseudoHeader, 0};
  auto m = encode(a, tx);
  EXPECT_EQ(m.size(), 8u + 16);
  EXPECT_EQ(m[0], 0x31);
  EXPECT_EQ(checksum_with_v6_pseudo_header(tx.src, tx.dst, m), 0);
  // The same bytes from another source fail: the source is part of the checksum.
  auto r = decode(m, {Family::V6, ip("fe80::2"), ip("ff02::12"), 255}, cfg_for(a));
  ASSERT_TRUE(std::holds_alternative<DiscardReason>(r));
  EXPECT_EQ(std::get<DiscardReason>(r), DiscardReason::BadChecksum);
}

TEST(PacketCodec, V2IntervalIsWholeSeconds) {
  Advert a = v2_advert();
  a.interval_cs = 300;
  auto pkt = encode(a, v4_tx());
  EXPECT_EQ(pkt[20 + 5], 3);
  a.interval_cs = 40;  // rounds to the smallest v2 interval, 1 s
  pkt = encode(a, v4_tx());
  EXPECT_EQ(pkt[20 + 5], 1);
}

TEST(PacketCodec, EncodeRejectsInconsistentInput) {
  Advert a = v2_advert();
  TxParams tx = v4_tx();
  tx.family = Family::V6;
  tx.src = ip("fe80::1");
  tx.dst = ip("ff02::12");
  EXPECT_THROW(encode(a, tx), std::invalid_argument);  // v2 over IPv6 + v4 addresses
  a.version = Version::V3;
  EXPECT_THROW(encode(a, tx), std::invalid_argument);  // v4 address in a v6 advert
  Advert b = v2_advert();
  b.version = Version::V3;
  b.auth = AuthType::Pass;
  EXPECT_THROW(encode(b, v4_tx()), std::invalid_argument);
  b.auth = AuthType::None;
  b.interval_cs = 4096;
  EXPECT_THROW(encode(b, v4_tx()), std::invalid_argument);
  b.interval_cs = 0;
  EXPECT_THROW(encode(b, v4_tx()), std::invalid_argument);
  Advert many = v2_advert();
  many.addresses.assign(256, ip("192.0.2.1"));
  EXPECT_THROW(encode(many, v4_tx()), std::invalid_argument);
}

TEST(PacketCodec, ParseThenCheckServesSeveralInstancesFromOneBuffer) {
  auto pkt = encode(v2_advert(), v4_tx());
  auto r = parse(pkt, {Family::V4, {}, {}, 0});
  ASSERT_TRUE(std::holds_alternative<Decoded>(r));
  const auto& d = std::get<Decoded>(r);
  EXPECT_EQ(d.advert.vrid, 51);
  RxConfig other = cfg_for(v2_advert());
  other.vrid = 52;
  EXPECT_EQ(check(d, pkt, other), DiscardReason::VridMismatch);
  EXPECT_EQ(check(d, pkt, cfg_for(v2_advert())), std::nullopt);
}

TEST(PacketCodec, NamesAreStableMetricLabels) {
  EXPECT_EQ(to_string(DiscardReason::TtlNot255), "ttl_not_255");
  EXPECT_EQ(to_string(DiscardReason::FirstAddressNotLinkLocal), "first_address_not_link_local");
  EXPECT_EQ(to_string(ChecksumForm::MessageOnly), "message_only");
  for (size_t i = 0; i < kDiscardReasonCount; ++i)
    EXPECT_NE(to_string(static_cast<DiscardReason>(i)), "unknown") << i;
}

}  // namespace
}  // namespace vigil::vrrp
