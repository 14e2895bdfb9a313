// A notify FIFO's reader script (notify_fifo_script, vrrp_notify_fifo_script): started with the
// FIFO's path as its last argument and kept running for the daemon's life. When it exits it is
// started again after a back-off, so a crashing reader neither loses the FIFO for good nor
// makes the daemon fork in a tight loop. (keepalived 2.2.7 only logs that the script
// terminated and leaves the FIFO without a reader.)
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "base/time.h"
#include "loop/child.h"
#include "loop/loop.h"

namespace vigil::notify {

// The restart delay policy, pure so it can be tested without processes: the first restart
// comes after `initial`, each further one after a run shorter than `healthy_run` doubles the
// delay up to `max`; a run of at least `healthy_run` starts over from `initial`.
class RestartBackoff {
 public:
  RestartBackoff(Micros initial, Micros max, Micros healthy_run)
      : initial_(initial), max_(max), healthy_run_(healthy_run), next_(initial) {}
  // The script ran for `ran_for` before it exited: how long to wait before starting it again.
  Micros after_exit(Micros ran_for);

 private:
  Micros initial_, max_, healthy_run_, next_;
};

class FifoScript {
 public:
  // The first restart is quick (a reader an operator killed is back at once); one that keeps
  // dying settles at one attempt every 30 s.
  static RestartBackoff default_backoff() {
    return RestartBackoff(Millis(500), Millis(30'000), Millis(60'000));
  }
  // `what` names the script in logs. Starts nothing yet.
  FifoScript(loop::Loop& loop, loop::ChildSpec spec, std::string what,
             RestartBackoff backoff = default_backoff());
  ~FifoScript();  // ends the script (SIGTERM) and any pending restart
  FifoScript(const FifoScript&) = delete;
  FifoScript& operator=(const FifoScript&) = delete;

  void start();
  // SIGTERM to the script; no more restarts.
  void stop();
  pid_t pid() const;  // -1 while not running
  unsigned restarts() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace vigil::notify
