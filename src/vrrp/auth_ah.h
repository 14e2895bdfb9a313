// IPsec Authentication Header for VRRPv2 over IPv4, laid out as keepalived sends it:
// IPv4 header (protocol 51) | AH (24 bytes) | VRRP message.
//   AH: next header 112, payload length 4 (in 32-bit words minus 2), reserved 0,
//       SPI = the sender's IPv4 address, sequence number, ICV = HMAC-MD5-96 (12 bytes).
// The ICV covers the IPv4 header with its mutable fields (TOS, flags/fragment offset, TTL,
// header checksum) zeroed, the AH header with a zero ICV, and the VRRP message (RFC 4302
// 3.3.3.1). The key is the auth_pass truncated to 8 bytes, as keepalived keeps it.
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

// The HMAC-MD5-96 ICV of `ip_packet` (IPv4 header at 0, AH at ip_header_len). The packet's
// own ICV bytes are ignored (treated as zero). Requires ip_packet.size() >= ip_header_len +
// kAhHeaderLen.
AhIcv ah_icv(std::span<const uint8_t> ip_packet, size_t ip_header_len, std::string_view key);

// Constant-time comparison of two ICVs.
bool ah_icv_equal(const AhIcv& a, const AhIcv& b);

}  // namespace vigil::vrrp
