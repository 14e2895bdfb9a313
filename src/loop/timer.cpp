#include "loop/timer.h"

#include <algorithm>

#include <asio/steady_timer.hpp>

#include "loop/loop.h"

namespace vigil::loop {

struct Timer::State {
  State(Loop& l, std::function<void()> cb)
      : loop(l), timer(l.context()), on_expiry(std::move(cb)) {}
  Loop& loop;
  asio::steady_timer timer;
  std::function<void()> on_expiry;
  // Bumped on every arm/cancel: a completion that was already queued when the timer was
  // re-armed or cancelled sees a stale generation and does nothing.
  uint64_t generation = 0;
  bool armed = false;
  MonoTime deadline{};
  // When the callback was due: the deadline, or the arming time for a deadline already past
  // then (for the loop's lateness watch).
  MonoTime due{};
};

Timer::Timer(Loop& loop, std::function<void()> on_expiry)
    : state_(std::make_shared<State>(loop, std::move(on_expiry))) {}

Timer::~Timer() {
  cancel();
}

void Timer::arm(MonoTime deadline) {
  State& s = *state_;
  ++s.generation;
  s.armed = true;
  s.deadline = deadline;
  s.due = std::max(deadline, MonoClock::now());
  s.timer.expires_at(deadline);
  s.timer.async_wait(
      [weak = std::weak_ptr<State>(state_), gen = s.generation](const std::error_code& ec) {
        auto s = weak.lock();
        if (!s || ec || s->generation != gen || !s->armed) return;
        s->armed = false;
        s->loop.timer_running(s->due);
        s->on_expiry();  // `s` keeps the state alive even if the callback destroys the Timer
      });
}

void Timer::arm_after(Micros delay) {
  arm(MonoClock::now() + delay);
}

void Timer::cancel() {
  if (!state_->armed) return;
  ++state_->generation;
  state_->armed = false;
  state_->timer.cancel();
}

bool Timer::armed() const {
  return state_->armed;
}

MonoTime Timer::deadline() const {
  return state_->deadline;
}

}  // namespace vigil::loop
