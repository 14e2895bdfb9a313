// Delivers POSIX signals as loop callbacks (asio::signal_set: the handler itself only records
// the signal, the callback runs later on the loop thread, so it may do anything).
#pragma once

#include <functional>
#include <memory>
#include <vector>

namespace vigil::loop {

class Loop;

class SignalWatch {
 public:
  // Throws std::system_error if a signal number is invalid.
  SignalWatch(Loop& loop, const std::vector<int>& signals,
              std::function<void(int signo)> on_signal);
  ~SignalWatch();
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

 private:
  struct State;
  static void arm(const std::shared_ptr<State>& state);
  std::shared_ptr<State> state_;
};

}  // namespace vigil::loop
