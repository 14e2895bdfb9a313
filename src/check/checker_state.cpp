#include "check/checker_state.h"

#include <algorithm>

namespace vigil::check {

MonoTime CheckerState::first_run(MonoTime now, Micros warmup_draw) const {
  return now + std::clamp(warmup_draw, Micros{0}, std::max(policy_.warmup, Micros{0}));
}

CheckerStep CheckerState::on_result(bool success, MonoTime now) {
  CheckerStep step;
  if (success) {
    failed_tries_ = 0;
    step.changed = !up_;
    up_ = true;
    step.up = true;
    step.next_run = now + policy_.delay_loop;
    return step;
  }
  ++failed_tries_;
  step.failed_tries = failed_tries_;
  if (failed_tries_ <= policy_.retry) {
    // Not yet: keepalived retries before believing a failure.
    step.retrying = true;
    step.up = up_;
    step.next_run = now + policy_.delay_before_retry;
    return step;
  }
  failed_tries_ = 0;
  step.changed = up_;
  up_ = false;
  step.up = false;
  step.next_run = now + policy_.delay_loop;
  return step;
}

}  // namespace vigil::check
