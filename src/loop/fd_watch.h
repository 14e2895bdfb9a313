// Calls back whenever a file descriptor becomes readable (level-triggered: if the callback
// leaves data unread, it is called again). The fd stays owned by the caller: destroying the
// watch stops watching and never closes the fd. Destroy the watch before closing the fd.
#pragma once

#include <functional>
#include <memory>

namespace vigil::loop {

class Loop;

class FdWatch {
 public:
  FdWatch(Loop& loop, int fd, std::function<void()> on_readable);
  ~FdWatch();
  FdWatch(const FdWatch&) = delete;
  FdWatch& operator=(const FdWatch&) = delete;

  int fd() const;

 private:
  struct State;
  static void wait_readable(const std::shared_ptr<State>& state);
  std::shared_ptr<State> state_;
};

}  // namespace vigil::loop
