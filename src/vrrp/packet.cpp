#include "vrrp/packet.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "vrrp/auth_ah.h"
#include "vrrp/checksum.h"

namespace vigil::vrrp {

namespace {

constexpr size_t kVrrpHeaderLen = 8;
constexpr size_t kIpv4HeaderLen = 20;
constexpr uint8_t kTypeAdvertisement = 1;
constexpr uint8_t kTosInternetControl = 0xc0;  // IPTOS_PREC_INTERNETCONTROL, as keepalived
constexpr uint16_t kV3MaxInterval = 0x0fff;

uint16_t be16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}
uint32_t be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}
void put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
void put32(uint8_t* p, uint32_t v) {
  put16(p, static_cast<uint16_t>(v >> 16));
  put16(p + 2, static_cast<uint16_t>(v));
}

size_t address_len(Family f) {
  return f == Family::V4 ? 4 : 16;
}

// v2 carries whole seconds; keepalived rounds its advert_int the same way.
uint8_t v2_seconds(uint16_t interval_cs) {
  unsigned s = (interval_cs + 50u) / 100u;
  return static_cast<uint8_t>(std::clamp(s, 1u, 255u));
}

IpAddress family_any(Family f) {
  return f == Family::V4 ? IpAddress::v4_from_host(0) : IpAddress::v6(in6_addr{});
}

std::array<uint8_t, kV2AuthDataLen> pass_bytes(std::string_view pass) {
  std::array<uint8_t, kV2AuthDataLen> out{};
  for (size_t i = 0; i < out.size() && i < pass.size(); ++i) out[i] = static_cast<uint8_t>(pass[i]);
  return out;
}

[[noreturn]] void bad(const std::string& what) {
  throw std::invalid_argument("vrrp::encode: " + what);
}

void validate(const Advert& a, const TxParams& tx) {
  if (a.version != Version::V2 && a.version != Version::V3) bad("version must be 2 or 3");
  if (a.addresses.size() > 255) bad("more than 255 addresses");
  for (const auto& addr : a.addresses)
    if (addr.family() != tx.family) bad("address " + addr.to_string() + " is of another family");
  if (tx.src.family() != tx.family || tx.dst.family() != tx.family)
    bad("source/destination family differs from TxParams::family");
  if (a.version == Version::V2) {
    if (tx.family == Family::V6) bad("VRRPv2 is IPv4 only");
    if (a.interval_cs == 0 || a.interval_cs > 25500) bad("v2 interval must be 1..255 s");
    if (a.auth != AuthType::None && a.auth != AuthType::Pass && a.auth != AuthType::Ah)
      bad("unknown auth type");
  } else {
    if (a.auth != AuthType::None) bad("VRRPv3 has no authentication");
    if (a.interval_cs == 0 || a.interval_cs > kV3MaxInterval) bad("v3 interval must be 1..4095 cs");
    // v3_ipv4_checksum has no meaning for IPv6 (always the IPv6 pseudo-header): ignored.
    if (tx.family == Family::V4 && tx.v3_ipv4_checksum == ChecksumForm::V6PseudoHeader)
      bad("V6PseudoHeader is not an IPv4 checksum form");
  }
}

// The VRRP message with its checksum filled in.
std::vector<uint8_t> build_message(const Advert& a, const TxParams& tx) {
  const size_t alen = address_len(tx.family);
  const bool v2 = a.version == Version::V2;
  std::vector<uint8_t> m(kVrrpHeaderLen + a.addresses.size() * alen + (v2 ? kV2AuthDataLen : 0));
  m[0] = static_cast<uint8_t>(static_cast<uint8_t>(a.version) << 4 | kTypeAdvertisement);
  m[1] = a.vrid;
  m[2] = a.priority;
  m[3] = static_cast<uint8_t>(a.addresses.size());
  if (v2) {
    m[4] = static_cast<uint8_t>(a.auth);
    m[5] = v2_seconds(a.interval_cs);
  } else {
    put16(&m[4], a.interval_cs & kV3MaxInterval);
  }
  uint8_t* p = &m[kVrrpHeaderLen];
  for (const auto& addr : a.addresses) {
    std::copy_n(addr.data(), alen, p);
    p += alen;
  }
  if (v2 && a.auth == AuthType::Pass) {
    auto pw = pass_bytes(tx.auth_pass);
    std::copy(pw.begin(), pw.end(), p);
  }
  uint16_t csum = 0;
  if (v2) {
    csum = internet_checksum(m);
  } else if (tx.family == Family::V6) {
    csum = checksum_with_v6_pseudo_header(tx.src, tx.dst, m);
  } else {
    switch (tx.v3_ipv4_checksum) {
      case ChecksumForm::MessageOnly:
        csum = internet_checksum(m);
        break;
      case ChecksumForm::V4PseudoHeaderGroupDst:
        csum = checksum_with_v4_pseudo_header(tx.src, vrrp_group(Family::V4), m);
        break;
      default:
        csum = checksum_with_v4_pseudo_header(tx.src, tx.dst, m);
        break;
    }
  }
  put16(&m[6], csum);
  return m;
}

}  // namespace

IpAddress vrrp_group(Family f) {
  return f == Family::V4 ? *IpAddress::parse("224.0.0.18") : *IpAddress::parse("ff02::12");
}

std::string_view to_string(ChecksumForm f) {
  switch (f) {
    case ChecksumForm::V4PseudoHeader:
      return "v4_pseudo_header";
    case ChecksumForm::MessageOnly:
      return "message_only";
    case ChecksumForm::V4PseudoHeaderGroupDst:
      return "v4_pseudo_header_group_dst";
    case ChecksumForm::V6PseudoHeader:
      return "v6_pseudo_header";
  }
  return "unknown";
}

std::vector<uint8_t> encode(const Advert& a, const TxParams& tx) {
  validate(a, tx);
  std::vector<uint8_t> msg = build_message(a, tx);
  if (tx.family == Family::V6) return msg;

  const bool ah = a.version == Version::V2 && a.auth == AuthType::Ah;
  const size_t total = kIpv4HeaderLen + (ah ? kAhHeaderLen : 0) + msg.size();
  std::vector<uint8_t> pkt(total);
  uint8_t* ip = pkt.data();
  ip[0] = 0x45;  // version 4, 5 words, no options
  ip[1] = kTosInternetControl;
  put16(ip + 2, static_cast<uint16_t>(total));
  put16(ip + 4, tx.ip_id);
  put16(ip + 6, 0);  // no DF: keepalived leaves flags/fragment offset zero
  ip[8] = tx.ttl;
  ip[9] = ah ? kIpProtoAh : kIpProtoVrrp;
  std::copy_n(tx.src.data(), 4, ip + 12);
  std::copy_n(tx.dst.data(), 4, ip + 16);
  std::copy(msg.begin(), msg.end(), pkt.begin() + static_cast<ptrdiff_t>(total - msg.size()));
  if (ah) {
    uint8_t* h = ip + kIpv4HeaderLen;
    h[0] = kIpProtoVrrp;
    h[1] = kAhPayloadLenField;
    std::copy_n(tx.src.data(), 4, h + 4);  // SPI: keepalived uses its source address
    put32(h + 8, tx.ah_seq);
    const AhTtl ttl = tx.dst.is_multicast() ? AhTtl::Covered : AhTtl::Zeroed;
    AhIcv icv = ah_icv(pkt, kIpv4HeaderLen, tx.auth_pass, ttl);
    std::copy(icv.begin(), icv.end(), h + kAhIcvOffset);
  }
  put16(ip + 10, internet_checksum({ip, kIpv4HeaderLen}));
  return pkt;
}

namespace {

// The VRRP checks shared by both families once the IP layer has been peeled off.
ParseResult parse_message(std::span<const uint8_t> m, Family family, Decoded d) {
  if (m.size() < kVrrpHeaderLen) return DiscardReason::TooShort;
  const uint8_t version = m[0] >> 4;
  if (version != 2 && version != 3) return DiscardReason::BadVersion;
  if (version == 2 && family == Family::V6) return DiscardReason::BadVersion;
  if ((m[0] & 0x0f) != kTypeAdvertisement) return DiscardReason::BadType;
  const bool v2 = version == 2;
  const size_t count = m[3];
  const size_t alen = address_len(family);
  if (m.size() != kVrrpHeaderLen + count * alen + (v2 ? kV2AuthDataLen : 0))
    return DiscardReason::LengthMismatch;

  if (v2) {
    if (internet_checksum(m) != 0) return DiscardReason::BadChecksum;
    d.matched_form = ChecksumForm::MessageOnly;
  } else if (family == Family::V6) {
    if (checksum_with_v6_pseudo_header(d.src, d.dst, m) != 0) return DiscardReason::BadChecksum;
    d.matched_form = ChecksumForm::V6PseudoHeader;
  } else if (checksum_with_v4_pseudo_header(d.src, d.dst, m) == 0) {
    d.matched_form = ChecksumForm::V4PseudoHeader;
  } else if (internet_checksum(m) == 0) {
    d.matched_form = ChecksumForm::MessageOnly;
  } else if (checksum_with_v4_pseudo_header(d.src, vrrp_group(Family::V4), m) == 0) {
    d.matched_form = ChecksumForm::V4PseudoHeaderGroupDst;
  } else {
    return DiscardReason::BadChecksum;
  }

  if (count == 0) return DiscardReason::AddressCountZero;
  Advert& a = d.advert;
  a.version = v2 ? Version::V2 : Version::V3;
  a.vrid = m[1];
  a.priority = m[2];
  if (v2) {
    a.auth = static_cast<AuthType>(m[4]);
    a.interval_cs = static_cast<uint16_t>(m[5] * 100);
  } else {
    a.auth = AuthType::None;
    a.interval_cs = be16(&m[4]) & kV3MaxInterval;  // the 4 reserved bits are ignored
  }
  if (a.interval_cs == 0) return DiscardReason::IntervalZero;
  a.addresses.clear();
  a.addresses.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* p = &m[kVrrpHeaderLen + i * alen];
    if (family == Family::V4) {
      in_addr v4{};
      std::copy_n(p, 4, reinterpret_cast<uint8_t*>(&v4));
      a.addresses.push_back(IpAddress::v4(v4));
    } else {
      in6_addr v6{};
      std::copy_n(p, 16, reinterpret_cast<uint8_t*>(&v6));
      a.addresses.push_back(IpAddress::v6(v6));
    }
  }
  if (v2) std::copy_n(&m[m.size() - kV2AuthDataLen], kV2AuthDataLen, d.auth_data.begin());
  return d;
}

IpAddress v4_at(const uint8_t* p) {
  in_addr a{};
  std::copy_n(p, 4, reinterpret_cast<uint8_t*>(&a));
  return IpAddress::v4(a);
}

// The IPv4 packet cut to its total length, or nullopt if the header is unusable.
std::optional<std::span<const uint8_t>> ipv4_packet(std::span<const uint8_t> b) {
  if (b.size() < kIpv4HeaderLen || (b[0] >> 4) != 4) return std::nullopt;
  const size_t ihl = size_t{b[0] & 0x0fu} * 4;
  const size_t tot = be16(&b[2]);
  if (ihl < kIpv4HeaderLen || tot < ihl || tot > b.size()) return std::nullopt;
  return b.first(tot);
}

}  // namespace

ParseResult parse(std::span<const uint8_t> bytes, const RxMeta& meta) {
  Decoded d;
  if (meta.family == Family::V6) {
    d.src = meta.src.is_v6() ? meta.src : family_any(Family::V6);
    d.dst = meta.dst.is_v6() ? meta.dst : family_any(Family::V6);
    if (meta.ttl_or_hop_limit != kRequiredTtl && d.dst.is_multicast())
      return DiscardReason::TtlNot255;
    d.ttl_or_hop_limit = meta.ttl_or_hop_limit;
    return parse_message(bytes, Family::V6, std::move(d));
  }

  auto pkt = ipv4_packet(bytes);
  if (!pkt) return DiscardReason::BadIpHeader;
  const size_t ihl = size_t{(*pkt)[0] & 0x0fu} * 4;
  d.ttl_or_hop_limit = (*pkt)[8];
  d.src = v4_at(&(*pkt)[12]);
  d.dst = v4_at(&(*pkt)[16]);
  if (d.ttl_or_hop_limit != kRequiredTtl && d.dst.is_multicast()) return DiscardReason::TtlNot255;
  std::span<const uint8_t> payload = pkt->subspan(ihl);
  const uint8_t proto = (*pkt)[9];
  if (proto == kIpProtoAh) {
    if (payload.size() < kAhHeaderLen || payload[0] != kIpProtoVrrp ||
        payload[1] != kAhPayloadLenField)
      return DiscardReason::AhBadHeader;
    Decoded::Ah ah;
    ah.spi = be32(&payload[4]);
    ah.seq = be32(&payload[8]);
    std::copy_n(&payload[kAhIcvOffset], kAhIcvLen, ah.icv.begin());
    d.ah = ah;
    payload = payload.subspan(kAhHeaderLen);
  } else if (proto != kIpProtoVrrp) {
    return DiscardReason::BadIpHeader;
  }
  return parse_message(payload, Family::V4, std::move(d));
}

std::optional<DiscardReason> check(const Decoded& d, std::span<const uint8_t> bytes,
                                   const RxConfig& cfg) {
  const Advert& a = d.advert;
  if (a.vrid != cfg.vrid) return DiscardReason::VridMismatch;
  if (d.ttl_or_hop_limit != kRequiredTtl && !cfg.unicast) return DiscardReason::TtlNot255;
  if (a.version != cfg.version) return DiscardReason::BadVersion;

  if (a.version == Version::V2) {
    const bool has_ah = d.ah.has_value();
    switch (cfg.auth) {
      case AuthType::None:
        if (a.auth != AuthType::None || has_ah) return DiscardReason::AuthTypeMismatch;
        break;
      case AuthType::Pass:
        if (a.auth != AuthType::Pass || has_ah) return DiscardReason::AuthTypeMismatch;
        if (d.auth_data != pass_bytes(cfg.auth_pass)) return DiscardReason::AuthFailure;
        break;
      case AuthType::Ah: {
        if (a.auth != AuthType::Ah || !has_ah) return DiscardReason::AuthTypeMismatch;
        auto pkt = ipv4_packet(bytes);
        if (!pkt) return DiscardReason::AuthFailure;  // not the buffer parse() saw
        const size_t ihl = size_t{(*pkt)[0] & 0x0fu} * 4;
        if (pkt->size() < ihl + kAhHeaderLen) return DiscardReason::AuthFailure;
        // Either TTL treatment: keepalived's multicast form or RFC 4302's (and keepalived's
        // unicast) form.
        if (!ah_icv_equal(ah_icv(*pkt, ihl, cfg.auth_pass, AhTtl::Covered), d.ah->icv) &&
            !ah_icv_equal(ah_icv(*pkt, ihl, cfg.auth_pass, AhTtl::Zeroed), d.ah->icv))
          return DiscardReason::AuthFailure;
        if (cfg.ah_anti_replay && cfg.ah_last_seq && d.ah->seq <= *cfg.ah_last_seq)
          return DiscardReason::AhReplay;
        break;
      }
    }
    if (cfg.v2_interval_cs != 0 && a.interval_cs != v2_seconds(cfg.v2_interval_cs) * 100)
      return DiscardReason::IntervalMismatchV2;
  }

  if (cfg.strict && !a.addresses.empty() && a.addresses.front().is_v6() &&
      !a.addresses.front().is_v6_link_local())
    return DiscardReason::FirstAddressNotLinkLocal;
  return std::nullopt;
}

ParseResult decode(std::span<const uint8_t> bytes, const RxMeta& meta, const RxConfig& cfg) {
  ParseResult r = parse(bytes, meta);
  if (auto* d = std::get_if<Decoded>(&r))
    if (auto reason = check(*d, bytes, cfg)) return *reason;
  return r;
}

}  // namespace vigil::vrrp
