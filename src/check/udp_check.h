// UDP_CHECK: sends one datagram (the configured payload, else random bytes) from a connected
// UDP socket. An ICMP error (port/host/net unreachable, seen as ECONNREFUSED/EHOSTUNREACH...)
// is a failure. With require_reply a reply must arrive within connect_timeout, its length
// within [min_reply_length, max_reply_length] and, when a pattern is given, its bytes must
// match it (X nibbles ignored) up to the shorter of the two; without require_reply silence
// until the timeout is success.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "check/checker.h"
#include "check/io_watch.h"
#include "check/socket_util.h"
#include "conf/model_checkers.h"

namespace vigil::check {

class UdpCheck final : public Checker {
 public:
  UdpCheck(loop::Loop& loop, CheckTarget target, conf::UdpCheck spec)
      : loop_(loop), target_(std::move(target)), spec_(std::move(spec)) {}
  ~UdpCheck() override { cancel(); }
  std::string_view kind() const override { return "UDP_CHECK"; }
  std::string target() const override { return target_.label("udp"); }
  void start(CheckDone done) override;
  void cancel() override;
  Micros timeout() const override { return target_.timeout; }
  CheckResult on_timeout() override;

 private:
  void on_readable();
  void finish(bool success, std::string message);

  loop::Loop& loop_;
  CheckTarget target_;
  conf::UdpCheck spec_;
  UniqueFd fd_;
  std::unique_ptr<IoWatch> watch_;
  CheckDone done_;
  uint64_t generation_ = 0;
  // Loop callbacks posted by this object check it is still alive through this token.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// Whether `reply` satisfies the spec's length bounds and nibble pattern; `why` says what not.
bool udp_reply_matches(const conf::UdpCheck& spec, std::span<const uint8_t> reply,
                       std::string& why);

}  // namespace vigil::check
