// DNS_CHECK against dnsmasq (Debian's dnsmasq-base) in a private network namespace.
#include "check/dns_check.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include "../testing/netns.h"
#include "check_test_util.h"

extern char** environ;

namespace vigil::check {
namespace {

using namespace testutil;

struct Dnsmasq {
  pid_t pid = -1;
  uint16_t port;
  explicit Dnsmasq(uint16_t listen_port) : port(listen_port) {
    std::vector<std::string> args = {"dnsmasq",
                                     "--keep-in-foreground",
                                     "--conf-file=/dev/null",
                                     "--no-resolv",
                                     "--no-hosts",
                                     "--bind-interfaces",
                                     "--listen-address=127.0.0.1",
                                     "--port=" + std::to_string(listen_port),
                                     "--user=root",
                                     "--pid-file=",
                                     "--address=/www.example.test/198.51.100.7",
                                     "--log-facility=-"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int p[2];
    EXPECT_EQ(::pipe(p), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], 2);
    posix_spawn_file_actions_addclose(&fa, p[0]);
    if (posix_spawnp(&pid, "dnsmasq", &fa, nullptr, argv.data(), environ) != 0) pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    ::close(p[1]);
    // dnsmasq logs "started" once its sockets are bound; wait for that line, bounded.
    while (pid > 0 && log.find("started") == std::string::npos &&
           vigil::testing::wait_readable(p[0], Millis(10000))) {
      char buf[512];
      ssize_t n = ::read(p[0], buf, sizeof(buf));
      if (n <= 0) break;
      log.append(buf, static_cast<size_t>(n));
    }
    log_fd = p[0];  // kept open: a closed pipe would kill dnsmasq with SIGPIPE
  }
  std::string log;
  int log_fd = -1;
  ~Dnsmasq() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
    if (log_fd >= 0) ::close(log_fd);
  }
};

bool have_dnsmasq() {
  return ::access("/usr/sbin/dnsmasq", X_OK) == 0;
}

// A free UDP port on 127.0.0.1.
uint16_t free_udp_port() {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa));
  socklen_t len = sizeof(sa);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  ::close(fd);
  return ntohs(sa.sin_port);
}

CheckTarget target(uint16_t port) {
  CheckTarget t;
  t.address = ip("127.0.0.1");
  t.port = port;
  t.timeout = Millis(1000);
  return t;
}

TEST(DnsAnswer, RejectsShortAndMalformedResponses) {
  std::string why;
  const unsigned char shortbuf[] = {1, 2, 3};
  EXPECT_FALSE(dns_answer_has_type(shortbuf, 1, why));
  // Header claiming one answer, with nothing after it.
  const unsigned char hdr[] = {0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0};
  EXPECT_FALSE(dns_answer_has_type(hdr, 1, why));
}

TEST(DnsCheck, SucceedsForARecordAndFailsForMissingType) {
  VIGIL_REQUIRE_ROOT();
  if (!have_dnsmasq()) GTEST_SKIP() << "dnsmasq not installed";
  vigil::testing::run_in_netns([] {
    uint16_t port = free_udp_port();
    Dnsmasq server(port);
    ASSERT_GT(server.pid, 0);
    loop::Loop loop;
    DnsCheck a(loop, target(port), conf::DnsQueryType::A, "www.example.test");
    ASSERT_NE(server.log.find("started"), std::string::npos) << server.log;
    auto r = check_once(loop, a);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->success) << r->message;
    // dnsmasq answers MX for this name with no record of that type: a failure.
    DnsCheck mx(loop, target(port), conf::DnsQueryType::MX, "www.example.test");
    auto r2 = check_once(loop, mx);
    ASSERT_TRUE(r2);
    EXPECT_FALSE(r2->success) << r2->message;
  });
}

TEST(DnsCheck, FailsWithoutAServer) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    loop::Loop loop;
    DnsCheck c(loop, target(free_udp_port()), conf::DnsQueryType::SOA, ".");
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->success) << r->message;
  });
}

}  // namespace
}  // namespace vigil::check
