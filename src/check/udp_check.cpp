#include "check/udp_check.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "loop/loop.h"

namespace vigil::check {

bool udp_reply_matches(const conf::UdpCheck& spec, std::span<const uint8_t> reply,
                       std::string& why) {
  if (reply.size() < spec.min_reply_length || reply.size() > spec.max_reply_length) {
    why = "reply length " + std::to_string(reply.size()) + " not in [" +
          std::to_string(spec.min_reply_length) + ", " + std::to_string(spec.max_reply_length) +
          "]";
    return false;
  }
  size_t nibbles = std::min(spec.reply_pattern.size(), reply.size() * 2);
  for (size_t i = 0; i < nibbles; ++i) {
    const conf::UdpReplyNibble& want = spec.reply_pattern[i];
    if (want.wildcard) continue;
    uint8_t byte = reply[i / 2];
    uint8_t got = (i % 2 == 0) ? byte >> 4 : byte & 0x0f;
    if (got != want.value) {
      why = "reply differs from require_reply at byte " + std::to_string(i / 2);
      return false;
    }
  }
  return true;
}

void UdpCheck::start(CheckDone done) {
  cancel();
  done_ = std::move(done);
  uint64_t gen = generation_;
  auto fail_soon = [this, gen](std::string message) {
    loop_.post([this, alive = std::weak_ptr<bool>(alive_), gen, message] {
      if (!alive.expired() && gen == generation_) finish(false, message);
    });
  };
  std::string error;
  fd_.reset(open_checker_socket(target_, SOCK_DGRAM, IPPROTO_UDP, error));
  if (!fd_) return fail_soon("UDP socket for " + target() + ": " + error + ".");
  sockaddr_storage sa;
  socklen_t len = to_sockaddr(target_.address, target_.port, sa);
  if (::connect(fd_.get(), reinterpret_cast<sockaddr*>(&sa), len) < 0)
    return fail_soon("UDP connect to " + target() + " failed: " + std::strerror(errno) + ".");
  std::vector<uint8_t> payload;
  if (spec_.payload) {
    payload = *spec_.payload;
  } else {
    static thread_local std::mt19937 rng{std::random_device{}()};
    payload.resize(16);
    for (uint8_t& b : payload) b = static_cast<uint8_t>(rng());
  }
  if (::send(fd_.get(), payload.data(), payload.size(), 0) < 0)
    return fail_soon("UDP send to " + target() + " failed: " + std::strerror(errno) + ".");
  watch_ = std::make_unique<IoWatch>(loop_, fd_.get(), [this](bool, bool) { on_readable(); });
  watch_->want(true, false);
}

void UdpCheck::on_readable() {
  uint8_t buf[65536];
  ssize_t n = ::recv(fd_.get(), buf, sizeof(buf), 0);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return;
    // The kernel turns the ICMP error for our datagram into this socket error.
    finish(false, "UDP check to " + target() + " failed: " + std::strerror(errno) + ".");
    return;
  }
  if (!spec_.require_reply) {
    finish(true, "UDP check to " + target() + " success (reply received).");
    return;
  }
  std::string why;
  if (udp_reply_matches(spec_, std::span<const uint8_t>(buf, static_cast<size_t>(n)), why))
    finish(true, "UDP check to " + target() + " success.");
  else
    finish(false, "UDP check to " + target() + " failed: " + why + ".");
}

CheckResult UdpCheck::on_timeout() {
  cancel();
  if (spec_.require_reply) return {false, "UDP check to " + target() + " failed: no reply.", {}};
  return {true, "UDP check to " + target() + " success (no ICMP error).", {}};
}

void UdpCheck::cancel() {
  ++generation_;
  done_ = nullptr;
  watch_.reset();
  fd_.reset();
}

void UdpCheck::finish(bool success, std::string message) {
  auto done = std::move(done_);
  cancel();
  if (done) done({success, std::move(message), std::nullopt});
}

}  // namespace vigil::check
