// GARP and unsolicited NA: frame bytes against references produced independently (scapy),
// and real frames captured on the far end of a veth.
#include "vrrp/announce.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <netinet/icmp6.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "../testing/netns.h"

namespace vigil::vrrp {
namespace {

using namespace std::chrono_literals;
namespace vt = vigil::testing;

std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

const MacAddress kVmac4 = *MacAddress::parse("00:00:5e:00:01:0a");
const MacAddress kVmac6 = *MacAddress::parse("00:00:5e:00:02:0a");

// Reference frames built with scapy:
//   Ether()/ARP(op=1, hwsrc=vmac, psrc=VIP, hwdst=ff:ff:ff:ff:ff:ff, pdst=VIP)
//   Ether()/IPv6(src=VIP, dst=ff02::1, hlim=255)/ICMPv6ND_NA(O=1, tgt=VIP)/
//     ICMPv6NDOptDstLLAddr(lladdr=vmac)
const char* kGarpRef =
    "ffffffffffff00005e00010a0806000108000604000100005e00010ac0000264ffffffffffffc0000264";
const char* kNaRef =
    "33330000000100005e00020a86dd6000000000203aff20010db8000000000000000000000010ff02000000"
    "000000000000000000000188009b032000000020010db8000000000000000000000010020100005e00020a";

TEST(Announce, GarpFrameMatchesReference) {
  EXPECT_EQ(build_garp_frame(kVmac4, *IpAddress::parse("192.0.2.100")), from_hex(kGarpRef));
}

TEST(Announce, UnsolicitedNaFrameMatchesReference) {
  EXPECT_EQ(build_unsolicited_na_frame(kVmac6, *IpAddress::parse("2001:db8::10")),
            from_hex(kNaRef));
}

// Frames keepalived 2.2.7 sent as master for 192.0.2.100 and 2001:db8::100 from an interface
// with MAC 8e:2b:b5:5e:f4:77 (captured with tcpdump on the veth peer): same form, byte for byte.
TEST(Announce, FramesMatchKeepalivedCapture) {
  const MacAddress mac = *MacAddress::parse("8e:2b:b5:5e:f4:77");
  EXPECT_EQ(build_garp_frame(mac, *IpAddress::parse("192.0.2.100")),
            from_hex("ffffffffffff8e2bb55ef47708060001080006040001"
                     "8e2bb55ef477c0000264ffffffffffffc0000264"));
  EXPECT_EQ(build_unsolicited_na_frame(mac, *IpAddress::parse("2001:db8::100")),
            from_hex("333300000001"
                     "8e2bb55ef47786dd6000000000203aff20010db8000000000000000000000100ff0200000000"
                     "0000000000000000000188"
                     "00c12b2000000020010db80000000000000000000001000201"
                     "8e2bb55ef477"));
}

TEST(Announce, RouterFlagChangesFlagsAndChecksum) {
  auto plain = build_unsolicited_na_frame(kVmac6, *IpAddress::parse("2001:db8::10"));
  auto router = build_unsolicited_na_frame(kVmac6, *IpAddress::parse("2001:db8::10"), true);
  const size_t icmp = 14 + 40;
  EXPECT_EQ(router[icmp + 4], 0xa0);
  EXPECT_EQ(plain[icmp + 4], 0x20);
  // A correct checksum sums to zero when verified over the whole message.
  auto vip = *IpAddress::parse("2001:db8::10");
  auto all_nodes = *IpAddress::parse("ff02::1");
  EXPECT_EQ(icmpv6_checksum(vip, all_nodes, router.data() + icmp, router.size() - icmp), 0);
}

TEST(Announce, WrongFamilyIsAnError) {
  VIGIL_REQUIRE_ROOT();
  vt::run_in_netns([] {
    auto a = Announcer::open();
    ASSERT_TRUE(a.ok()) << a.error().message;
    EXPECT_FALSE(a->garp(1, kVmac4, *IpAddress::parse("2001:db8::1")).ok());
    EXPECT_FALSE(a->unsolicited_na(1, kVmac4, *IpAddress::parse("192.0.2.1")).ok());
    auto bad_if = a->garp(9999, kVmac4, *IpAddress::parse("192.0.2.1"));
    ASSERT_FALSE(bad_if.ok());
    EXPECT_EQ(bad_if.error().code, ENXIO);
  });
}

// Captures frames of `ethertype` on `ifname` in the current namespace.
int capture_socket(const std::string& ifname, uint16_t ethertype) {
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ethertype));
  EXPECT_GE(fd, 0);
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ethertype);
  sll.sll_ifindex = vt::ifindex_of(ifname);
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&sll), sizeof sll), 0);
  return fd;
}

std::vector<uint8_t> read_frame(int fd) {
  std::vector<uint8_t> buf(2048);
  if (!vt::wait_readable(fd, 5s)) return {};
  ssize_t n = recv(fd, buf.data(), buf.size(), 0);
  buf.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return buf;
}

TEST(Announce, PeerCapturesGarpAndNa) {
  VIGIL_REQUIRE_ROOT();
  vt::run_in_netns([] {
    int ns_b = vt::new_netns();
    vt::create_veth("vgla", "vglb", ns_b);
    vt::wait_link_up("vgla");
    int arp_fd = -1, na_fd = -1, icmp_fd = -1;
    vt::in_netns(ns_b, [&] {
      vt::wait_link_up("vglb");
      arp_fd = capture_socket("vglb", ETH_P_ARP);
      na_fd = capture_socket("vglb", ETH_P_IPV6);
      // The kernel verifies the ICMPv6 checksum before a raw ICMPv6 socket sees a message:
      // receiving the NA here is an independent check of our checksum.
      icmp_fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
      ASSERT_GE(icmp_fd, 0);
      icmp6_filter filter;
      ICMP6_FILTER_SETBLOCKALL(&filter);
      ICMP6_FILTER_SETPASS(ND_NEIGHBOR_ADVERT, &filter);
      ASSERT_EQ(setsockopt(icmp_fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter), 0);
    });

    auto a = Announcer::open();
    ASSERT_TRUE(a.ok()) << a.error().message;
    const int ifindex = vt::ifindex_of("vgla");
    auto g = a->garp(ifindex, kVmac4, *IpAddress::parse("192.0.2.100"));
    ASSERT_TRUE(g.ok()) << g.error().message;
    auto frame = read_frame(arp_fd);
    ASSERT_GE(frame.size(), 42u);
    frame.resize(42);  // drop Ethernet padding, if any
    EXPECT_EQ(frame, from_hex(kGarpRef));

    auto n = a->unsolicited_na(ifindex, kVmac6, *IpAddress::parse("2001:db8::10"));
    ASSERT_TRUE(n.ok()) << n.error().message;
    // Other IPv6 traffic (MLD reports, our own link-local chatter) may come first.
    std::vector<uint8_t> na;
    for (int i = 0; i < 20 && na.empty(); ++i) {
      auto f = read_frame(na_fd);
      ASSERT_FALSE(f.empty()) << "no NA captured";
      if (f.size() >= 14 + 40 + 1 && f[14 + 6] == 58 && f[14 + 40] == 136) na = f;
    }
    EXPECT_EQ(na, from_hex(kNaRef));

    ASSERT_TRUE(vt::wait_readable(icmp_fd, 5s)) << "kernel did not accept the NA";
    std::vector<uint8_t> msg(256);
    sockaddr_in6 from{};
    socklen_t fl = sizeof from;
    ssize_t len =
        recvfrom(icmp_fd, msg.data(), msg.size(), 0, reinterpret_cast<sockaddr*>(&from), &fl);
    ASSERT_EQ(len, 32);
    EXPECT_EQ(msg[0], ND_NEIGHBOR_ADVERT);
    EXPECT_EQ(IpAddress::v6(from.sin6_addr), *IpAddress::parse("2001:db8::10"));
    close(arp_fd);
    close(na_fd);
    close(icmp_fd);
    close(ns_b);
  });
}

}  // namespace
}  // namespace vigil::vrrp
