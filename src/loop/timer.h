// A single re-armable deadline on the Loop. One Timer per VRRP instance / checker is the
// intended use: arming replaces the previous deadline, cancel() is idempotent, and a callback
// never runs after cancel(), after re-arming, or after the Timer is destroyed.
#pragma once

#include <functional>
#include <memory>

#include "base/time.h"

namespace vigil::loop {

class Loop;

class Timer {
 public:
  Timer(Loop& loop, std::function<void()> on_expiry);
  ~Timer();
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  // (Re)arms the timer for `deadline`; a deadline in the past fires on the next loop turn.
  void arm(MonoTime deadline);
  void arm_after(Micros delay);
  void cancel();
  bool armed() const;
  MonoTime deadline() const;  // meaningful only while armed()

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace vigil::loop
