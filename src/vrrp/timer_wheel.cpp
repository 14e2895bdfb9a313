#include "vrrp/timer_wheel.h"

#include "loop/loop.h"

namespace vigil::vrrp {

TimerWheel::TimerWheel(loop::Loop& loop,
                       std::function<void(const std::vector<const void*>&, MonoTime)> on_due)
    : loop_(loop), on_due_(std::move(on_due)), timer_(loop, [this] { fire(); }) {}

MonoTime TimerWheel::coalesce(MonoTime deadline, Micros slack) {
  if (slack.count() <= 0) return deadline;
  const auto since = std::chrono::duration_cast<Micros>(deadline.time_since_epoch());
  const int64_t q = (since.count() + slack.count() - 1) / slack.count();
  return MonoTime(std::chrono::duration_cast<MonoTime::duration>(Micros(q * slack.count())));
}

void TimerWheel::arm(const void* key, MonoTime deadline, Micros slack) {
  auto it = pos_.find(key);
  if (it != pos_.end()) {
    due_.erase(it->second);
    pos_.erase(it);
  }
  pos_.emplace(key, due_.emplace(coalesce(deadline, slack), key));
  rearm();
}

void TimerWheel::cancel(const void* key) {
  auto it = pos_.find(key);
  if (it == pos_.end()) return;
  due_.erase(it->second);
  pos_.erase(it);
  rearm();
}

void TimerWheel::rearm() {
  if (due_.empty()) {
    timer_.cancel();
    return;
  }
  const MonoTime first = due_.begin()->first;
  if (!timer_.armed() || timer_.deadline() != first) timer_.arm(first);
}

void TimerWheel::fire() {
  const MonoTime now = loop_.now();
  batch_.clear();
  while (!due_.empty() && due_.begin()->first <= now) {
    const void* key = due_.begin()->second;
    pos_.erase(key);
    due_.erase(due_.begin());
    batch_.push_back(key);
  }
  // The keys are disarmed: the callback may re-arm or cancel any of them.
  if (!batch_.empty()) on_due_(batch_, now);
  rearm();
}

}  // namespace vigil::vrrp
