// IPsec Authentication Header for VRRPv2 over IPv4, laid out as keepalived sends it:
// IPv4 header (protocol 51) | AH (24 bytes) | VRRP message.
//   AH: next header 112, payload length 4 (in 32-bit words minus 2), reserved 0,
//       SPI = the sender's IPv4 address, sequence number, ICV = HMAC-MD5-96 (12 bytes).
// The ICV covers the IPv4 header, the AH header with a zero ICV, and the VRRP message. Of the
// IPv4 fields RFC 4302 3.3.3.1.1.1 calls mutable, keepalived 2.2.7 zeroes TOS, flags/fragment
// offset and header checksum, but the TTL only for unicast adverts (for multicast it is always
// 255, so it is left in); the identification is covered. (Checked against captured adverts.)
// The key is the auth_pass truncated to 8 bytes, as keepalived keeps it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace vigil::vrrp {

inline constexpr size_t kAhHeaderLen = 24;
inline constexpr size_t kAhIcvLen = 12;
inline constexpr size_t kAhIcvOffset = 12;  // within the AH header
inline constexpr uint8_t kAhPayloadLenField = kAhHeaderLen / 4 - 2;

using AhIcv = std::array<uint8_t, kAhIcvLen>;

enum class AhTtl : uint8_t { Covered, Zeroed };

// The HMAC-MD5-96 ICV of `ip_packet` (IPv4 header at 0, AH at ip_header_len). The packet's
// own ICV bytes are ignored (treated as zero). Requires ip_packet.size() >= ip_header_len +
// kAhHeaderLen. keepalived sends AhTtl::Covered for multicast, AhTtl::Zeroed for unicast.
AhIcv ah_icv(std::span<const uint8_t> ip_packet, size_t ip_header_len, std::string_view key,
             AhTtl ttl);

// Constant-time comparison of two ICVs.
bool ah_icv_equal(const AhIcv& a, const AhIcv& b);

}  // namespace vigil::vrrp
