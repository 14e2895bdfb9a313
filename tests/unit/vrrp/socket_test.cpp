// Two namespaces joined by a veth; a VrrpSocket in each exchanges real adverts (built and
// parsed by the codec) over multicast and unicast, IPv4 and IPv6.
#include "vrrp/socket.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <variant>

#include "../testing/netns.h"
#include "vrrp/packet.h"

namespace vigil::vrrp {
namespace {

using namespace std::chrono_literals;
namespace vt = vigil::testing;

IpAddress ip(const char* s) {
  return *IpAddress::parse(s);
}

// Host "a" is the child's namespace, host "b" a second one; vgla <-> vglb.
struct TwoHosts {
  int ns_b = -1;
  int if_a = 0;
  int if_b = 0;

  TwoHosts() {
    ns_b = vt::new_netns();
    vt::create_veth("vgla", "vglb", ns_b);
    if_a = vt::ifindex_of("vgla");
    vt::add_test_address("vgla", "192.0.2.1/24");
    vt::add_test_address("vgla", "2001:db8::1/64");
    vt::wait_link_up("vgla");
    vt::in_netns(ns_b, [&] {
      if_b = vt::ifindex_of("vglb");
      vt::add_test_address("vglb", "192.0.2.2/24");
      vt::add_test_address("vglb", "2001:db8::2/64");
      vt::wait_link_up("vglb");
    });
  }
  ~TwoHosts() { close(ns_b); }

  Result<VrrpSocket> open_b(const SocketConfig& c) {
    std::optional<Result<VrrpSocket>> s;
    vt::in_netns(ns_b, [&] { s.emplace(VrrpSocket::open(c)); });
    return std::move(*s);
  }
};

std::optional<Received> await_packet(VrrpSocket& s) {
  if (!vt::wait_readable(s.fd(), 5s)) return std::nullopt;
  return s.receive();
}

Advert advert(Version v, const IpAddress& vip) {
  Advert a;
  a.version = v;
  a.vrid = 51;
  a.priority = 150;
  a.addresses = {vip};
  return a;
}

void exchange_v4(bool multicast) {
  TwoHosts h;
  SocketConfig ca{h.if_a, "vgla", Family::V4, multicast, std::nullopt};
  SocketConfig cb{h.if_b, "vglb", Family::V4, multicast, std::nullopt};
  auto sa = VrrpSocket::open(ca);
  ASSERT_TRUE(sa.ok()) << sa.error().message;
  auto sb = h.open_b(cb);
  ASSERT_TRUE(sb.ok()) << sb.error().message;

  const IpAddress dst = multicast ? ip("224.0.0.18") : ip("192.0.2.2");
  TxParams tx;
  tx.family = Family::V4;
  tx.src = ip("192.0.2.1");
  tx.dst = dst;
  auto bytes = encode(advert(Version::V2, ip("192.0.2.100")), tx);
  auto sent = sa->send(bytes, dst);
  ASSERT_TRUE(sent.ok()) << sent.error().message;

  auto rx = await_packet(*sb);
  ASSERT_TRUE(rx.has_value()) << "nothing received";
  ASSERT_EQ(rx->bytes.size(), bytes.size());
  // The kernel fills in the IP identification (when 0) and header checksum; all else is ours.
  auto same = [&](size_t from, size_t to) {
    return std::equal(bytes.begin() + from, bytes.begin() + to, rx->bytes.begin() + from);
  };
  EXPECT_TRUE(same(0, 4) && same(6, 10) && same(12, bytes.size()));
  EXPECT_EQ(rx->src, ip("192.0.2.1"));
  EXPECT_EQ(rx->dst, dst);
  EXPECT_EQ(rx->ttl_or_hop_limit, 255);
  EXPECT_EQ(rx->ifindex, h.if_b);
  auto parsed = parse(rx->bytes, RxMeta{Family::V4, {}, {}, 0});
  ASSERT_TRUE(std::holds_alternative<Decoded>(parsed));
  EXPECT_EQ(std::get<Decoded>(parsed).advert.vrid, 51);
  EXPECT_FALSE(sb->receive().has_value()) << "exactly one packet";
  // Multicast loop is off: the sender does not hear itself.
  EXPECT_FALSE(sa->receive().has_value());
}

TEST(VrrpSocket, Ipv4MulticastExchangeTtl255) {
  VIGIL_REQUIRE_ROOT();
  vt::run_in_netns([] { exchange_v4(true); });
}

TEST(VrrpSocket, Ipv4UnicastExchange) {
  VIGIL_REQUIRE_ROOT();
  vt::run_in_netns([] { exchange_v4(false); });
}

void exchange_v6(bool multicast) {
  TwoHosts h;
  SocketConfig ca{h.if_a, "vgla", Family::V6, multicast, ip("2001:db8::1")};
  SocketConfig cb{h.if_b, "vglb", Family::V6, multicast, ip("2001:db8::2")};
  auto sa = VrrpSocket::open(ca);
  ASSERT_TRUE(sa.ok()) << sa.error().message;
  auto sb = h.open_b(cb);
  ASSERT_TRUE(sb.ok()) << sb.error().message;

  const IpAddress dst = multicast ? ip("ff02::12") : ip("2001:db8::2");
  TxParams tx;
  tx.family = Family::V6;
  tx.src = ip("2001:db8::1");
  tx.dst = dst;
  auto bytes = encode(advert(Version::V3, ip("2001:db8::100")), tx);
  auto sent = sa->send(bytes, dst);
  ASSERT_TRUE(sent.ok()) << sent.error().message;

  auto rx = await_packet(*sb);
  ASSERT_TRUE(rx.has_value()) << "nothing received";
  EXPECT_EQ(rx->bytes, bytes);
  EXPECT_EQ(rx->src, ip("2001:db8::1")) << "source chosen with IPV6_PKTINFO";
  EXPECT_EQ(rx->dst, dst);
  EXPECT_EQ(rx->ttl_or_hop_limit, 255);
  EXPECT_EQ(rx->ifindex, h.if_b);
  // The codec's checksum over the pseudo-header with the real addresses holds.
  auto parsed = parse(rx->bytes, RxMeta{Family::V6, rx->src, rx->dst, rx->ttl_or_hop_limit});
  ASSERT_TRUE(std::holds_alternative<Decoded>(parsed));
  EXPECT_EQ(std::get<Decoded>(parsed).advert.vrid, 51);
  EXPECT_FALSE(sa->receive().has_value());
}

TEST(VrrpSocket, Ipv6MulticastExchangeHopLimit255) {
  VIGIL_REQUIRE_ROOT();
  vt::run_in_netns([] { exchange_v6(true); });
}

TEST(VrrpSocket, Ipv6UnicastExchange) {
  VIGIL_REQUIRE_ROOT();
  vt::run_in_netns([] { exchange_v6(false); });
}

// send_many(): one sendmmsg for several adverts; a packet that cannot be sent (wrong family)
// fails alone, in its place, and the others still leave.
void send_many_exchange(Family f) {
  TwoHosts h;
  const bool v6 = f == Family::V6;
  SocketConfig ca{h.if_a, "vgla", f, true, v6 ? std::optional(ip("2001:db8::1")) : std::nullopt};
  SocketConfig cb{h.if_b, "vglb", f, true, v6 ? std::optional(ip("2001:db8::2")) : std::nullopt};
  auto sa = VrrpSocket::open(ca);
  ASSERT_TRUE(sa.ok()) << sa.error().message;
  auto sb = h.open_b(cb);
  ASSERT_TRUE(sb.ok()) << sb.error().message;
  const IpAddress dst = v6 ? ip("ff02::12") : ip("224.0.0.18");
  TxParams tx;
  tx.family = f;
  tx.src = v6 ? ip("2001:db8::1") : ip("192.0.2.1");
  tx.dst = dst;
  std::vector<VrrpSocket::Outgoing> out;
  for (uint8_t vrid : {7, 8}) {
    Advert a = advert(v6 ? Version::V3 : Version::V2, v6 ? ip("2001:db8::100") : ip("192.0.2.100"));
    a.vrid = vrid;
    out.push_back({encode(a, tx), dst});
    if (vrid == 7) out.push_back({out.back().bytes, v6 ? ip("224.0.0.18") : ip("ff02::12")});
  }
  auto results = sa->send_many(out);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok()) << results[0].error().message;
  EXPECT_FALSE(results[1].ok()) << "a destination of the other family is refused";
  EXPECT_TRUE(results[2].ok()) << results[2].error().message;
  std::vector<int> vrids;
  for (int i = 0; i < 2; ++i) {
    auto rx = await_packet(*sb);
    ASSERT_TRUE(rx.has_value()) << "packet " << i << " not received";
    if (v6) {
      EXPECT_EQ(rx->src, ip("2001:db8::1")) << "source chosen with IPV6_PKTINFO";
    }
    auto parsed = parse(rx->bytes, RxMeta{f, rx->src, rx->dst, rx->ttl_or_hop_limit});
    ASSERT_TRUE(std::holds_alternative<Decoded>(parsed));
    vrids.push_back(std::get<Decoded>(parsed).advert.vrid);
  }
  EXPECT_EQ(vrids, (std::vector<int>{7, 8}));
  EXPECT_FALSE(sb->receive().has_value()) << "exactly two packets";
}

TEST(VrrpSocket, SendManyIpv4) {
  VIGIL_REQUIRE_ROOT();
  vt::run_in_netns([] { send_many_exchange(Family::V4); });
}

TEST(VrrpSocket, SendManyIpv6) {
  VIGIL_REQUIRE_ROOT();
  vt::run_in_netns([] { send_many_exchange(Family::V6); });
}

TEST(VrrpSocket, BadConfigIsAnError) {
  VIGIL_REQUIRE_ROOT();
  vt::run_in_netns([] {
    EXPECT_FALSE(VrrpSocket::open(SocketConfig{}).ok());
    auto s = VrrpSocket::open(SocketConfig{999, "vgl-nope", Family::V4, true, std::nullopt});
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.error().message.find("vgl-nope"), std::string::npos) << s.error().message;
    auto mixed = VrrpSocket::open(SocketConfig{1, "lo", Family::V6, false, ip("192.0.2.1")});
    EXPECT_FALSE(mixed.ok());
  });
}

}  // namespace
}  // namespace vigil::vrrp
