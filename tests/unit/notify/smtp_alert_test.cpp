#include "notify/smtp_alert.h"

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

}  // namespace
}  // namespace vigil::notify
