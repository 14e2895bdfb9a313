// Readiness watch for a socket the caller owns, for both directions: loop::FdWatch only reports
// "readable", while non-blocking connects and libcurl's sockets also need "writable". Built on
// the Loop's asio context; callbacks run on the loop thread. Interest is level-triggered: while
// a direction is wanted, the callback fires whenever the fd is ready that way.
#pragma once

#include <functional>
#include <memory>

namespace vigil::loop {
class Loop;
}

namespace vigil::check {

class IoWatch {
 public:
  // `on_ready(readable, writable)`; the fd stays the caller's (never closed here).
  IoWatch(loop::Loop& loop, int fd, std::function<void(bool readable, bool writable)> on_ready);
  ~IoWatch();
  IoWatch(const IoWatch&) = delete;
  IoWatch& operator=(const IoWatch&) = delete;

  void want(bool read, bool write);
  int fd() const;

 private:
  struct State;
  static void arm(const std::shared_ptr<State>& s, bool write);
  std::shared_ptr<State> state_;
};

}  // namespace vigil::check
