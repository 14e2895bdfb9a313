// Deadlines of many VRRP instances on one loop timer, so that instances due at the same moment
// share one wake-up (and their adverts one sendmmsg per socket: see Router::run_due()).
// A deadline may be given slack: it is then rounded up to a multiple of the slack on the
// monotonic clock, which lines up instances whose deadlines fall in the same slot. Adverts
// use it (late by at most the slack, a small fraction of the interval); timers that decide a
// failover (Master_Down) are armed without slack.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "base/time.h"
#include "loop/timer.h"

namespace vigil::vrrp {

class TimerWheel {
 public:
  // `on_due(keys, now)`: the keys whose deadline has passed, in deadline order (keys of one
  // slot in the order they were armed); they are disarmed before the call, so the callback
  // may re-arm them.
  TimerWheel(loop::Loop& loop,
             std::function<void(const std::vector<const void*>&, MonoTime)> on_due);

  void arm(const void* key, MonoTime deadline, Micros slack = Micros(0));
  void cancel(const void* key);
  bool armed(const void* key) const { return pos_.count(key) != 0; }
  size_t size() const { return pos_.size(); }

  // The deadline rounded up to a multiple of `slack` (unchanged for slack 0).
  static MonoTime coalesce(MonoTime deadline, Micros slack);

 private:
  void fire();
  void rearm();

  loop::Loop& loop_;
  std::function<void(const std::vector<const void*>&, MonoTime)> on_due_;
  std::multimap<MonoTime, const void*> due_;
  std::unordered_map<const void*, std::multimap<MonoTime, const void*>::iterator> pos_;
  loop::Timer timer_;
  std::vector<const void*> batch_;  // reused between firings
};

}  // namespace vigil::vrrp
