#include "daemon/notify_relay.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <random>

#include <fmt/format.h>

#include "base/unix_address.h"
#include "loop/fd_watch.h"
#include "loop/loop.h"

namespace vigil::daemon {

NotifyRelay::NotifyRelay(int fd, std::string name, OnMessage on_message)
    : fd_(fd), name_(std::move(name)), on_message_(std::move(on_message)) {}

NotifyRelay::~NotifyRelay() {
  watch_.reset();
  if (fd_ >= 0) ::close(fd_);
}

std::unique_ptr<NotifyRelay> NotifyRelay::open(loop::Loop& loop, OnMessage on_message,
                                               std::string& error) {
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = fmt::format("notify socket: {}", std::strerror(errno));
    return nullptr;
  }
  int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
  // Abstract names vanish with the socket: nothing to clean up after a crash. The random part
  // keeps a stale or foreign name from being taken over.
  std::random_device rd;
  const std::string name = fmt::format("vigild-notify-{}-{:08x}", ::getpid(), rd());
  sockaddr_un addr{};
  socklen_t len = 0;
  unix_address("@" + name, addr, len);  // fits: the name is about 30 bytes
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), len) != 0) {
    error = fmt::format("notify socket: bind: {}", std::strerror(errno));
    ::close(fd);
    return nullptr;
  }
  std::unique_ptr<NotifyRelay> r(new NotifyRelay(fd, "@" + name, std::move(on_message)));
  NotifyRelay* raw = r.get();
  r->watch_ = std::make_unique<loop::FdWatch>(loop, fd, [raw] { raw->on_readable(); });
  return r;
}

void NotifyRelay::on_readable() {
  for (;;) {
    char buf[4096];
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred))];
    iovec iov{buf, sizeof buf};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = ::recvmsg(fd_, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // EAGAIN: drained
    }
    pid_t pid = 0;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
        ucred cred{};
        std::memcpy(&cred, CMSG_DATA(c), sizeof cred);
        pid = cred.pid;
      }
    if (pid > 0 && on_message_) on_message_(pid, std::string(buf, static_cast<size_t>(n)));
  }
}

}  // namespace vigil::daemon
