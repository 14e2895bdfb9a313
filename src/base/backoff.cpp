#include "base/backoff.h"

#include <algorithm>

namespace vigil {

Micros RestartBackoff::after_exit(Micros ran_for) {
  if (ran_for >= policy_.stable) next_ = policy_.initial;
  const Micros delay = std::min(next_, policy_.max);
  // Doubling a capped value never overflows: next_ is at most max.
  next_ = std::min(policy_.max, delay * 2);
  return delay;
}

}  // namespace vigil
