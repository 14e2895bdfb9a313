// UDP_CHECK against a UDP echo peer and PING_CHECK against the namespace's loopback, in a
// private network namespace.
#include <gtest/gtest.h>

#include "../testing/netns.h"
#include "check/ping_check.h"
#include "check/udp_check.h"
#include "check_test_util.h"

namespace vigil::check {
namespace {

using namespace testutil;

// Echoes every datagram back, with `prefix` in front, until shut down.
struct UdpEcho {
  int fd = -1;
  uint16_t port = 0;
  std::string prefix;
  std::thread thread;
  explicit UdpEcho(std::string p) : prefix(std::move(p)) {
    fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)), 0);
    socklen_t len = sizeof(sa);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
    port = ntohs(sa.sin_port);
    thread = std::thread([this] {
      char buf[2048];
      while (true) {
        sockaddr_storage from{};
        socklen_t fl = sizeof(from);
        ssize_t n = ::recvfrom(fd, buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&from), &fl);
        if (n <= 0) return;
        std::string reply = prefix + std::string(buf, static_cast<size_t>(n));
        ::sendto(fd, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), fl);
      }
    });
  }
  ~UdpEcho() {
    ::shutdown(fd, SHUT_RDWR);
    thread.join();
    ::close(fd);
  }
};

CheckTarget udp_target(const char* addr, uint16_t port) {
  CheckTarget t;
  t.address = ip(addr);
  t.port = port;
  t.timeout = Millis(2000);
  return t;
}

std::vector<conf::UdpReplyNibble> pattern(const std::string& hex) {
  std::vector<conf::UdpReplyNibble> out;
  for (char ch : hex) {
    if (ch == 'x' || ch == 'X')
      out.push_back({0, true});
    else
      out.push_back({static_cast<uint8_t>(std::stoi(std::string(1, ch), nullptr, 16)), false});
  }
  return out;
}

TEST(UdpReply, LengthAndNibblePattern) {
  conf::UdpCheck spec;
  spec.require_reply = true;
  spec.reply_pattern = pattern("4fx1");
  std::string why;
  const uint8_t ok[] = {0x4f, 0x91, 0x00};
  const uint8_t bad[] = {0x4e, 0x91};
  const uint8_t shorter[] = {0x4f};
  EXPECT_TRUE(udp_reply_matches(spec, ok, why)) << why;
  EXPECT_FALSE(udp_reply_matches(spec, bad, why));
  EXPECT_TRUE(udp_reply_matches(spec, shorter, why)) << "compares up to the shorter length";
  spec.min_reply_length = 3;
  EXPECT_FALSE(udp_reply_matches(spec, shorter, why));
  spec.max_reply_length = 2;
  spec.min_reply_length = 0;
  EXPECT_FALSE(udp_reply_matches(spec, ok, why));
}

TEST(UdpCheck, SucceedsWhenTheReplyMatches) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    UdpEcho echo("\x4f\x91");
    loop::Loop loop;
    conf::UdpCheck spec;
    spec.payload = std::vector<uint8_t>{1, 2, 3};
    spec.require_reply = true;
    spec.reply_pattern = pattern("4fx1010203");
    UdpCheck c(loop, udp_target("127.0.0.1", echo.port), spec);
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->success) << r->message;
  });
}

TEST(UdpCheck, FailsWhenTheReplyDiffers) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    UdpEcho echo("\x50");
    loop::Loop loop;
    conf::UdpCheck spec;
    spec.require_reply = true;
    spec.reply_pattern = pattern("4f");
    UdpCheck c(loop, udp_target("127.0.0.1", echo.port), spec);
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->success);
  });
}

TEST(UdpCheck, PortUnreachableIsAFailureEvenWithoutRequireReply) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    int probe = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(probe, reinterpret_cast<sockaddr*>(&sa), sizeof(sa));
    socklen_t len = sizeof(sa);
    ::getsockname(probe, reinterpret_cast<sockaddr*>(&sa), &len);
    ::close(probe);  // nothing listens there now: the kernel answers port unreachable
    loop::Loop loop;
    UdpCheck c(loop, udp_target("127.0.0.1", ntohs(sa.sin_port)), conf::UdpCheck{});
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->success) << r->message;
  });
}

TEST(UdpCheck, SilenceWithoutRequireReplyIsSuccess) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    // A bound socket that never answers: no ICMP error, no reply.
    int quiet = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(quiet, reinterpret_cast<sockaddr*>(&sa), sizeof(sa));
    socklen_t len = sizeof(sa);
    ::getsockname(quiet, reinterpret_cast<sockaddr*>(&sa), &len);
    loop::Loop loop;
    CheckTarget t = udp_target("127.0.0.1", ntohs(sa.sin_port));
    t.timeout = Millis(300);
    UdpCheck c(loop, t, conf::UdpCheck{});
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->success) << r->message;
    conf::UdpCheck strict;
    strict.require_reply = true;
    UdpCheck c2(loop, t, strict);
    auto r2 = check_once(loop, c2);
    ASSERT_TRUE(r2);
    EXPECT_FALSE(r2->success) << r2->message;
    ::close(quiet);
  });
}

TEST(PingCheck, LoopbackAnswersV4AndV6) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    loop::Loop loop;
    PingCheck c4(loop, udp_target("127.0.0.1", 0));
    auto r4 = check_once(loop, c4);
    ASSERT_TRUE(r4);
    EXPECT_TRUE(r4->success) << r4->message;
    PingCheck c6(loop, udp_target("::1", 0));
    auto r6 = check_once(loop, c6);
    ASSERT_TRUE(r6);
    EXPECT_TRUE(r6->success) << r6->message;
  });
}

TEST(PingCheck, FailsForAnUnreachableHost) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    // A veth pair with an address: 198.51.100.9 is on-link but nobody answers it.
    vigil::testing::create_veth("vglp0", "vglp1");
    vigil::testing::add_test_address("vglp0", "198.51.100.1/24");
    loop::Loop loop;
    CheckTarget t = udp_target("198.51.100.9", 0);
    t.timeout = Millis(500);
    PingCheck c(loop, t);
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->success) << r->message;
  });
}

}  // namespace
}  // namespace vigil::check
