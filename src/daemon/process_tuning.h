// keepalived's {vrrp,checker}_priority, _no_swap, _cpu_affinity, _rt_priority and
// _rlimit_rttime: how a worker process is scheduled and kept in memory. Applied once, when the
// worker starts, as keepalived does (a reload does not change them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "conf/model_global.h"

namespace vigil::daemon {

// keepalived's default RLIMIT_RTTIME when a real-time priority is set without *_rlimit_rttime.
inline constexpr uint32_t kDefaultRlimitRttimeUsecs = 10000;

// What applying the settings did, one line per setting, for the log.
struct TuningOutcome {
  std::vector<std::string> applied;  // "nice -5", "real-time priority 10 (SCHED_RR)", ...
  std::vector<std::string> failed;   // "cannot set nice -5: Permission denied", ...
};

// Applies every setting given in `tuning` to the calling process; a setting the kernel refuses
// is reported and the others still apply. Memory is locked as it is faulted in (MCL_ONFAULT):
// the heap kept for reloads (base/heap_policy.h) and address space reserved but never touched
// are not made resident by locking.
TuningOutcome apply_process_tuning(const conf::ProcessTuning& tuning);

// keepalived's max_auto_priority, one step: a process at normal priority goes to real-time
// priority 1 (SCHED_RR, with RLIMIT_RTTIME at `rttime_usecs`), one already at real-time
// priority p to p + 1, never past `max_priority`. Returns the new priority; nullopt when
// already at the maximum or when the kernel refused (then `error` says why).
std::optional<int> raise_realtime_priority(int max_priority, uint32_t rttime_usecs,
                                           std::string& error);

// While one lives, the calling thread runs at normal (SCHED_OTHER) priority if it ran at a
// real-time one: a reload's parse is not urgent, and at real-time priority a large file's
// parse could run past RLIMIT_RTTIME (10 ms by default), which kills the process. Threads the
// load starts inherit the normal policy. Restores the real-time policy when destroyed.
class NormalSchedulingScope {
 public:
  NormalSchedulingScope();
  ~NormalSchedulingScope();
  NormalSchedulingScope(const NormalSchedulingScope&) = delete;
  NormalSchedulingScope& operator=(const NormalSchedulingScope&) = delete;

 private:
  int policy_ = -1;  // the real-time policy to restore, or -1
  int priority_ = 0;
};

}  // namespace vigil::daemon
