// VRRP advertisement codec: v2 (RFC 3768) and v3 (RFC 9568, formerly RFC 5798), IPv4 and IPv6,
// authentication none / simple password / IPsec-AH (v2 over IPv4 only, laid out as keepalived
// does). Pure and sans-I/O: bytes in, values out, no sockets, no clocks.
//
// What the socket layer hands in and gets out:
//  - IPv4: encode() returns the whole IP packet (IPv4 header [+ AH] + VRRP) for a raw socket
//    with IP_HDRINCL; decode()/parse() take the whole IP packet as a raw IPPROTO_VRRP (or
//    IPPROTO_AH) socket returns it. TTL, source and destination are read from that header.
//  - IPv6: encode() returns the VRRP message only (the kernel builds the IPv6 header; set the
//    hop limit to 255 with IPV6_MULTICAST_HOPS / IPV6_UNICAST_HOPS; the checksum is already
//    filled in, so do not set IPV6_CHECKSUM). decode()/parse() take the VRRP message and an
//    RxMeta with source, destination (IPV6_PKTINFO) and hop limit (IPV6_HOPLIMIT).
//
// Receive is two-step so that one socket can serve many virtual routers: parse() does the
// instance-independent checks and yields the VRID; the caller finds the instance for
// (family, vrid) and calls check() with that instance's RxConfig. decode() does both.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/address.h"
#include "vrrp/discard.h"

namespace vigil::vrrp {

inline constexpr uint8_t kIpProtoVrrp = 112;
inline constexpr uint8_t kIpProtoAh = 51;
inline constexpr uint8_t kRequiredTtl = 255;
inline constexpr size_t kV2AuthDataLen = 8;  // PASS: the first 8 bytes of auth_pass

// 224.0.0.18 and ff02::12.
IpAddress vrrp_group(Family f);

enum class Version : uint8_t { V2 = 2, V3 = 3 };
enum class AuthType : uint8_t { None = 0, Pass = 1, Ah = 2 };

// How a checksum was (or is to be) computed.
//  V4PseudoHeader: v3 over IPv4 with an IPv4 pseudo-header (src, dst, 0, 112, length), as
//    keepalived and FRR send by default. An "IPv6-style" pseudo-header built from the IPv4
//    addresses (32-bit length, 3 zero bytes + next header, addresses zero-padded or
//    IPv4-mapped) has exactly the same one's-complement sum, so it is this form too.
//  MessageOnly: the VRRP message alone: always for v2; v3 over IPv4 as RFC 9568 says (and
//    keepalived's v3_checksum_as_v2, FRR without checksum-with-ipv4-pseudoheader, Cisco).
//  V4PseudoHeaderGroupDst: v3 over IPv4 unicast with 224.0.0.18 in the pseudo-header instead
//    of the real destination: keepalived before 1.3.6 (its old_unicast_checksum option).
//  V6PseudoHeader: IPv6 (RFC 8200 section 8.1 pseudo-header); the only IPv6 form.
enum class ChecksumForm : uint8_t {
  V4PseudoHeader,
  MessageOnly,
  V4PseudoHeaderGroupDst,
  V6PseudoHeader,
};
inline constexpr size_t kChecksumFormCount = 4;
std::string_view to_string(ChecksumForm f);  // snake_case, for metrics labels

struct Advert {
  Version version = Version::V2;
  uint8_t vrid = 0;
  uint8_t priority = 0;
  // v3: Max Adver Int in centiseconds (12 bits). v2: Adver Int seconds * 100; encode()
  // rounds to whole seconds (at least 1), as v2 cannot carry fractions.
  uint16_t interval_cs = 100;
  // v2 only; v3 has no authentication (always None).
  AuthType auth = AuthType::None;
  // All of the packet's family. keepalived sends them in configuration order.
  std::vector<IpAddress> addresses;

  bool operator==(const Advert&) const = default;
};

struct TxParams {
  Family family = Family::V4;
  IpAddress src;  // IPv4: header source. Both: pseudo-header source (IPv6: our link-local)
  IpAddress dst;  // group or unicast peer
  // PASS: the password (only the first 8 bytes go on the wire). AH: the HMAC key (keepalived
  // also keeps only 8 bytes of it).
  std::string auth_pass;
  // AH sequence number for this packet. keepalived starts at 1 and adds 1 per advert (and
  // restarts from 1 when it restarts).
  uint32_t ah_seq = 0;
  ChecksumForm v3_ipv4_checksum = ChecksumForm::V4PseudoHeader;
  // IPv4 identification. keepalived 2.2.7 counts it per instance: 1, 2, ... 65535, then 1
  // again (0 would make the kernel pick one); see next_ip_id().
  uint16_t ip_id = 0;
  // IPv4 TTL: 255, except keepalived's unicast_ttl for unicast peers behind routers.
  uint8_t ttl = kRequiredTtl;
};

// keepalived's IPv4 identification sequence: never 0.
inline uint16_t next_ip_id(uint16_t prev) {
  return prev == 0xffff ? 1 : static_cast<uint16_t>(prev + 1);
}

// Builds an advertisement. Throws std::invalid_argument on inconsistent input (address
// family differs from TxParams::family, more than 255 addresses, no addresses, v2 over IPv6,
// AH or PASS with v3, a checksum form that does not fit the family).
std::vector<uint8_t> encode(const Advert& advert, const TxParams& tx);

struct RxMeta {
  Family family = Family::V4;
  // IPv6 only (IPv4 reads them from the packet's header): source, destination and hop limit
  // from IPV6_PKTINFO / IPV6_HOPLIMIT ancillary data.
  IpAddress src, dst;
  uint8_t ttl_or_hop_limit = 0;
};

// What a received advert looked like after the instance-independent checks.
struct Decoded {
  Advert advert;
  IpAddress src, dst;  // IP source/destination (src: the peer's primary address)
  uint8_t ttl_or_hop_limit = 0;
  ChecksumForm matched_form = ChecksumForm::MessageOnly;
  // v2: the 8 bytes after the addresses (the PASS password, zero-padded).
  std::array<uint8_t, kV2AuthDataLen> auth_data{};
  // Present iff the IPv4 packet carried an AH header (IP protocol 51).
  struct Ah {
    uint32_t spi = 0;
    uint32_t seq = 0;
    std::array<uint8_t, 12> icv{};
  };
  std::optional<Ah> ah;
};

struct RxConfig {
  uint8_t vrid = 0;
  Version version = Version::V2;
  AuthType auth = AuthType::None;  // v2 only; ignored for v3
  std::string auth_pass;           // PASS password or AH key
  // RFC 9568 "IPv6: first address must be link-local" check; keepalived vrrp_strict.
  bool strict = false;
  // A unicast instance (unicast_peer): like keepalived, accept any TTL/hop limit on adverts
  // sent to a unicast address (peers may be routed, see unicast_ttl). Adverts to the
  // multicast group always need 255 (checked by parse()).
  bool unicast = false;
  // v2: the configured advert_int in centiseconds; adverts with another Adver Int are
  // discarded (RFC 3768 7.1). 0 = do not check.
  uint16_t v2_interval_cs = 0;
  // AH anti-replay (RFC 4302): discard adverts whose sequence number is not above
  // ah_last_seq. Off by default because keepalived does not enforce it and restarts its
  // sequence at 1 when it restarts: enforcing it would ignore a restarted keepalived master
  // and make two masters. When on, ah_last_seq must be the last accepted number *from the
  // same source* (Decoded::src), stored by the caller after each accepted advert.
  bool ah_anti_replay = false;
  std::optional<uint32_t> ah_last_seq;
};

using ParseResult = std::variant<Decoded, DiscardReason>;

// Instance-independent checks, in RFC 9568 7.1 order: TTL/hop limit 255 (for adverts to a
// multicast group; unicast ones are left to check()), (IPv4 header),
// version 2 or 3, type 1, length, checksum (v3/IPv4: any form), address count != 0,
// interval != 0.
ParseResult parse(std::span<const uint8_t> bytes, const RxMeta& meta);

// Instance checks on a parse() result: VRID (VridMismatch = not for this instance), TTL of
// unicast adverts (unless cfg.unicast), version,
// auth type and data (v2: PASS, AH HMAC-MD5-96 and replay), v2 interval, strict-mode IPv6
// link-local first address. `bytes` must be the same buffer given to parse() (AH needs it).
std::optional<DiscardReason> check(const Decoded& d, std::span<const uint8_t> bytes,
                                   const RxConfig& cfg);

// parse() then check().
ParseResult decode(std::span<const uint8_t> bytes, const RxMeta& meta, const RxConfig& cfg);

}  // namespace vigil::vrrp
