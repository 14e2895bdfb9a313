#include "notify/smtp_alert.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include <gtest/gtest.h>

namespace vigil::notify {
namespace {

MailSettings settings() {
  MailSettings s;
  s.server = "192.0.2.10";
  s.from = "vigil@node1";
  s.to = {"ops@example.org", "oncall@example.org"};
  s.router_id = "node1";
  return s;
}

TEST(SmtpAlert, SubjectFollowsKeepalivedWording) {
  auto m = vrrp_state_mail(settings(), false, "VI_1", "MASTER");
  EXPECT_EQ(m.subject, "[node1] VRRP Instance VI_1 - Entering MASTER state");
  EXPECT_EQ(m.body, "=> VRRP Instance is now owning VRRP VIPs <=");
  auto g = vrrp_state_mail(settings(), true, "VG_1", "BACKUP");
  EXPECT_EQ(g.subject, "[node1] VRRP Group VG_1 - Entering BACKUP state");
}

TEST(SmtpAlert, MessageHasHeadersForEveryRecipientAndCrlfLines) {
  auto msg = format_message(settings(), vrrp_state_mail(settings(), false, "VI_1", "FAULT"));
  EXPECT_NE(msg.find("From: vigil@node1\r\n"), std::string::npos);
  EXPECT_NE(msg.find("To: ops@example.org, oncall@example.org\r\n"), std::string::npos);
  EXPECT_NE(msg.find("Subject: [node1] VRRP Instance VI_1 - Entering FAULT state\r\n"),
            std::string::npos);
  EXPECT_NE(msg.find("\r\n\r\n=> VRRP Instance is in FAULT state <=\r\n"), std::string::npos);
}

// A one-connection SMTP server on the loopback: answers the dialogue libcurl leads and returns
// the DATA it received. Every wait is bounded (10 s).
class SmtpAlertServer {
 public:
  SmtpAlertServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(fd_, 1) != 0 || ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      return;
    port_ = ntohs(a.sin_port);
  }
  ~SmtpAlertServer() {
    if (conn_ >= 0) ::close(conn_);
    if (fd_ >= 0) ::close(fd_);
  }
  uint16_t port() const { return port_; }

  // The message body libcurl sent after DATA ("" on a timeout or a broken dialogue).
  std::string serve() {
    if (!wait_readable(fd_)) return {};
    conn_ = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn_ < 0) return {};
    say("220 test ESMTP\r\n");
    for (std::string line; read_line(line);) {
      if (line.rfind("DATA", 0) == 0) {
        say("354 go ahead\r\n");
        std::string data;
        while (data.find("\r\n.\r\n") == std::string::npos)
          if (!read_more(data)) return {};
        say("250 queued\r\n");
        if (read_line(line) && line.rfind("QUIT", 0) == 0) say("221 bye\r\n");
        return data;
      }
      say(line.rfind("QUIT", 0) == 0 ? "221 bye\r\n" : "250 ok\r\n");
    }
    return {};
  }

 private:
  static bool wait_readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 10000) == 1;
  }
  void say(const std::string& s) { (void)!::write(conn_, s.data(), s.size()); }
  bool read_more(std::string& into) {
    char buf[512];
    if (!wait_readable(conn_)) return false;
    ssize_t n = ::read(conn_, buf, sizeof buf);
    if (n <= 0) return false;
    into.append(buf, static_cast<size_t>(n));
    return true;
  }
  bool read_line(std::string& line) {
    size_t eol;
    while ((eol = pending_.find("\r\n")) == std::string::npos)
      if (!read_more(pending_)) return false;
    line = pending_.substr(0, eol);
    pending_.erase(0, eol + 2);
    return true;
  }
  int fd_ = -1;
  int conn_ = -1;
  uint16_t port_ = 0;
  std::string pending_;
};

// The real send path: libcurl (loaded on the first mail) speaks SMTP to a server that
// receives the mail.
TEST(SmtpAlert, MailReachesTheServer) {
  SmtpAlertServer server;
  ASSERT_NE(server.port(), 0);
  MailSettings s = settings();
  s.server = "127.0.0.1";
  s.port = server.port();
  s.helo = "node1";
  s.connect_timeout = std::chrono::seconds(5);
  send_mail_async(s, vrrp_state_mail(s, false, "VI_1", "MASTER"));
  const std::string data = server.serve();
  EXPECT_NE(data.find("Subject: [node1] VRRP Instance VI_1 - Entering MASTER state\r\n"),
            std::string::npos)
      << data;
}

}  // namespace
}  // namespace vigil::notify
