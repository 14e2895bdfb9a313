// PING_CHECK: one ICMP / ICMPv6 echo request to the target; an echo reply with our identifier
// and sequence within connect_timeout is success, an ICMP error or silence is failure. Uses an
// unprivileged ping socket (SOCK_DGRAM, IPPROTO_ICMP[V6]) when net.ipv4.ping_group_range
// allows it, else a raw socket (needs CAP_NET_RAW). Unlike keepalived, vigil never changes
// ping_group_range itself.
#pragma once

#include <memory>
#include <span>

#include "check/checker.h"
#include "check/io_watch.h"
#include "check/socket_util.h"

namespace vigil::check {

class PingCheck final : public Checker {
 public:
  PingCheck(loop::Loop& loop, CheckTarget target) : loop_(loop), target_(std::move(target)) {}
  ~PingCheck() override { cancel(); }
  std::string_view kind() const override { return "PING_CHECK"; }
  std::string target() const override { return "[" + target_.address.to_string() + "]"; }
  void start(CheckDone done) override;
  void cancel() override;
  Micros timeout() const override { return target_.timeout; }

 private:
  void on_readable();
  void finish(bool success, std::string message);

  loop::Loop& loop_;
  CheckTarget target_;
  UniqueFd fd_;
  bool raw_ = false;
  uint16_t id_ = 0;
  uint16_t seq_ = 0;
  std::unique_ptr<IoWatch> watch_;
  CheckDone done_;
  uint64_t generation_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The ICMP checksum (RFC 1071) of `data`.
uint16_t icmp_checksum(std::span<const uint8_t> data);

}  // namespace vigil::check
