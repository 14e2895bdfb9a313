#include "base/journal.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <mutex>

#include "base/unix_address.h"

namespace vigil {

namespace {

// One socket for the process, opened at the first entry (journald's socket may appear later
// than the process) and kept; sends are serialised by the mutex.
struct JournalSocket {
  std::mutex mutex;
  int fd = -1;
};

JournalSocket& journal_socket() {
  static JournalSocket s;
  return s;
}

int journal_send_fd(int fd, int memfd, const sockaddr_un& sa, socklen_t len) {
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_name = const_cast<sockaddr_un*>(&sa);
  msg.msg_namelen = len;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &memfd, sizeof(int));
  return ::sendmsg(fd, &msg, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

// An entry larger than a datagram may be: journald reads it from a sealed memfd.
int journal_send_large(int fd, const std::string& data, const sockaddr_un& sa, socklen_t len) {
  const int memfd = ::memfd_create("journal-entry", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (memfd < 0) return -errno;
  int r = 0;
  size_t done = 0;
  while (done < data.size() && r == 0) {
    ssize_t n = ::write(memfd, data.data() + done, data.size() - done);
    if (n < 0 && errno != EINTR) r = -errno;
    if (n > 0) done += static_cast<size_t>(n);
  }
  if (r == 0 &&
      ::fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
    r = -errno;
  if (r == 0) r = journal_send_fd(fd, memfd, sa, len);
  ::close(memfd);
  return r;
}

}  // namespace

std::string journal_encode(std::span<const JournalField> fields) {
  std::string out;
  for (const auto& f : fields) {
    out.append(f.name);
    if (f.value.find('\n') == std::string_view::npos) {
      out.push_back('=');
      out.append(f.value);
    } else {
      // NAME\n, the value's length as 64-bit little endian, the value.
      out.push_back('\n');
      uint64_t n = f.value.size();
      for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
      out.append(f.value);
    }
    out.push_back('\n');
  }
  return out;
}

int journal_send(std::span<const JournalField> fields, std::string_view socket_path) {
  sockaddr_un sa;
  socklen_t len = 0;
  if (!unix_address(socket_path, sa, len)) return -EINVAL;
  const std::string data = journal_encode(fields);
  JournalSocket& s = journal_socket();
  std::lock_guard lock(s.mutex);
  if (s.fd < 0) {
    s.fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s.fd < 0) return -errno;
    // As libsystemd does: room for large entries, so a busy journald does not drop them.
    const int size = 8 * 1024 * 1024;
    ::setsockopt(s.fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
  }
  if (::sendto(s.fd, data.data(), data.size(), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&sa),
               len) >= 0)
    return 0;
  if (errno == EMSGSIZE || errno == ENOBUFS) return journal_send_large(s.fd, data, sa, len);
  return -errno;
}

}  // namespace vigil
