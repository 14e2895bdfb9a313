// A notify FIFO's reader script (notify_fifo_script, vrrp_notify_fifo_script): started with the
// FIFO's path as its last argument and kept running for the daemon's life. When it exits it is
// started again after a back-off, so a crashing reader neither loses the FIFO for good nor
// makes the daemon fork in a tight loop. (keepalived 2.2.7 only logs that the script
// terminated and leaves the FIFO without a reader.)
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "base/backoff.h"
#include "base/time.h"
#include "loop/child.h"
#include "loop/loop.h"

namespace vigil::notify {

class FifoScript {
 public:
  // `what` names the script in logs. Starts nothing yet. The default back-off (base/backoff.h)
  // brings back a reader an operator killed at once and settles at one attempt every 30 s for
  // one that keeps dying.
  FifoScript(loop::Loop& loop, loop::ChildSpec spec, std::string what,
             RestartBackoff backoff = RestartBackoff());
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
