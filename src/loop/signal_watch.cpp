#include "loop/signal_watch.h"

#include <asio/signal_set.hpp>

#include "loop/loop.h"

namespace vigil::loop {

struct SignalWatch::State {
  State(asio::io_context& io, std::function<void(int)> cb) : set(io), on_signal(std::move(cb)) {}
  asio::signal_set set;
  std::function<void(int)> on_signal;
  bool active = true;
};

SignalWatch::SignalWatch(Loop& loop, const std::vector<int>& signals,
                         std::function<void(int signo)> on_signal)
    : state_(std::make_shared<State>(loop.context(), std::move(on_signal))) {
  for (int signo : signals) state_->set.add(signo);  // throws std::system_error on bad numbers
  arm(state_);
}

SignalWatch::~SignalWatch() {
  state_->active = false;
  std::error_code ignored;
  state_->set.clear(ignored);  // restores the previous dispositions
}

void SignalWatch::arm(const std::shared_ptr<State>& state) {
  state->set.async_wait([weak = std::weak_ptr<State>(state)](const std::error_code& ec, int signo) {
    auto s = weak.lock();
    if (!s || !s->active || ec) return;
    s->on_signal(signo);
    if (s->active) arm(s);
  });
}

}  // namespace vigil::loop
