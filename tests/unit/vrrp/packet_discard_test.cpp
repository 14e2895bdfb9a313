// One hand-made invalid packet per DiscardReason (RFC 9568 7.1 / RFC 3768 7.1 receive
// checks). Each starts from a valid packet, breaks one thing, and repairs the checksums so
// that the check under test is what rejects it.
#include <gtest/gtest.h>

#include "packet_test_util.h"
#include "vrrp/packet.h"

namespace vigil::vrrp {
namespace {

using testutil::fix_v4_checksums;
using testutil::fix_v6_checksum;
using testutil::ip;

const RxMeta kV4Meta{Family::V4, {}, {}, 0};

Advert advert(Version v, AuthType auth = AuthType::None) {
  Advert a;
  a.version = v;
  a.vrid = 10;
  a.priority = 100;
  a.interval_cs = 100;
  a.auth = auth;
  a.addresses = {ip("192.0.2.100")};
  return a;
}

TxParams tx4(const std::string& pass = "") {
  TxParams tx;
  tx.src = ip("192.0.2.1");
  tx.dst = ip("224.0.0.18");
  tx.auth_pass = pass;
  tx.ah_seq = 5;
  return tx;
}

RxConfig cfg(Version v, AuthType auth = AuthType::None, const std::string& pass = "") {
  RxConfig c;
  c.vrid = 10;
  c.version = v;
  c.auth = auth;
  c.auth_pass = pass;
  return c;
}

std::optional<DiscardReason> reason(const ParseResult& r) {
  if (auto* d = std::get_if<DiscardReason>(&r)) return *d;
  return std::nullopt;
}

std::optional<DiscardReason> decode4(const std::vector<uint8_t>& pkt, const RxConfig& c) {
  return reason(decode(pkt, kV4Meta, c));
}

TEST(PacketDiscard, ValidBaselinesAreAccepted) {
  EXPECT_EQ(decode4(encode(advert(Version::V2), tx4()), cfg(Version::V2)), std::nullopt);
  EXPECT_EQ(decode4(encode(advert(Version::V3), tx4()), cfg(Version::V3)), std::nullopt);
}

TEST(PacketDiscard, TtlNot255) {
  auto pkt = encode(advert(Version::V2), tx4());
  pkt[8] = 254;
  fix_v4_checksums(pkt, ChecksumForm::MessageOnly);
  EXPECT_EQ(decode4(pkt, cfg(Version::V2)), DiscardReason::TtlNot255);

  Advert a6 = advert(Version::V3);
  a6.addresses = {ip("2001:db8::1")};
  TxParams t6{Family::V6, ip("fe80::1"), ip("ff02::12"), "", 0, {}, 0};
  auto m = encode(a6, t6);
  EXPECT_EQ(reason(decode(m, {Family::V6, t6.src, t6.dst, 1}, cfg(Version::V3))),
            DiscardReason::TtlNot255);
  EXPECT_EQ(reason(decode(m, {Family::V6, t6.src, t6.dst, 255}, cfg(Version::V3))), std::nullopt);
}

// keepalived skips the TTL check for unicast instances (peers may sit behind routers and send
// with unicast_ttl); adverts to the group always need 255.
TEST(PacketDiscard, TtlOfUnicastAdvertsIsCheckedUnlessUnicastInstance) {
  TxParams t = tx4();
  t.dst = ip("192.0.2.2");
  t.ttl = 64;
  auto pkt = encode(advert(Version::V2), t);
  EXPECT_EQ(pkt[8], 64);
  EXPECT_EQ(decode4(pkt, cfg(Version::V2)), DiscardReason::TtlNot255);
  RxConfig c = cfg(Version::V2);
  c.unicast = true;
  EXPECT_EQ(decode4(pkt, c), std::nullopt);
  t.dst = ip("224.0.0.18");
  EXPECT_EQ(decode4(encode(advert(Version::V2), t), c), DiscardReason::TtlNot255);
}

TEST(PacketCodecIpId, FollowsKeepalivedsSequence) {
  EXPECT_EQ(next_ip_id(0), 1);
  EXPECT_EQ(next_ip_id(1), 2);
  EXPECT_EQ(next_ip_id(0xffff), 1);
}

TEST(PacketDiscard, BadIpHeader) {
  auto good = encode(advert(Version::V2), tx4());
  auto pkt = good;
  pkt[0] = 0x65;  // not IPv4
  EXPECT_EQ(decode4(pkt, cfg(Version::V2)), DiscardReason::BadIpHeader);
  pkt = good;
  pkt[9] = 17;  // UDP
  fix_v4_checksums(pkt, ChecksumForm::MessageOnly);
  EXPECT_EQ(decode4(pkt, cfg(Version::V2)), DiscardReason::BadIpHeader);
  pkt = good;
  pkt.resize(pkt.size() - 1);  // total length now beyond the buffer
  EXPECT_EQ(decode4(pkt, cfg(Version::V2)), DiscardReason::BadIpHeader);
  EXPECT_EQ(decode4({good.begin(), good.begin() + 19}, cfg(Version::V2)),
            DiscardReason::BadIpHeader);
}

TEST(PacketDiscard, TooShort) {
  auto pkt = encode(advert(Version::V2), tx4());
  pkt.resize(20 + 7);
  pkt[2] = 0;
  pkt[3] = 27;
  EXPECT_EQ(decode4(pkt, cfg(Version::V2)), DiscardReason::TooShort);
  std::vector<uint8_t> m6(7, 0x31);
  EXPECT_EQ(reason(decode(m6, {Family::V6, ip("fe80::1"), ip("ff02::12"), 255}, cfg(Version::V3))),
            DiscardReason::TooShort);
}

TEST(PacketDiscard, BadVersion) {
  auto pkt = encode(advert(Version::V2), tx4());
  pkt[20] = 0x11;  // version 1
  fix_v4_checksums(pkt, ChecksumForm::MessageOnly);
  EXPECT_EQ(decode4(pkt, cfg(Version::V2)), DiscardReason::BadVersion);
  // A valid v3 advert reaching a v2 instance.
  EXPECT_EQ(decode4(encode(advert(Version::V3), tx4()), cfg(Version::V2)),
            DiscardReason::BadVersion);
  // v2 does not exist over IPv6.
  std::vector<uint8_t> m(8 + 16 + 8, 0);
  m[0] = 0x21;
  m[1] = 10;
  m[3] = 1;
  m[5] = 1;
  fix_v6_checksum(m, ip("fe80::1"), ip("ff02::12"));
  EXPECT_EQ(reason(decode(m, {Family::V6, ip("fe80::1"), ip("ff02::12"), 255}, cfg(Version::V2))),
            DiscardReason::BadVersion);
}

TEST(PacketDiscard, BadType) {
  auto pkt = encode(advert(Version::V3), tx4());
  pkt[20] = 0x32;
  fix_v4_checksums(pkt, ChecksumForm::V4PseudoHeader);
  EXPECT_EQ(decode4(pkt, cfg(Version::V3)), DiscardReason::BadType);
}

TEST(PacketDiscard, LengthMismatch) {
  auto pkt = encode(advert(Version::V3), tx4());
  pkt[20 + 3] = 2;  // claims two addresses, carries one
  fix_v4_checksums(pkt, ChecksumForm::V4PseudoHeader);
  EXPECT_EQ(decode4(pkt, cfg(Version::V3)), DiscardReason::LengthMismatch);
  // v2 without its 8 bytes of authentication data.
  pkt = encode(advert(Version::V2), tx4());
  pkt.resize(pkt.size() - 8);
  pkt[3] = static_cast<uint8_t>(pkt.size());
  fix_v4_checksums(pkt, ChecksumForm::MessageOnly);
  EXPECT_EQ(decode4(pkt, cfg(Version::V2)), DiscardReason::LengthMismatch);
}

TEST(PacketDiscard, BadChecksum) {
  auto pkt = encode(advert(Version::V2), tx4());
  pkt.back() ^= 1;
  EXPECT_EQ(decode4(pkt, cfg(Version::V2)), DiscardReason::BadChecksum);
  pkt = encode(advert(Version::V3), tx4());
  pkt[20 + 2] ^= 0x40;  // priority changed in flight
  EXPECT_EQ(decode4(pkt, cfg(Version::V3)), DiscardReason::BadChecksum);
}

TEST(PacketDiscard, VridMismatchIsNotForUs) {
  RxConfig c = cfg(Version::V2);
  c.vrid = 11;
  EXPECT_EQ(decode4(encode(advert(Version::V2), tx4()), c), DiscardReason::VridMismatch);
}

TEST(PacketDiscard, AuthTypeMismatch) {
  auto pass = encode(advert(Version::V2, AuthType::Pass), tx4("pw"));
  EXPECT_EQ(decode4(pass, cfg(Version::V2)), DiscardReason::AuthTypeMismatch);
  auto none = encode(advert(Version::V2), tx4());
  EXPECT_EQ(decode4(none, cfg(Version::V2, AuthType::Pass, "pw")), DiscardReason::AuthTypeMismatch);
  EXPECT_EQ(decode4(none, cfg(Version::V2, AuthType::Ah, "pw")), DiscardReason::AuthTypeMismatch);
  auto ah = encode(advert(Version::V2, AuthType::Ah), tx4("pw"));
  EXPECT_EQ(decode4(ah, cfg(Version::V2, AuthType::Pass, "pw")), DiscardReason::AuthTypeMismatch);
}

TEST(PacketDiscard, AuthFailure) {
  auto pass = encode(advert(Version::V2, AuthType::Pass), tx4("right"));
  EXPECT_EQ(decode4(pass, cfg(Version::V2, AuthType::Pass, "wrong")), DiscardReason::AuthFailure);
  EXPECT_EQ(decode4(pass, cfg(Version::V2, AuthType::Pass, "right")), std::nullopt);
  auto ah = encode(advert(Version::V2, AuthType::Ah), tx4("right"));
  EXPECT_EQ(decode4(ah, cfg(Version::V2, AuthType::Ah, "wrong")), DiscardReason::AuthFailure);
  // Tampering with covered data (priority) is caught even with a repaired VRRP checksum.
  auto tampered = ah;
  tampered[20 + 24 + 2] = 254;
  const size_t m = 20 + 24;
  tampered[m + 6] = tampered[m + 7] = 0;
  uint16_t c = internet_checksum({tampered.data() + m, tampered.size() - m});
  tampered[m + 6] = static_cast<uint8_t>(c >> 8);
  tampered[m + 7] = static_cast<uint8_t>(c);
  EXPECT_EQ(decode4(tampered, cfg(Version::V2, AuthType::Ah, "right")), DiscardReason::AuthFailure);
}

TEST(PacketDiscard, AhBadHeader) {
  auto ah = encode(advert(Version::V2, AuthType::Ah), tx4("pw"));
  ah[20] = 17;  // next header not VRRP
  EXPECT_EQ(decode4(ah, cfg(Version::V2, AuthType::Ah, "pw")), DiscardReason::AhBadHeader);
  ah = encode(advert(Version::V2, AuthType::Ah), tx4("pw"));
  ah[21] = 5;
  EXPECT_EQ(decode4(ah, cfg(Version::V2, AuthType::Ah, "pw")), DiscardReason::AhBadHeader);
}

TEST(PacketDiscard, AhReplay) {
  auto ah = encode(advert(Version::V2, AuthType::Ah), tx4("pw"));  // seq 5
  RxConfig c = cfg(Version::V2, AuthType::Ah, "pw");
  c.ah_anti_replay = true;
  c.ah_last_seq = 5;
  EXPECT_EQ(decode4(ah, c), DiscardReason::AhReplay);
  c.ah_last_seq = 4;
  EXPECT_EQ(decode4(ah, c), std::nullopt);
}

// keepalived neither enforces anti-replay nor keeps its sequence across restarts: by default a
// restarted master (sequence back at 1) must still be heard.
TEST(PacketDiscard, AhReplayIsOptInForKeepalivedRestarts) {
  auto ah = encode(advert(Version::V2, AuthType::Ah), tx4("pw"));  // seq 5
  RxConfig c = cfg(Version::V2, AuthType::Ah, "pw");
  c.ah_last_seq = 1000;
  EXPECT_EQ(decode4(ah, c), std::nullopt);
}

TEST(PacketDiscard, AddressCountZero) {
  Advert a = advert(Version::V3);
  a.addresses.clear();
  auto pkt = encode(a, tx4());  // vigil can send it (keepalived allows no VIPs); peers drop it
  EXPECT_EQ(decode4(pkt, cfg(Version::V3)), DiscardReason::AddressCountZero);
}

TEST(PacketDiscard, IntervalZero) {
  auto pkt = encode(advert(Version::V3), tx4());
  pkt[20 + 4] = 0xf0;  // reserved bits set (ignored), interval 0
  pkt[20 + 5] = 0;
  fix_v4_checksums(pkt, ChecksumForm::V4PseudoHeader);
  EXPECT_EQ(decode4(pkt, cfg(Version::V3)), DiscardReason::IntervalZero);
  pkt = encode(advert(Version::V2), tx4());
  pkt[20 + 5] = 0;
  fix_v4_checksums(pkt, ChecksumForm::MessageOnly);
  EXPECT_EQ(decode4(pkt, cfg(Version::V2)), DiscardReason::IntervalZero);
}

TEST(PacketDiscard, IntervalMismatchV2) {
  auto pkt = encode(advert(Version::V2), tx4());
  RxConfig c = cfg(Version::V2);
  c.v2_interval_cs = 200;
  EXPECT_EQ(decode4(pkt, c), DiscardReason::IntervalMismatchV2);
  c.v2_interval_cs = 100;
  EXPECT_EQ(decode4(pkt, c), std::nullopt);
  // v3 backups learn the master's interval instead: no mismatch discard.
  RxConfig c3 = cfg(Version::V3);
  c3.v2_interval_cs = 200;
  EXPECT_EQ(decode4(encode(advert(Version::V3), tx4()), c3), std::nullopt);
}

TEST(PacketDiscard, FirstAddressNotLinkLocalOnlyInStrictMode) {
  Advert a = advert(Version::V3);
  a.addresses = {ip("2001:db8::100"), ip("fe80::100")};
  TxParams t6{Family::V6, ip("fe80::1"), ip("ff02::12"), "", 0, {}, 0};
  auto m = encode(a, t6);
  RxMeta meta{Family::V6, t6.src, t6.dst, 255};
  RxConfig c = cfg(Version::V3);
  EXPECT_EQ(reason(decode(m, meta, c)), std::nullopt);  // keepalived 2.2.7 interop
  c.strict = true;
  EXPECT_EQ(reason(decode(m, meta, c)), DiscardReason::FirstAddressNotLinkLocal);
  a.addresses = {ip("fe80::100"), ip("2001:db8::100")};
  EXPECT_EQ(reason(decode(encode(a, t6), meta, c)), std::nullopt);
}

}  // namespace
}  // namespace vigil::vrrp
