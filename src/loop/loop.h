// The event loop every vigil subsystem runs on: one thread, one asio::io_context.
//
// Pieces (each in its own header, all bound to a Loop):
//   Timer       (loop/timer.h)        one re-armable deadline, cheap enough for one per instance
//   FdWatch     (loop/fd_watch.h)     "fd is readable" callbacks on an fd the caller owns
//   SignalWatch (loop/signal_watch.h) POSIX signals delivered as loop callbacks
//   Children    (loop/child.h)        fork/exec of scripts, exit seen through a pidfd
// Callbacks always run on the loop thread, from inside run(); none runs re-entrantly from the
// call that scheduled it.
#pragma once

#include <functional>
#include <memory>

#include <asio/io_context.hpp>

#include "base/time.h"
#include "loop/child.h"

namespace vigil::loop {

class Loop {
 public:
  Loop();
  ~Loop();  // kills (SIGKILL) and reaps children still running, so none is left a zombie
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  // The monotonic clock the loop's timers use.
  MonoTime now() const { return MonoClock::now(); }

  // Runs callbacks until stop() is called (or nothing at all is left to wait for).
  void run();
  // Runs until stop() or until `limit` has passed; returns true when stopped by stop().
  // Meant for tests and bounded waits; the daemon uses run().
  bool run_for(Millis limit);
  // Makes run()/run_for() return after the current callback. Safe from any callback.
  void stop();
  bool stopped() const { return stop_requested_; }

  // Runs `fn` on the loop soon (never inside the caller).
  void post(std::function<void()> fn);

  // Calls `on_late(deadline, lateness)` whenever a Timer's callback starts `threshold` or more
  // after its deadline (or after it was armed, for a deadline already past then): the process
  // was not scheduled in time. keepalived's max_auto_priority reacts to it. Empty: no watch.
  using LatenessWatch = std::function<void(MonoTime deadline, Micros lateness)>;
  void set_lateness_watch(Micros threshold, LatenessWatch on_late);
  // Called by Timer just before its callback runs.
  void timer_running(MonoTime due) {
    if (on_late_) check_lateness(due);
  }

  // Shorthand for children().spawn(): see loop/child.h.
  pid_t spawn(ChildSpec spec, ChildDone done) {
    return children_->spawn(std::move(spec), std::move(done));
  }

  asio::io_context& context() { return io_; }
  ChildRegistry& children() { return *children_; }

 private:
  void check_lateness(MonoTime due);

  asio::io_context io_;
  bool stop_requested_ = false;
  Micros late_threshold_{0};
  LatenessWatch on_late_;
  std::unique_ptr<ChildRegistry> children_;
};

}  // namespace vigil::loop
