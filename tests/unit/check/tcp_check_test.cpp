// TCP_CHECK against real sockets in a private network namespace.
#include "check/tcp_check.h"

#include <gtest/gtest.h>

#include "../testing/netns.h"
#include "check_test_util.h"

namespace vigil::check {
namespace {

using namespace testutil;

CheckTarget target(const char* addr, uint16_t port) {
  CheckTarget t;
  t.address = ip(addr);
  t.port = port;
  t.timeout = Millis(3000);
  return t;
}

TEST(TcpCheck, SucceedsAgainstAListener) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    Listener l;
    loop::Loop loop;
    TcpCheck c(loop, target("127.0.0.1", l.port));
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->success) << r->message;
    EXPECT_NE(r->message.find("success"), std::string::npos);
  });
}

TEST(TcpCheck, SucceedsOverIpv6WithBindtoAndFwmark) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    Listener l(true);
    loop::Loop loop;
    CheckTarget t = target("::1", l.port);
    t.bindto = ip("::1");
    t.fwmark = 7;
    TcpCheck c(loop, t);
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->success) << r->message;
  });
}

TEST(TcpCheck, FailsWhenNothingListens) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    loop::Loop loop;
    TcpCheck c(loop, target("127.0.0.1", closed_port()));
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->success);
    EXPECT_NE(r->message.find("failed"), std::string::npos);
  });
}

TEST(TcpCheck, FailsWhenTheBindAddressIsNotLocal) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    Listener l;
    loop::Loop loop;
    CheckTarget t = target("127.0.0.1", l.port);
    t.bindto = ip("198.51.100.9");  // not on any interface of the namespace
    TcpCheck c(loop, t);
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->success);
  });
}

}  // namespace
}  // namespace vigil::check
