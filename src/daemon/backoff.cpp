#include "daemon/backoff.h"

#include <algorithm>

namespace vigil::daemon {

Millis next_restart_delay(const BackoffPolicy& policy, Millis previous, Millis ran_for) {
  if (previous.count() <= 0 || ran_for >= policy.stable)
    return std::min(policy.initial, policy.max);
  // Doubling a capped value never overflows: previous is at most max.
  return std::min(previous * 2, policy.max);
}

}  // namespace vigil::daemon
