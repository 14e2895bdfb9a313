// A non-blocking TCP connect on the Loop, shared by TCP_CHECK and SMTP_CHECK.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "check/checker.h"
#include "check/io_watch.h"
#include "check/socket_util.h"

namespace vigil::check {

class TcpConnector {
 public:
  explicit TcpConnector(loop::Loop& loop) : loop_(loop) {}
  // Connects to target.address:target.port; `done(error)` runs on the loop with an empty error
  // on success (the connected socket is then fd()). Not called after cancel().
  void start(const CheckTarget& target, std::function<void(std::string error)> done);
  void cancel();  // closes the socket
  int fd() const { return fd_.get(); }
  // Hands the connected socket over (the connector forgets it).
  UniqueFd take() {
    watch_.reset();
    return std::move(fd_);
  }

 private:
  void on_writable();
  void finish(std::string error);

  loop::Loop& loop_;
  UniqueFd fd_;
  std::unique_ptr<IoWatch> watch_;
  std::function<void(std::string)> done_;
  uint64_t generation_ = 0;
  // Loop callbacks posted by this object check it is still alive through this token.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace vigil::check
