// Restart back-off for processes vigil keeps running (the supervisor's workers, notify FIFO
// reader scripts): the first restart after a death waits `initial`, each further death doubles
// the wait up to `max`, and a process that ran for at least `stable` before dying starts over
// from `initial` (a crash after an hour is not a crash loop). Pure, so the policy is
// unit-tested without processes; one policy for every restarted process.
#pragma once

#include "base/time.h"

namespace vigil {

struct BackoffPolicy {
  Micros initial = Millis(500);
  Micros max = Millis(30'000);
  Micros stable = Millis(60'000);
};

class RestartBackoff {
 public:
  explicit RestartBackoff(BackoffPolicy policy = {}) : policy_(policy), next_(policy.initial) {}

  // The process ran for `ran_for` before it ended: how long to wait before starting it again.
  // A start that failed outright (fork) counts as a run of zero.
  Micros after_exit(Micros ran_for);
  const BackoffPolicy& policy() const { return policy_; }

 private:
  BackoffPolicy policy_;
  Micros next_;
};

}  // namespace vigil
