#include "vrrp/socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <spdlog/spdlog.h>

namespace vigil::vrrp {

namespace {

constexpr size_t kMaxPacket = 65535;

Error sock_error(const SocketConfig& c, std::string_view what) {
  return netlink::errno_error(errno, "vrrp socket " + c.ifname +
                                         (c.family == Family::V4 ? " IPv4: " : " IPv6: ") +
                                         std::string(what));
}

template <typename T>
bool set_opt(int fd, int level, int name, const T& value) {
  return setsockopt(fd, level, name, &value, sizeof value) == 0;
}

Result<void> setup_v4(int fd, const SocketConfig& c) {
  if (!set_opt(fd, IPPROTO_IP, IP_HDRINCL, 1)) return sock_error(c, "IP_HDRINCL");
  if (!set_opt(fd, IPPROTO_IP, IP_PKTINFO, 1)) return sock_error(c, "IP_PKTINFO");
  // Only groups this socket joined, not every group joined on the host.
  if (!set_opt(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0)) return sock_error(c, "IP_MULTICAST_ALL");
  if (!set_opt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0)) return sock_error(c, "IP_MULTICAST_LOOP");
  ip_mreqn mreq{};
  mreq.imr_ifindex = c.ifindex;
  if (!set_opt(fd, IPPROTO_IP, IP_MULTICAST_IF, mreq)) return sock_error(c, "IP_MULTICAST_IF");
  if (c.multicast) {
    inet_pton(AF_INET, "224.0.0.18", &mreq.imr_multiaddr);
    if (!set_opt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq)) return sock_error(c, "join 224.0.0.18");
  }
  return {};
}

Result<void> setup_v6(int fd, const SocketConfig& c) {
  if (!set_opt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)) return sock_error(c, "IPV6_RECVPKTINFO");
  if (!set_opt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)) return sock_error(c, "IPV6_RECVHOPLIMIT");
  if (!set_opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 255))
    return sock_error(c, "IPV6_MULTICAST_HOPS");
  if (!set_opt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 255)) return sock_error(c, "IPV6_UNICAST_HOPS");
  // Traffic class 0xc0 (network control), as keepalived's IPv6 adverts carry it.
  if (!set_opt(fd, IPPROTO_IPV6, IPV6_TCLASS, 0xc0)) return sock_error(c, "IPV6_TCLASS");
  if (!set_opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0))
    return sock_error(c, "IPV6_MULTICAST_LOOP");
  if (!set_opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0)) return sock_error(c, "IPV6_MULTICAST_ALL");
  if (!set_opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, c.ifindex))
    return sock_error(c, "IPV6_MULTICAST_IF");
  if (c.multicast) {
    ipv6_mreq mreq{};
    inet_pton(AF_INET6, "ff02::12", &mreq.ipv6mr_multiaddr);
    mreq.ipv6mr_interface = static_cast<unsigned>(c.ifindex);
    if (!set_opt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, mreq)) return sock_error(c, "join ff02::12");
  }
  return {};
}

}  // namespace

Result<VrrpSocket> VrrpSocket::open(const SocketConfig& config) {
  if (config.ifindex <= 0 || config.ifname.empty())
    return Error{EINVAL, "vrrp socket: interface index and name are required"};
  if (config.src && config.src->family() != config.family)
    return Error{EINVAL, "vrrp socket: source address family differs from the socket's"};
  const int af = address_family(config.family);
  int fd = socket(af, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, config.protocol);
  if (fd < 0) return sock_error(config, "socket");
  VrrpSocket s(fd, config);  // owns fd from here on
  if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, config.ifname.c_str(),
                 static_cast<socklen_t>(config.ifname.size())) != 0)
    return sock_error(config, "SO_BINDTODEVICE");
  auto r = config.family == Family::V4 ? setup_v4(fd, config) : setup_v6(fd, config);
  if (!r) return r.error();
  // A peer with many instances sends a whole timer slot of adverts in one burst (250 per
  // interface at 1,000 instances), about what the default 208 KiB buffer holds: room for a few
  // thousand, so a burst is not lost. FORCE (root) passes net.core.rmem_max; without the
  // privilege the kernel's capped value is still an improvement, so failures are ignored.
  constexpr int kReceiveBufferBytes = 1 << 20;
  if (!set_opt(fd, SOL_SOCKET, SO_RCVBUFFORCE, kReceiveBufferBytes))
    (void)set_opt(fd, SOL_SOCKET, SO_RCVBUF, kReceiveBufferBytes);
  s.buf_.resize(kMaxPacket);
  return s;
}

VrrpSocket::VrrpSocket(VrrpSocket&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      config_(std::move(other.config_)),
      buf_(std::move(other.buf_)) {}

VrrpSocket& VrrpSocket::operator=(VrrpSocket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    config_ = std::move(other.config_);
    buf_ = std::move(other.buf_);
  }
  return *this;
}

VrrpSocket::~VrrpSocket() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<Error> VrrpSocket::prepare(std::span<const uint8_t> bytes, const IpAddress& dst,
                                         Message& m, msghdr& msg) const {
  static_assert(sizeof(Message::control) >= CMSG_SPACE(sizeof(in6_pktinfo)));
  if (dst.family() != config_.family)
    return Error{EINVAL, "vrrp send: destination family differs from the socket's"};
  m.iov = iovec{const_cast<uint8_t*>(bytes.data()), bytes.size()};
  msg = msghdr{};
  msg.msg_iov = &m.iov;
  msg.msg_iovlen = 1;
  msg.msg_name = &m.addr;
  if (config_.family == Family::V4) {
    if (bytes.size() < sizeof(iphdr))
      return Error{EINVAL, "vrrp send: shorter than an IPv4 header"};
    auto* sin = reinterpret_cast<sockaddr_in*>(&m.addr);
    *sin = sockaddr_in{};
    sin->sin_family = AF_INET;
    sin->sin_addr = dst.to_in_addr();
    msg.msg_namelen = sizeof(sockaddr_in);
    return std::nullopt;
  }
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(&m.addr);
  *sin6 = sockaddr_in6{};
  sin6->sin6_family = AF_INET6;
  sin6->sin6_addr = dst.to_in6_addr();
  if (dst.is_multicast() || dst.is_v6_link_local())
    sin6->sin6_scope_id = static_cast<uint32_t>(config_.ifindex);
  msg.msg_namelen = sizeof(sockaddr_in6);
  // The source is chosen per packet: the configured one (link-local or unicast_src_ip).
  std::memset(m.control, 0, sizeof m.control);
  msg.msg_control = m.control;
  msg.msg_controllen = CMSG_SPACE(sizeof(in6_pktinfo));
  cmsghdr* cm = CMSG_FIRSTHDR(&msg);
  cm->cmsg_level = IPPROTO_IPV6;
  cm->cmsg_type = IPV6_PKTINFO;
  cm->cmsg_len = CMSG_LEN(sizeof(in6_pktinfo));
  in6_pktinfo pi{};
  if (config_.src) pi.ipi6_addr = config_.src->to_in6_addr();
  pi.ipi6_ifindex = static_cast<unsigned>(config_.ifindex);
  std::memcpy(CMSG_DATA(cm), &pi, sizeof pi);
  return std::nullopt;
}

Result<void> VrrpSocket::send(std::span<const uint8_t> bytes, const IpAddress& dst) {
  Message m;
  msghdr msg;
  if (auto e = prepare(bytes, dst, m, msg)) return *e;
  ssize_t n;
  do {
    n = sendmsg(fd_, &msg, 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return sock_error(config_, "send to " + dst.to_string());
  if (static_cast<size_t>(n) != bytes.size())
    return Error{EMSGSIZE, "vrrp send: short write to " + dst.to_string()};
  return {};
}

std::vector<Result<void>> VrrpSocket::send_many(std::span<const Outgoing> packets) {
  std::vector<Result<void>> results(packets.size());
  std::vector<Message> msgs(packets.size());
  std::vector<mmsghdr> hdrs;
  std::vector<size_t> index;  // hdrs[k] sends packets[index[k]]
  hdrs.reserve(packets.size());
  index.reserve(packets.size());
  for (size_t i = 0; i < packets.size(); ++i) {
    mmsghdr h{};
    if (auto e = prepare(packets[i].bytes, packets[i].dst, msgs[i], h.msg_hdr)) {
      results[i] = *e;
      continue;
    }
    hdrs.push_back(h);
    index.push_back(i);
  }
  size_t done = 0;
  while (done < hdrs.size()) {
    int n = sendmmsg(fd_, hdrs.data() + done, static_cast<unsigned>(hdrs.size() - done), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // The first unsent packet failed: report it and go on with the rest.
      const size_t i = index[done];
      results[i] = sock_error(config_, "send to " + packets[i].dst.to_string());
      ++done;
      continue;
    }
    for (int k = 0; k < n; ++k) {
      const size_t i = index[done + static_cast<size_t>(k)];
      if (hdrs[done + static_cast<size_t>(k)].msg_len != packets[i].bytes.size())
        results[i] = Error{EMSGSIZE, "vrrp send: short write to " + packets[i].dst.to_string()};
    }
    done += static_cast<size_t>(n);
  }
  return results;
}

bool VrrpSocket::retry_after_receive_error(int err) {
  if (err == EINTR) return true;
  if (err == EAGAIN || err == EWOULDBLOCK) return false;  // nothing pending
  // A socket error (an ICMP error queued for the socket, for example) is reported once by
  // recvmsg(); rate-limited so that a stream of them cannot become a stream of log lines.
  const auto now = std::chrono::steady_clock::now();
  if (now - receive_error_logged_at_ >= std::chrono::seconds(1)) {
    receive_error_logged_at_ = now;
    spdlog::warn("vrrp receive on ifindex {}: {}", config_.ifindex, std::strerror(err));
  }
  return false;
}

std::optional<Received> VrrpSocket::receive() {
  if (buf_.size() < kMaxPacket) buf_.resize(kMaxPacket);
  return config_.family == Family::V4 ? receive_v4() : receive_v6();
}

std::optional<Received> VrrpSocket::receive_v4() {
  for (;;) {
    iovec iov{buf_.data(), buf_.size()};
    sockaddr_in from{};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(in_pktinfo)) + 64];
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = recvmsg(fd_, &msg, 0);
    if (n < 0) {
      if (retry_after_receive_error(errno)) continue;
      return std::nullopt;
    }
    if ((msg.msg_flags & MSG_TRUNC) || static_cast<size_t>(n) < sizeof(iphdr)) continue;
    Received r;
    r.bytes.assign(buf_.begin(), buf_.begin() + n);
    iphdr ip{};
    std::memcpy(&ip, buf_.data(), sizeof ip);
    r.ttl_or_hop_limit = ip.ttl;
    r.src = IpAddress::v4(in_addr{ip.saddr});
    r.dst = IpAddress::v4(in_addr{ip.daddr});
    r.ifindex = config_.ifindex;
    for (cmsghdr* cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
      if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
        in_pktinfo pi{};
        std::memcpy(&pi, CMSG_DATA(cm), sizeof pi);
        r.ifindex = pi.ipi_ifindex;
      }
    }
    return r;
  }
}

std::optional<Received> VrrpSocket::receive_v6() {
  for (;;) {
    iovec iov{buf_.data(), buf_.size()};
    sockaddr_in6 from{};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(int)) + 64];
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = recvmsg(fd_, &msg, 0);
    if (n < 0) {
      if (retry_after_receive_error(errno)) continue;
      return std::nullopt;
    }
    if (msg.msg_flags & MSG_TRUNC) continue;
    Received r;
    r.bytes.assign(buf_.begin(), buf_.begin() + n);
    r.src = IpAddress::v6(from.sin6_addr);
    r.ifindex = config_.ifindex;
    bool have_hops = false, have_dst = false;
    for (cmsghdr* cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
      if (cm->cmsg_level != IPPROTO_IPV6) continue;
      if (cm->cmsg_type == IPV6_PKTINFO) {
        in6_pktinfo pi{};
        std::memcpy(&pi, CMSG_DATA(cm), sizeof pi);
        r.dst = IpAddress::v6(pi.ipi6_addr);
        r.ifindex = static_cast<int>(pi.ipi6_ifindex);
        have_dst = true;
      } else if (cm->cmsg_type == IPV6_HOPLIMIT) {
        int hops = 0;
        std::memcpy(&hops, CMSG_DATA(cm), sizeof hops);
        r.ttl_or_hop_limit = static_cast<uint8_t>(hops);
        have_hops = true;
      }
    }
    // Without both, the RFC checks (hop limit 255, destination) cannot be made: drop.
    if (!have_hops || !have_dst) continue;
    return r;
  }
}

}  // namespace vigil::vrrp
