#include "netlink/rtnl_socket.h"

#include <fcntl.h>
#include <sys/socket.h>

#include <cerrno>
#include <ctime>
#include <string>
#include <utility>

namespace vigil::netlink {

namespace {
// Big enough for any single request we build (an address or a route with its attributes).
constexpr size_t kBufferSize = 32768;
}  // namespace

RequestBuffer::RequestBuffer() : buf_(kBufferSize, 0) {}

void* RequestBuffer::start(uint16_t type, uint16_t flags, size_t extra) {
  std::fill(buf_.begin(), buf_.end(), 0);
  nlh_ = mnl_nlmsg_put_header(buf_.data());
  nlh_->nlmsg_type = type;
  nlh_->nlmsg_flags = NLM_F_REQUEST | flags;
  return extra ? mnl_nlmsg_put_extra_header(nlh_, extra) : nullptr;
}

RtnlSocket::RtnlSocket(MnlHandle s) : sock_(std::move(s)) {
  portid_ = mnl_socket_get_portid(sock_.get());
  seq_ = static_cast<uint32_t>(time(nullptr));
}

Result<RtnlSocket> RtnlSocket::open(unsigned groups) {
  auto s = open_mnl(NETLINK_ROUTE, groups, "netlink socket");
  if (!s) return s.error();
  // Extended ACKs give better error text on new kernels; harmless where unsupported.
  int one = 1;
  mnl_socket_setsockopt(s->get(), NETLINK_EXT_ACK, &one, sizeof one);
  return RtnlSocket(std::move(*s));
}

int RtnlSocket::fd() const {
  return mnl_socket_get_fd(sock_.get());
}

Result<void> RtnlSocket::add_membership(unsigned group) {
  if (mnl_socket_setsockopt(sock_.get(), NETLINK_ADD_MEMBERSHIP, &group, sizeof group) < 0)
    return errno_error(errno, "netlink add membership " + std::to_string(group));
  return {};
}

Result<void> RtnlSocket::set_nonblocking() {
  int flags = fcntl(fd(), F_GETFL);
  if (flags < 0 || fcntl(fd(), F_SETFL, flags | O_NONBLOCK) < 0)
    return errno_error(errno, "netlink O_NONBLOCK");
  return {};
}

Result<void> RtnlSocket::set_receive_buffer(int bytes) {
  // SO_RCVBUFFORCE works for root beyond rmem_max; fall back to the capped form.
  if (setsockopt(fd(), SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) == 0) return {};
  if (setsockopt(fd(), SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) < 0)
    return errno_error(errno, "netlink SO_RCVBUF");
  return {};
}

Result<void> RtnlSocket::request(nlmsghdr* nlh, const MessageHandler& handler,
                                 std::string_view what) {
  const bool dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
  if (!dump) nlh->nlmsg_flags |= NLM_F_ACK;
  nlh->nlmsg_seq = ++seq_;
  return transact(sock_.get(), {reinterpret_cast<const uint8_t*>(nlh), nlh->nlmsg_len}, handler,
                  what);
}

}  // namespace vigil::netlink
