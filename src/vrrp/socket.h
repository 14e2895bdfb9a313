// Raw VRRP sockets, one per (interface, family), shared by every instance on that link: the
// caller demultiplexes received adverts by VRID (vrrp::parse() yields it). Loop-agnostic: watch
// fd() for readability and call receive() until it returns nullopt.
//
// IPv4: IPPROTO_VRRP (or IPPROTO_AH for v2 instances with auth_type AH), IP_HDRINCL: send()
//   takes the whole IP packet as vrrp::encode() builds it (TTL 255 in the header); receive()
//   returns the whole IP packet, TTL and addresses are read from its header.
// IPv6: send() takes the VRRP message (checksum filled in by the codec); the kernel builds the
//   header with hop limit 255 and the configured source (IPV6_PKTINFO); receive() returns the
//   message with hop limit and destination from ancillary data.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/address.h"
#include "netlink/result.h"

namespace vigil::vrrp {

using netlink::Error;
using netlink::Result;

struct SocketConfig {
  int ifindex = 0;
  std::string ifname;  // for SO_BINDTODEVICE
  Family family = Family::V4;
  // Join 224.0.0.18 / ff02::12 on the interface: true when any instance on the link uses
  // multicast. Unicast-only links (unicast_peer) leave it false.
  bool multicast = true;
  // IPv6: source of sent adverts (link-local or unicast_src_ip); nullopt lets the kernel
  // choose. IPv4: unused (the header built by the codec carries the source).
  std::optional<IpAddress> src;
  uint8_t protocol = 112;  // IPPROTO_VRRP; 51 (IPPROTO_AH) for v2 + AH over IPv4
};

struct Received {
  std::vector<uint8_t> bytes;  // IPv4: the whole IP packet; IPv6: the VRRP message
  IpAddress src;
  IpAddress dst;
  uint8_t ttl_or_hop_limit = 0;
  int ifindex = 0;
};

class VrrpSocket {
 public:
  static Result<VrrpSocket> open(const SocketConfig& config);

  VrrpSocket(VrrpSocket&& other) noexcept;
  VrrpSocket& operator=(VrrpSocket&& other) noexcept;
  VrrpSocket(const VrrpSocket&) = delete;
  VrrpSocket& operator=(const VrrpSocket&) = delete;
  ~VrrpSocket();

  int fd() const { return fd_; }
  const SocketConfig& config() const { return config_; }

  // Sends one advert to `dst` (the group, or one unicast peer: call once per peer).
  Result<void> send(std::span<const uint8_t> bytes, const IpAddress& dst);
  // Sends several adverts with as few sendmmsg(2) calls as the kernel allows (one, normally).
  // Returns one result per packet, in order.
  struct Outgoing {
    std::vector<uint8_t> bytes;
    IpAddress dst;
  };
  std::vector<Result<void>> send_many(std::span<const Outgoing> packets);
  // Non-blocking: the next received packet, or nullopt when none is pending. Packets that
  // cannot be checked (truncated, missing ancillary data) are skipped. Any other receive error
  // also ends the read (logged, at most once a second): the caller's level-triggered watch
  // comes back if data is still pending.
  std::optional<Received> receive();

 private:
  VrrpSocket(int fd, SocketConfig config) : fd_(fd), config_(std::move(config)) {}
  std::optional<Received> receive_v4();
  std::optional<Received> receive_v6();
  // recvmsg() failed with errno `err`: true to retry (EINTR), false to end this read.
  bool retry_after_receive_error(int err);
  // Everything sendmsg() needs for one packet; the buffers live in the caller's storage.
  struct Message {
    iovec iov{};
    sockaddr_storage addr{};
    alignas(cmsghdr) char control[64] = {};
  };
  std::optional<Error> prepare(std::span<const uint8_t> bytes, const IpAddress& dst, Message& m,
                               msghdr& msg) const;

  int fd_ = -1;
  SocketConfig config_;
  std::vector<uint8_t> buf_;
  std::chrono::steady_clock::time_point receive_error_logged_at_{};
};

}  // namespace vigil::vrrp
