#include "check/ping_check.h"

#include <netinet/icmp6.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <sys/socket.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>

#include "loop/loop.h"

namespace vigil::check {

uint16_t icmp_checksum(std::span<const uint8_t> data) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < data.size(); i += 2) sum += (data[i] << 8) | data[i + 1];
  if (data.size() % 2) sum += data.back() << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

void PingCheck::start(CheckDone done) {
  cancel();
  done_ = std::move(done);
  auto fail_soon = [this](std::string message) {
    loop_.post([this, alive = std::weak_ptr<bool>(alive_), gen = generation_, message] {
      if (!alive.expired() && gen == generation_) finish(false, message);
    });
  };
  const bool v6 = target_.address.is_v6();
  const int proto = v6 ? int{IPPROTO_ICMPV6} : int{IPPROTO_ICMP};
  std::string error;
  raw_ = false;
  fd_.reset(open_checker_socket(target_, SOCK_DGRAM, proto, error));
  if (!fd_) {
    raw_ = true;
    fd_.reset(open_checker_socket(target_, SOCK_RAW, proto, error));
  }
  if (!fd_) return fail_soon("PING_CHECK to " + target() + ": " + error + ".");
  sockaddr_storage sa;
  socklen_t len = to_sockaddr(target_.address, 0, sa);
  // Connected: the kernel then hands us only this host's packets (and its ICMP errors).
  if (::connect(fd_.get(), reinterpret_cast<sockaddr*>(&sa), len) < 0)
    return fail_soon("PING_CHECK to " + target() + " failed: " + std::strerror(errno) + ".");

  static std::atomic<uint16_t> next_seq{static_cast<uint16_t>(std::random_device{}())};
  seq_ = next_seq++;
  id_ = static_cast<uint16_t>(std::random_device{}());
  std::array<uint8_t, 8 + 16> pkt{};
  pkt[0] = v6 ? uint8_t{ICMP6_ECHO_REQUEST} : uint8_t{ICMP_ECHO};
  pkt[4] = id_ >> 8;
  pkt[5] = id_ & 0xff;
  pkt[6] = seq_ >> 8;
  pkt[7] = seq_ & 0xff;
  std::memcpy(pkt.data() + 8, "vigil PING_CHECK", 16);
  if (!v6) {
    // The kernel fills the checksum of ping sockets and of raw ICMPv6; raw ICMPv4 is ours.
    uint16_t c = icmp_checksum(pkt);
    pkt[2] = c >> 8;
    pkt[3] = c & 0xff;
  }
  if (::send(fd_.get(), pkt.data(), pkt.size(), 0) < 0)
    return fail_soon("PING_CHECK to " + target() + " failed: " + std::strerror(errno) + ".");
  watch_ = std::make_unique<IoWatch>(loop_, fd_.get(), [this](bool, bool) { on_readable(); });
  watch_->want(true, false);
}

void PingCheck::on_readable() {
  uint8_t buf[2048];
  ssize_t n = ::recv(fd_.get(), buf, sizeof(buf), 0);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return;
    finish(false, "PING_CHECK to " + target() + " failed: " + std::strerror(errno) + ".");
    return;
  }
  const bool v6 = target_.address.is_v6();
  std::span<const uint8_t> icmp(buf, static_cast<size_t>(n));
  if (raw_ && !v6) {
    if (icmp.size() < sizeof(iphdr)) return;
    size_t ihl = static_cast<size_t>(icmp[0] & 0x0f) * 4;
    if (icmp.size() < ihl) return;
    icmp = icmp.subspan(ihl);
  }
  if (icmp.size() < 8) return;
  const uint8_t reply_type = v6 ? uint8_t{ICMP6_ECHO_REPLY} : uint8_t{ICMP_ECHOREPLY};
  const uint8_t unreach = v6 ? uint8_t{ICMP6_DST_UNREACH} : uint8_t{ICMP_DEST_UNREACH};
  if (raw_ && icmp[0] == unreach) {
    finish(false, "PING_CHECK to " + target() + " failed: destination unreachable.");
    return;
  }
  if (icmp[0] != reply_type) return;  // our own request (raw sockets see it) or other traffic
  uint16_t id = static_cast<uint16_t>((icmp[4] << 8) | icmp[5]);
  uint16_t seq = static_cast<uint16_t>((icmp[6] << 8) | icmp[7]);
  // Ping sockets rewrite the identifier to their port; only raw replies carry ours.
  if (seq != seq_ || (raw_ && id != id_)) return;
  finish(true, "PING_CHECK to " + target() + " success.");
}

void PingCheck::cancel() {
  ++generation_;
  done_ = nullptr;
  watch_.reset();
  fd_.reset();
}

void PingCheck::finish(bool success, std::string message) {
  auto done = std::move(done_);
  cancel();
  if (done) done({success, std::move(message), std::nullopt});
}

}  // namespace vigil::check
