// Gratuitous ARP and unsolicited IPv6 Neighbour Advertisements, sent as whole Ethernet frames
// through one AF_PACKET socket so the source MAC can be the virtual MAC (use_vmac) or the
// interface's own. Frame builders are pure and public so tests can check bytes directly.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "base/address.h"
#include "netlink/result.h"
#include "netlink/types.h"

namespace vigil::vrrp {

using netlink::MacAddress;

// Ethernet broadcast; ARP request, opcode 1; sender = target = VIP; sender MAC = src_mac;
// target MAC ff:ff:ff:ff:ff:ff (the form keepalived sends). 42 bytes (no padding: the NIC
// pads to the Ethernet minimum).
std::vector<uint8_t> build_garp_frame(const MacAddress& src_mac, const IpAddress& vip);

// Ethernet to 33:33:00:00:00:01; IPv6 src = VIP, dst = ff02::1, hop limit 255; ICMPv6 type
// 136, flags Override (+ Router when `router`), target = VIP, option 2 (target link-layer
// address) = src_mac; ICMPv6 checksum over the RFC 8200 pseudo-header.
std::vector<uint8_t> build_unsolicited_na_frame(const MacAddress& src_mac, const IpAddress& vip,
                                                bool router = false);

// RFC 1071 one's-complement sum over the IPv6 pseudo-header and `payload` (checksum field
// inside payload must be zero when computing, or the result is 0 when verifying).
uint16_t icmpv6_checksum(const IpAddress& src, const IpAddress& dst, const uint8_t* payload,
                         size_t len);

class Announcer {
 public:
  static netlink::Result<Announcer> open();

  Announcer(Announcer&& other) noexcept;
  Announcer& operator=(Announcer&& other) noexcept;
  Announcer(const Announcer&) = delete;
  Announcer& operator=(const Announcer&) = delete;
  ~Announcer();

  netlink::Result<void> garp(int ifindex, const MacAddress& src_mac, const IpAddress& vip);
  // `router`: set the R flag (keepalived does when the interface forwards IPv6).
  netlink::Result<void> unsolicited_na(int ifindex, const MacAddress& src_mac, const IpAddress& vip,
                                       bool router = false);

 private:
  explicit Announcer(int fd) : fd_(fd) {}
  netlink::Result<void> send_frame(int ifindex, const std::vector<uint8_t>& frame,
                                   uint16_t ethertype, const char* what);
  int fd_ = -1;
};

}  // namespace vigil::vrrp
