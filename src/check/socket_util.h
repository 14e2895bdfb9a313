// Socket set-up shared by the network checkers: non-blocking, close-on-exec sockets with
// keepalived's origin options applied (fwmark -> SO_MARK, bind_if -> SO_BINDTODEVICE,
// bindto/bind_port -> bind()).
#pragma once

#include <sys/socket.h>

#include <string>

#include "check/checker.h"

namespace vigil::check {

socklen_t to_sockaddr(const IpAddress& address, uint16_t port, sockaddr_storage& out);

// A socket of `type`/`protocol` in the target's family with the origin options applied; -1
// with `error` set on failure.
int open_checker_socket(const CheckTarget& target, int type, int protocol, std::string& error);

// The pending error of a socket (SO_ERROR), 0 when none.
int socket_error(int fd);

// An owned fd, closed on destruction or reset.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) reset(o.release());
    return *this;
  }
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

}  // namespace vigil::check
