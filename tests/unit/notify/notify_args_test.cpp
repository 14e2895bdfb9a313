#include "notify/notify_args.h"

#include <gtest/gtest.h>

namespace vigil::notify {
namespace {

using Words = std::vector<std::string>;

Words split(std::string_view s) {
  std::string error;
  auto w = split_script_words(s, error);
  EXPECT_TRUE(w) << s << ": " << error;
  return w ? *w : Words{};
}

std::string split_error(std::string_view s) {
  std::string error;
  EXPECT_FALSE(split_script_words(s, error)) << s;
  return error;
}

TEST(NotifyArgs, SplitsOnUnquotedWhitespace) {
  EXPECT_EQ(split("/etc/keepalived/notify.sh"), (Words{"/etc/keepalived/notify.sh"}));
  EXPECT_EQ(split("/bin/x master  eth0\tVI_1"), (Words{"/bin/x", "master", "eth0", "VI_1"}));
  EXPECT_EQ(split("  /bin/x   a  "), (Words{"/bin/x", "a"}));
}

TEST(NotifyArgs, SingleQuotesKeepSpacesAndAreRemoved) {
  EXPECT_EQ(split("/bin/x 'a b' c"), (Words{"/bin/x", "a b", "c"}));
  EXPECT_EQ(split("/bin/x pre'a b'post"), (Words{"/bin/x", "prea bpost"}));
  EXPECT_EQ(split("/bin/x 'a \\ \"b\"'"), (Words{"/bin/x", "a \\ \"b\""}));  // literal inside
  EXPECT_EQ(split("/bin/x '' y"), (Words{"/bin/x", "", "y"}));
}

TEST(NotifyArgs, DoubleQuotesGroupWithEscapes) {
  EXPECT_EQ(split("/bin/x \"a b\" c"), (Words{"/bin/x", "a b", "c"}));
  EXPECT_EQ(split("/bin/x \"say \\\"hi\\\"\""), (Words{"/bin/x", "say \"hi\""}));
  EXPECT_EQ(split("/bin/x \"it's\""), (Words{"/bin/x", "it's"}));
}

TEST(NotifyArgs, BackslashEscapesOutsideQuotes) {
  EXPECT_EQ(split("/bin/x a\\ b"), (Words{"/bin/x", "a b"}));
  EXPECT_EQ(split("/bin/x \\'q"), (Words{"/bin/x", "'q"}));
}

TEST(NotifyArgs, NoShellMeaningForMetacharacters) {
  EXPECT_EQ(split("/bin/x $HOME;rm|y>z"), (Words{"/bin/x", "$HOME;rm|y>z"}));
}

TEST(NotifyArgs, BadStringsAreErrors) {
  EXPECT_NE(split_error("/bin/x 'open").find("unterminated"), std::string::npos);
  EXPECT_NE(split_error("/bin/x \"open").find("unterminated"), std::string::npos);
  EXPECT_NE(split_error("/bin/x a\\").find("backslash"), std::string::npos);
  EXPECT_NE(split_error("   ").find("empty"), std::string::npos);
  EXPECT_NE(split_error("").find("empty"), std::string::npos);
}

TEST(NotifyArgs, NotifyScriptGetsFourValuesAfterConfiguredWords) {
  EXPECT_EQ(notify_script_argv({"/etc/k/notify.sh"}, NotifySubject::Instance, "VI_1",
                               NotifyState::Master, 100),
            (Words{"/etc/k/notify.sh", "INSTANCE", "VI_1", "MASTER", "100"}));
  EXPECT_EQ(
      notify_script_argv({"/bin/n", "extra"}, NotifySubject::Group, "G1", NotifyState::Fault, 0),
      (Words{"/bin/n", "extra", "GROUP", "G1", "FAULT", "0"}));
}

TEST(NotifyArgs, StateNames) {
  EXPECT_EQ(state_name(NotifyState::Master), "MASTER");
  EXPECT_EQ(state_name(NotifyState::Backup), "BACKUP");
  EXPECT_EQ(state_name(NotifyState::Fault), "FAULT");
  EXPECT_EQ(state_name(NotifyState::Stop), "STOP");
  EXPECT_EQ(state_name(NotifyState::Deleted), "DELETED");
  EXPECT_EQ(subject_name(NotifySubject::Instance), "INSTANCE");
  EXPECT_EQ(subject_name(NotifySubject::Group), "GROUP");
}

TEST(NotifyArgs, FifoLineFormat) {
  EXPECT_EQ(notify_fifo_line(NotifySubject::Instance, "VI_1", "MASTER", 100),
            "INSTANCE \"VI_1\" MASTER 100\n");
  EXPECT_EQ(notify_fifo_line(NotifySubject::Group, "G", "BACKUP", 0), "GROUP \"G\" BACKUP 0\n");
  EXPECT_EQ(notify_fifo_line(NotifySubject::Instance, "VI_2", "MASTER_RX_LOWER_PRI", 90),
            "INSTANCE \"VI_2\" MASTER_RX_LOWER_PRI 90\n");
}

}  // namespace
}  // namespace vigil::notify
