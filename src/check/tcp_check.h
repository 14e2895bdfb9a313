// TCP_CHECK: success when a TCP connection to the target is established within
// connect_timeout; the connection is then closed at once.
#pragma once

#include "check/checker.h"
#include "check/tcp_connector.h"

namespace vigil::check {

class TcpCheck final : public Checker {
 public:
  TcpCheck(loop::Loop& loop, CheckTarget target) : target_(std::move(target)), connector_(loop) {}
  std::string_view kind() const override { return "TCP_CHECK"; }
  std::string target() const override { return target_.label(); }
  void start(CheckDone done) override;
  void cancel() override { connector_.cancel(); }
  Micros timeout() const override { return target_.timeout; }

 private:
  CheckTarget target_;
  TcpConnector connector_;
};

}  // namespace vigil::check
