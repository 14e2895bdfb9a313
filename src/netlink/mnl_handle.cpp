#include "netlink/mnl_handle.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <string>

namespace vigil::netlink {

namespace {
// Big enough for a dump chunk: the kernel sizes its dump messages after the largest receive
// buffer seen on the socket, and MNL_SOCKET_BUFFER_SIZE (a page, at most 8 KiB) makes many
// small chunks of a long dump.
constexpr size_t kAnswerBufferSize = 32768;
}  // namespace

Result<MnlHandle> open_mnl(int bus, unsigned groups, std::string_view what, int extra_flags) {
  MnlHandle s(mnl_socket_open2(bus, SOCK_CLOEXEC | extra_flags));
  if (!s) return errno_error(errno, what);
  if (mnl_socket_bind(s.get(), groups, MNL_SOCKET_AUTOPID) < 0)
    return errno_error(errno, "bind " + std::string(what));
  return s;
}

Exchange::Exchange(std::span<const uint8_t> sent, uint32_t portid) : portid_(portid) {
  const auto* nlh = reinterpret_cast<const nlmsghdr*>(sent.data());
  int left = static_cast<int>(sent.size());
  bool any = false;
  for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
    if (!any || nlh->nlmsg_seq < first_seq_) first_seq_ = nlh->nlmsg_seq;
    if (!any || nlh->nlmsg_seq > last_seq_) last_seq_ = nlh->nlmsg_seq;
    any = true;
    const bool dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
    if (dump || (nlh->nlmsg_flags & NLM_F_ACK)) pending_.push_back({nlh->nlmsg_seq, dump, false});
  }
  std::sort(pending_.begin(), pending_.end(),
            [](const Pending& a, const Pending& b) { return a.seq < b.seq; });
  done_ = pending_.empty();
}

Exchange::Pending* Exchange::find(uint32_t seq) {
  auto it = std::lower_bound(pending_.begin(), pending_.end(), seq,
                             [](const Pending& p, uint32_t s) { return p.seq < s; });
  return it != pending_.end() && it->seq == seq ? &*it : nullptr;
}

void Exchange::fail(int err) {
  if (error_ == 0) error_ = err;
}

void Exchange::answer(Pending& p) {
  if (p.answered) return;
  p.answered = true;
  if (++answered_ == pending_.size()) done_ = true;
}

bool Exchange::feed(std::span<const uint8_t> datagram, const MessageHandler& handler) {
  const auto* nlh = reinterpret_cast<const nlmsghdr*>(datagram.data());
  int left = static_cast<int>(datagram.size());
  for (; !done_ && mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
    if (nlh->nlmsg_seq < first_seq_ || nlh->nlmsg_seq > last_seq_) continue;
    if (portid_ != 0 && nlh->nlmsg_pid != 0 && nlh->nlmsg_pid != portid_) continue;
    Pending* p = find(nlh->nlmsg_seq);
    if (nlh->nlmsg_type == NLMSG_ERROR) {
      if (mnl_nlmsg_get_payload_len(nlh) < sizeof(nlmsgerr)) {
        fail(EBADMSG);
        done_ = true;
        break;
      }
      const auto* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
      if (err->error != 0) fail(-err->error);
      if (p) {
        answer(*p);
      } else if (err->error != 0) {
        // A message that asked for no answer failed (a batch's BEGIN): the kernel went no
        // further.
        done_ = true;
      }
    } else if (nlh->nlmsg_type == NLMSG_DONE) {
      // A dump that failed part way carries the error in its DONE.
      if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
        const int code = *static_cast<const int*>(mnl_nlmsg_get_payload(nlh));
        if (code < 0) fail(-code);
      }
      if (p && p->dump) answer(*p);
    } else if (nlh->nlmsg_type >= NLMSG_MIN_TYPE && handler) {
      const int rc = handler(nlh);
      if (rc == MNL_CB_STOP) done_ = true;
      if (rc <= MNL_CB_ERROR) {
        fail(EINVAL);
        done_ = true;
      }
    }
  }
  return done_;
}

Result<void> transact(mnl_socket* sock, std::span<const uint8_t> msg, const MessageHandler& handler,
                      std::string_view what, Answers answers) {
  Exchange ex(msg, mnl_socket_get_portid(sock));
  if (mnl_socket_sendto(sock, msg.data(), msg.size()) < 0)
    return errno_error(errno, std::string(what) + ": send");
  const int fd = mnl_socket_get_fd(sock);
  const int flags = answers == Answers::Queued ? MSG_DONTWAIT : 0;
  std::vector<uint8_t> buf(kAnswerBufferSize);
  while (!ex.done()) {
    sockaddr_nl from{};
    iovec iov{buf.data(), buf.size()};
    msghdr mh{};
    mh.msg_name = &from;
    mh.msg_namelen = sizeof from;
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    const ssize_t n = recvmsg(fd, &mh, flags);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (answers == Answers::Queued && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      return errno_error(errno, std::string(what) + ": receive");
    }
    if (mh.msg_flags & MSG_TRUNC) return errno_error(ENOSPC, std::string(what) + ": receive");
    if (from.nl_pid != 0) continue;  // only the kernel answers requests
    ex.feed({buf.data(), static_cast<size_t>(n)}, handler);
  }
  if (ex.error() != 0) return errno_error(ex.error(), what);
  if (!ex.done())
    return Error{0, std::string(what) + ": " + std::to_string(ex.answered()) + " of " +
                        std::to_string(ex.owed()) + " messages acknowledged"};
  return {};
}

}  // namespace vigil::netlink
