#include "base/journal.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace vigil {
namespace {

// A datagram socket standing in for journald's.
class JournalReceiver : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("vgl-journal-" + std::to_string(::getpid()) + ".sock");
    std::filesystem::remove(path_);
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd_, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::strncpy(sa.sun_path, path_.c_str(), sizeof(sa.sun_path) - 1);
    ASSERT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)), 0) << std::strerror(errno);
    timeval tv{5, 0};  // a bound, should the entry never come
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  void TearDown() override {
    if (fd_ >= 0) ::close(fd_);
    std::filesystem::remove(path_);
  }
  // One entry: the datagram's bytes, or the contents of the memfd it passed.
  std::string receive() {
    std::string buf(1 << 16, '\0');
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    iovec iov{buf.data(), buf.size()};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    ssize_t n = ::recvmsg(fd_, &msg, MSG_CMSG_CLOEXEC);
    if (n < 0) return "recvmsg failed: " + std::string(std::strerror(errno));
    buf.resize(static_cast<size_t>(n));
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
      int memfd = -1;
      std::memcpy(&memfd, CMSG_DATA(c), sizeof(int));
      std::string data;
      char chunk[65536];
      ssize_t r;
      while ((r = ::pread(memfd, chunk, sizeof(chunk), static_cast<off_t>(data.size()))) > 0)
        data.append(chunk, static_cast<size_t>(r));
      ::close(memfd);
      return data;
    }
    return buf;
  }

  std::filesystem::path path_;
  int fd_ = -1;
};

TEST(JournalEncode, PlainFieldsAreNameEqualsValueLines) {
  const JournalField fields[] = {{"MESSAGE", "vrrp: (VI_1) Entering MASTER STATE"},
                                 {"PRIORITY", "6"},
                                 {"SYSLOG_IDENTIFIER", "vigild"}};
  EXPECT_EQ(journal_encode(fields),
            "MESSAGE=vrrp: (VI_1) Entering MASTER STATE\nPRIORITY=6\nSYSLOG_IDENTIFIER=vigild\n");
}

TEST(JournalEncode, ValueWithNewlineIsLengthPrefixed) {
  const JournalField fields[] = {{"MESSAGE", "a\nb"}, {"PRIORITY", "3"}};
  const std::string expected =
      std::string("MESSAGE\n") + std::string("\x03\0\0\0\0\0\0\0", 8) + "a\nb\nPRIORITY=3\n";
  EXPECT_EQ(journal_encode(fields), expected);
}

TEST_F(JournalReceiver, EntryArrivesAsOneDatagram) {
  const JournalField fields[] = {{"MESSAGE", "hello"}, {"PRIORITY", "6"}};
  ASSERT_EQ(journal_send(fields, path_.string()), 0);
  EXPECT_EQ(receive(), "MESSAGE=hello\nPRIORITY=6\n");
}

TEST_F(JournalReceiver, EntryTooLargeForADatagramComesInAMemfd) {
  // Larger than the send buffer (at most 2 x net.core.wmem_max, 4 MiB by default).
  const std::string big(20 * 1024 * 1024, 'x');
  const JournalField fields[] = {{"MESSAGE", big}, {"PRIORITY", "6"}};
  ASSERT_EQ(journal_send(fields, path_.string()), 0);
  EXPECT_EQ(receive(), "MESSAGE=" + big + "\nPRIORITY=6\n");
}

TEST(JournalSend, MissingSocketIsAnErrorNotACrash) {
  const JournalField fields[] = {{"MESSAGE", "x"}};
  EXPECT_LT(journal_send(fields, "/nonexistent-vgl-dir/socket"), 0);
}

}  // namespace
}  // namespace vigil
