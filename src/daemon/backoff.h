// Restart back-off for supervised workers: the first restart after a crash waits `initial`,
// each further crash doubles the wait up to `max`, and a worker that ran for at least `stable`
// before dying starts again from `initial` (a crash after an hour is not a crash loop).
// Pure functions, so the policy is unit-tested without processes.
#pragma once

#include "base/time.h"

namespace vigil::daemon {

struct BackoffPolicy {
  Millis initial{500};
  Millis max{30000};
  Millis stable{60000};
};

// The wait before the next start of a worker that just died after running for `ran_for`;
// `previous` is the wait used before its current run (zero for a first start).
Millis next_restart_delay(const BackoffPolicy& policy, Millis previous, Millis ran_for);

}  // namespace vigil::daemon
