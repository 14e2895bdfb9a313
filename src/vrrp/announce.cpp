#include "vrrp/announce.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace vigil::vrrp {

namespace {

constexpr uint16_t kEthArp = 0x0806;
constexpr uint16_t kEthIpv6 = 0x86dd;
constexpr size_t kEthHeader = 14;

void put16(std::vector<uint8_t>& v, uint16_t x) {
  v.push_back(static_cast<uint8_t>(x >> 8));
  v.push_back(static_cast<uint8_t>(x & 0xff));
}
void put_bytes(std::vector<uint8_t>& v, const uint8_t* p, size_t n) {
  v.insert(v.end(), p, p + n);
}
void put_eth(std::vector<uint8_t>& v, const std::array<uint8_t, 6>& dst, const MacAddress& src,
             uint16_t type) {
  put_bytes(v, dst.data(), 6);
  put_bytes(v, src.bytes.data(), 6);
  put16(v, type);
}

}  // namespace

std::vector<uint8_t> build_garp_frame(const MacAddress& src_mac, const IpAddress& vip) {
  std::vector<uint8_t> f;
  f.reserve(kEthHeader + 28);
  const auto bcast = MacAddress::broadcast().bytes;
  put_eth(f, bcast, src_mac, kEthArp);
  put16(f, 1);       // hardware type: Ethernet
  put16(f, 0x0800);  // protocol type: IPv4
  f.push_back(6);
  f.push_back(4);
  put16(f, 1);  // ARP request
  put_bytes(f, src_mac.bytes.data(), 6);
  put_bytes(f, vip.data(), 4);
  put_bytes(f, bcast.data(), 6);
  put_bytes(f, vip.data(), 4);
  return f;
}

uint16_t icmpv6_checksum(const IpAddress& src, const IpAddress& dst, const uint8_t* payload,
                         size_t len) {
  uint32_t sum = 0;
  auto add_words = [&sum](const uint8_t* p, size_t n) {
    for (size_t i = 0; i + 1 < n; i += 2) sum += static_cast<uint32_t>(p[i] << 8 | p[i + 1]);
    if (n & 1) sum += static_cast<uint32_t>(p[n - 1] << 8);
  };
  add_words(src.data(), 16);
  add_words(dst.data(), 16);
  sum += static_cast<uint32_t>(len >> 16) + static_cast<uint32_t>(len & 0xffff);
  sum += 58;  // next header: ICMPv6
  add_words(payload, len);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

std::vector<uint8_t> build_unsolicited_na_frame(const MacAddress& src_mac, const IpAddress& vip,
                                                bool router) {
  const IpAddress all_nodes = *IpAddress::parse("ff02::1");
  // ICMPv6 NA: type, code, checksum, flags(4), target(16), option TLLA (8) = 32 bytes.
  std::vector<uint8_t> icmp;
  icmp.reserve(32);
  icmp.push_back(136);
  icmp.push_back(0);
  put16(icmp, 0);
  icmp.push_back(static_cast<uint8_t>(0x20 | (router ? 0x80 : 0)));  // Override (+ Router)
  icmp.push_back(0);
  icmp.push_back(0);
  icmp.push_back(0);
  put_bytes(icmp, vip.data(), 16);
  icmp.push_back(2);  // option: target link-layer address
  icmp.push_back(1);  // length in units of 8 bytes
  put_bytes(icmp, src_mac.bytes.data(), 6);
  uint16_t csum = icmpv6_checksum(vip, all_nodes, icmp.data(), icmp.size());
  icmp[2] = static_cast<uint8_t>(csum >> 8);
  icmp[3] = static_cast<uint8_t>(csum & 0xff);

  std::vector<uint8_t> f;
  f.reserve(kEthHeader + 40 + icmp.size());
  put_eth(f, {0x33, 0x33, 0x00, 0x00, 0x00, 0x01}, src_mac, kEthIpv6);
  f.push_back(0x60);  // version 6, traffic class 0, flow label 0
  f.push_back(0);
  put16(f, 0);
  put16(f, static_cast<uint16_t>(icmp.size()));
  f.push_back(58);   // next header: ICMPv6
  f.push_back(255);  // hop limit: receivers drop NDISC with anything else (RFC 4861)
  put_bytes(f, vip.data(), 16);
  put_bytes(f, all_nodes.data(), 16);
  put_bytes(f, icmp.data(), icmp.size());
  return f;
}

netlink::Result<Announcer> Announcer::open() {
  // Protocol 0: a send-only packet socket (it receives nothing, so it never needs draining).
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (fd < 0) return netlink::errno_error(errno, "announce: AF_PACKET socket");
  return Announcer(fd);
}

Announcer::Announcer(Announcer&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

Announcer& Announcer::operator=(Announcer&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

Announcer::~Announcer() {
  if (fd_ >= 0) ::close(fd_);
}

netlink::Result<void> Announcer::send_frame(int ifindex, const std::vector<uint8_t>& frame,
                                            uint16_t ethertype, const char* what) {
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_ifindex = ifindex;
  sll.sll_protocol = htons(ethertype);
  sll.sll_halen = 6;
  std::memcpy(sll.sll_addr, frame.data(), 6);
  ssize_t n;
  do {
    n = sendto(fd_, frame.data(), frame.size(), 0, reinterpret_cast<sockaddr*>(&sll), sizeof sll);
  } while (n < 0 && errno == EINTR);
  if (n < 0)
    return netlink::errno_error(errno, std::string(what) + " on #" + std::to_string(ifindex));
  return {};
}

netlink::Result<void> Announcer::garp(int ifindex, const MacAddress& src_mac,
                                      const IpAddress& vip) {
  if (!vip.is_v4()) return netlink::Error{EINVAL, "gratuitous ARP needs an IPv4 address"};
  return send_frame(ifindex, build_garp_frame(src_mac, vip), kEthArp, "gratuitous ARP");
}

netlink::Result<void> Announcer::unsolicited_na(int ifindex, const MacAddress& src_mac,
                                                const IpAddress& vip, bool router) {
  if (!vip.is_v6()) return netlink::Error{EINVAL, "neighbour advertisement needs an IPv6 address"};
  return send_frame(ifindex, build_unsolicited_na_frame(src_mac, vip, router), kEthIpv6,
                    "unsolicited NA");
}

}  // namespace vigil::vrrp
