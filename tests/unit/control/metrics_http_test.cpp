// /metrics served by libmicrohttpd driven from the Loop (no threads of its own): a plain HTTP
// request from a client thread is answered with what the render callback returns.
#include "control/metrics_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <thread>

#include <functional>
#include <memory>
#include <vector>

#include "loop/loop.h"
#include "loop/timer.h"

namespace vigil::control {
namespace {

std::string http_get(uint16_t port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(port);
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sin), sizeof sin) == 0) {
    std::string req = "GET " + path + " HTTP/1.0\r\nHost: x\r\n\r\n";
    (void)::write(fd, req.data(), req.size());
    char buf[4096];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  return out;
}

TEST(ControlMetricsHttp, ServesMetricsFromTheLoopThread) {
  loop::Loop loop;
  std::string error;
  int renders = 0;
  const auto loop_thread = std::this_thread::get_id();
  bool rendered_on_loop = false;
  auto server = MetricsServer::open(
      loop, *IpAddress::parse("127.0.0.1"), 0,
      [&] {
        ++renders;
        rendered_on_loop = std::this_thread::get_id() == loop_thread;
        return std::string("vigil_test_value 42\n");
      },
      error);
  ASSERT_TRUE(server) << error;
  ASSERT_NE(server->port(), 0);
  std::string ok, missing;
  std::thread client([&] {
    ok = http_get(server->port(), "/metrics");
    missing = http_get(server->port(), "/other");
    loop.post([&] { loop.stop(); });
  });
  loop.run_for(Millis(10000));
  client.join();
  EXPECT_NE(ok.find("200 OK"), std::string::npos) << ok;
  EXPECT_NE(ok.find("text/plain; version=0.0.4"), std::string::npos) << ok;
  EXPECT_NE(ok.find("\r\n\r\nvigil_test_value 42\n"), std::string::npos) << ok;
  EXPECT_NE(missing.find("404"), std::string::npos) << missing;
  EXPECT_EQ(renders, 1);
  EXPECT_TRUE(rendered_on_loop);
}

// The supervisor's way: the page arrives later (here from a Timer), the loop runs meanwhile,
// and two scrapes in a row each get their own page.
TEST(ControlMetricsHttp, AsyncPageArrivesLaterWithoutBlockingTheLoop) {
  loop::Loop loop;
  std::string error;
  std::vector<std::unique_ptr<loop::Timer>> timers;
  int asked = 0;
  auto server = MetricsServer::open_async(
      loop, *IpAddress::parse("127.0.0.1"), 0,
      [&](std::function<void(std::string)> done) {
        const int n = ++asked;
        auto t = std::make_unique<loop::Timer>(
            loop, [done, n] { done("vigil_async_page " + std::to_string(n) + "\n"); });
        t->arm_after(Millis(100));
        timers.push_back(std::move(t));
      },
      error);
  ASSERT_TRUE(server) << error;
  std::string first, second;
  std::thread client([&] {
    first = http_get(server->port(), "/metrics");
    second = http_get(server->port(), "/metrics");
    loop.post([&] { loop.stop(); });
  });
  loop.run_for(Millis(10000));
  client.join();
  EXPECT_NE(first.find("200 OK"), std::string::npos) << first;
  EXPECT_NE(first.find("\r\n\r\nvigil_async_page 1\n"), std::string::npos) << first;
  EXPECT_NE(second.find("\r\n\r\nvigil_async_page 2\n"), std::string::npos) << second;
  EXPECT_EQ(asked, 2);
}

TEST(ControlMetricsHttp, AddressInUseIsAnError) {
  loop::Loop loop;
  std::string error;
  auto first = MetricsServer::open(
      loop, *IpAddress::parse("127.0.0.1"), 0, [] { return std::string(); }, error);
  ASSERT_TRUE(first) << error;
  auto second = MetricsServer::open(
      loop, *IpAddress::parse("127.0.0.1"), first->port(), [] { return std::string(); }, error);
  EXPECT_FALSE(second);
  EXPECT_NE(error.find("cannot listen"), std::string::npos);
}

}  // namespace
}  // namespace vigil::control
