// SMTP_CHECK against a tiny SMTP responder in a private network namespace.
#include "check/smtp_check.h"

#include <gtest/gtest.h>

#include "../testing/netns.h"
#include "check_test_util.h"

namespace vigil::check {
namespace {

using namespace testutil;

std::string read_line(int fd) {
  std::string line;
  char ch;
  while (::recv(fd, &ch, 1, 0) == 1) {
    line += ch;
    if (ch == '\n') break;
  }
  return line;
}

void send_text(int fd, const std::string& s) {
  ::send(fd, s.data(), s.size(), MSG_NOSIGNAL);
}

CheckTarget target(uint16_t port) {
  CheckTarget t;
  t.address = ip("127.0.0.1");
  t.port = port;
  t.timeout = Millis(3000);
  return t;
}

TEST(SmtpReplyParser, MultiLineAndMalformed) {
  EXPECT_EQ(parse_smtp_reply("220 ready\r\n").code, 220);
  EXPECT_EQ(parse_smtp_reply("220 rea").length, 0u);
  SmtpReply multi = parse_smtp_reply("250-first\r\n250-second\r\n250 last\r\nextra");
  EXPECT_EQ(multi.code, 250);
  EXPECT_EQ(multi.length, std::string_view("250-first\r\n250-second\r\n250 last\r\n").size());
  EXPECT_EQ(parse_smtp_reply("250-first\r\n").length, 0u);  // incomplete
  EXPECT_EQ(parse_smtp_reply("hello\r\n").code, -1);
}

TEST(SmtpCheck, SucceedsWithGreetingHeloAndQuit) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    std::mutex mu;
    std::string helo, quit;
    std::optional<TcpResponder> server;
    server.emplace([&](int fd) {
      send_text(fd, "220-mail.example.test ESMTP\r\n220 ready\r\n");
      std::string h = read_line(fd);
      send_text(fd, "250 hello\r\n");
      std::string q = read_line(fd);
      send_text(fd, "221 bye\r\n");
      std::lock_guard<std::mutex> l(mu);
      helo = h;
      quit = q;
    });
    loop::Loop loop;
    SmtpCheck c(loop, target(server->port()), "director.example.test");
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->success) << r->message;
    server.reset();  // joins the server thread, which has finished its exchange by now
    std::lock_guard<std::mutex> l(mu);
    EXPECT_EQ(helo, "HELO director.example.test\r\n");
    EXPECT_EQ(quit, "QUIT\r\n");
  });
}

TEST(SmtpCheck, FailsOnARefusingGreeting) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    TcpResponder server([](int fd) { send_text(fd, "554 no service\r\n"); });
    loop::Loop loop;
    SmtpCheck c(loop, target(server.port()), "x");
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->success);
    EXPECT_NE(r->message.find("554"), std::string::npos) << r->message;
  });
}

TEST(SmtpCheck, FailsWhenHeloIsRejected) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    TcpResponder server([](int fd) {
      send_text(fd, "220 ready\r\n");
      read_line(fd);
      send_text(fd, "501 bad helo\r\n");
      read_line(fd);
    });
    loop::Loop loop;
    SmtpCheck c(loop, target(server.port()), "x");
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->success);
  });
}

TEST(SmtpCheck, FailsWhenNothingListens) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    loop::Loop loop;
    SmtpCheck c(loop, target(closed_port()), "x");
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->success);
  });
}

}  // namespace
}  // namespace vigil::check
