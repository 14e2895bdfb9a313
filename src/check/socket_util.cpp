#include "check/socket_util.h"

#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vigil::check {

std::string CheckTarget::label(std::string_view proto) const {
  return "[" + address.to_string() + "]:" + std::string(proto) + ":" + std::to_string(port);
}

socklen_t to_sockaddr(const IpAddress& address, uint16_t port, sockaddr_storage& out) {
  std::memset(&out, 0, sizeof(out));
  if (address.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&out);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    sin->sin_addr = address.to_in_addr();
    return sizeof(sockaddr_in);
  }
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(&out);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons(port);
  sin6->sin6_addr = address.to_in6_addr();
  return sizeof(sockaddr_in6);
}

int open_checker_socket(const CheckTarget& target, int type, int protocol, std::string& error) {
  int family = target.address.is_v4() ? AF_INET : AF_INET6;
  UniqueFd fd(::socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol));
  if (!fd) {
    error = std::string("socket: ") + std::strerror(errno);
    return -1;
  }
  if (target.fwmark) {
    uint32_t mark = *target.fwmark;
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) < 0) {
      error = std::string("setsockopt(SO_MARK): ") + std::strerror(errno);
      return -1;
    }
  }
  if (target.bind_if) {
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_BINDTODEVICE, target.bind_if->c_str(),
                     static_cast<socklen_t>(target.bind_if->size())) < 0) {
      error = "setsockopt(SO_BINDTODEVICE " + *target.bind_if + "): " + std::strerror(errno);
      return -1;
    }
  }
  if (target.bindto || target.bind_port) {
    IpAddress local = target.bindto.value_or(IpAddress{});
    if (!target.bindto && target.address.is_v6()) local = *IpAddress::parse("::");
    if (local.family() != target.address.family()) {
      error =
          "bindto " + local.to_string() + " is not in the family of " + target.address.to_string();
      return -1;
    }
    sockaddr_storage sa;
    socklen_t len = to_sockaddr(local, target.bind_port.value_or(0), sa);
    if (local.is_v6() && local.is_v6_link_local() && target.bind_if)
      reinterpret_cast<sockaddr_in6*>(&sa)->sin6_scope_id = if_nametoindex(target.bind_if->c_str());
    int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), len) < 0) {
      error = "bind to " + local.to_string() + ": " + std::strerror(errno);
      return -1;
    }
  }
  return fd.release();
}

int socket_error(int fd) {
  int err = 0;
  socklen_t len = sizeof(err);
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return errno;
  return err;
}

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

}  // namespace vigil::check
