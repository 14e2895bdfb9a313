// Internet checksum (RFC 1071) and the pseudo-headers VRRP uses. Pure functions over bytes.
#pragma once

#include <cstdint>
#include <span>

#include "base/address.h"

namespace vigil::vrrp {

// Accumulates 16-bit big-endian words into a 32-bit one's-complement running sum. Several
// buffers can be fed in sequence as long as every buffer but the last has an even length.
class ChecksumAccumulator {
 public:
  void add(std::span<const uint8_t> bytes);
  void add_u16(uint16_t host_order_word) { sum_ += host_order_word; }
  void add_address(const IpAddress& a) { add({a.data(), a.size()}); }
  // The checksum to put on the wire (host order): ~folded sum.
  uint16_t finish() const;

 private:
  uint64_t sum_ = 0;
};

// Checksum of a plain buffer (IPv4 header, VRRPv2 message).
uint16_t internet_checksum(std::span<const uint8_t> bytes);

// IPv4 pseudo-header (src, dst, zero, protocol 112, length) + message: what keepalived and
// FRR use for VRRPv3 over IPv4 by default.
uint16_t checksum_with_v4_pseudo_header(const IpAddress& src, const IpAddress& dst,
                                        std::span<const uint8_t> message);

// IPv6 pseudo-header (RFC 8200 section 8.1: src, dst, 32-bit length, next header 112).
uint16_t checksum_with_v6_pseudo_header(const IpAddress& src, const IpAddress& dst,
                                        std::span<const uint8_t> message);

}  // namespace vigil::vrrp
