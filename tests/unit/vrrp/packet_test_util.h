// Helpers shared by the packet codec tests: address literals and checksum repair after a test
// has mutated a packet on purpose (so that the check under test, not the checksum, rejects it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/address.h"
#include "vrrp/checksum.h"
#include "vrrp/packet.h"

namespace vigil::vrrp::testutil {

inline IpAddress ip(const std::string& s) {
  auto a = IpAddress::parse(s);
  if (!a) throw std::invalid_argument("bad test address " + s);
  return *a;
}

// Re-computes the IPv4 header checksum and the VRRP checksum (of `form`) of an IPv4 packet
// without AH. The packet's length fields must already be consistent with its size.
inline void fix_v4_checksums(std::vector<uint8_t>& pkt, ChecksumForm form) {
  const size_t ihl = size_t{pkt[0] & 0x0fu} * 4;
  std::span<uint8_t> m(pkt.data() + ihl, pkt.size() - ihl);
  m[6] = m[7] = 0;
  IpAddress src =
      IpAddress::v4_from_host(uint32_t{pkt[12]} << 24 | pkt[13] << 16 | pkt[14] << 8 | pkt[15]);
  IpAddress dst =
      IpAddress::v4_from_host(uint32_t{pkt[16]} << 24 | pkt[17] << 16 | pkt[18] << 8 | pkt[19]);
  uint16_t c = form == ChecksumForm::MessageOnly ? internet_checksum(m)
               : form == ChecksumForm::V4PseudoHeaderGroupDst
                   ? checksum_with_v4_pseudo_header(src, vrrp_group(Family::V4), m)
                   : checksum_with_v4_pseudo_header(src, dst, m);
  m[6] = static_cast<uint8_t>(c >> 8);
  m[7] = static_cast<uint8_t>(c);
  pkt[10] = pkt[11] = 0;
  uint16_t h = internet_checksum({pkt.data(), ihl});
  pkt[10] = static_cast<uint8_t>(h >> 8);
  pkt[11] = static_cast<uint8_t>(h);
}

inline void fix_v6_checksum(std::vector<uint8_t>& m, const IpAddress& src, const IpAddress& dst) {
  m[6] = m[7] = 0;
  uint16_t c = checksum_with_v6_pseudo_header(src, dst, m);
  m[6] = static_cast<uint8_t>(c >> 8);
  m[7] = static_cast<uint8_t>(c);
}

}  // namespace vigil::vrrp::testutil
