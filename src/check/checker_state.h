// Pure rise/fall logic of one health checker, keepalived's semantics (sans-I/O: the caller hands
// in each result and the current time, the core answers with the new state and the time of the
// next check).
//
//  - A checker is up or down. It starts up, or down with `alpha`.
//  - The first check runs after a random delay of at most `warmup` (the caller draws it).
//  - A failed check is retried `retry` times, `delay_before_retry` apart; only when the last
//    retry fails too is the checker declared down. Any success resets the retry count and
//    brings a down checker up at once.
//  - Otherwise checks run `delay_loop` apart.
#pragma once

#include <cstdint>

#include "base/time.h"

namespace vigil::check {

struct CheckerPolicy {
  bool alpha = false;
  uint32_t retry = 1;
  Micros delay_before_retry{1'000'000};
  Micros delay_loop{60'000'000};
  Micros warmup{0};
};

// What one result did.
struct CheckerStep {
  bool changed = false;       // up/down flipped with this result
  bool up = true;             // state after the result
  bool retrying = false;      // a failure that only scheduled a retry
  uint32_t failed_tries = 0;  // failures in the current streak (for "failed after N retries")
  MonoTime next_run{};
};

class CheckerState {
 public:
  explicit CheckerState(const CheckerPolicy& policy) : policy_(policy), up_(!policy.alpha) {}

  // When to run the first check: `now` plus the caller's random draw in [0, warmup] (clamped).
  MonoTime first_run(MonoTime now, Micros warmup_draw) const;

  CheckerStep on_result(bool success, MonoTime now);

  bool up() const { return up_; }
  const CheckerPolicy& policy() const { return policy_; }

 private:
  CheckerPolicy policy_;
  bool up_;
  uint32_t failed_tries_ = 0;
};

}  // namespace vigil::check
