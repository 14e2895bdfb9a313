#include "daemon/process_tuning.h"

#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace vigil::daemon {
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

void set_nice(int nice, TuningOutcome& out) {
  if (::setpriority(PRIO_PROCESS, 0, nice) == 0)
    out.applied.push_back(fmt::format("nice {}", nice));
  else
    out.failed.push_back(fmt::format("cannot set nice {}: {}", nice, errno_text()));
}

void set_affinity(const std::vector<int>& cpus, TuningOutcome& out) {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::string list;
  for (int cpu : cpus) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) {
      out.failed.push_back(fmt::format("CPU {} is out of range; affinity not set", cpu));
      return;
    }
    CPU_SET(cpu, &set);
    list += (list.empty() ? "" : ",") + std::to_string(cpu);
  }
  // EINVAL: none of the CPUs is online.
  if (::sched_setaffinity(0, sizeof set, &set) == 0)
    out.applied.push_back("CPU affinity " + list);
  else
    out.failed.push_back(fmt::format("cannot bind to CPUs {}: {}", list, errno_text()));
}

void lock_memory(TuningOutcome& out) {
  // The system call itself, not mlockall(): sanitizer runtimes replace that with a no-op (locking
  // their reserved shadow memory would make it all resident), which MCL_ONFAULT avoids anyway;
  // this way the sanitized test build locks as the product does.
  if (::syscall(SYS_mlockall, MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) == 0)
    out.applied.push_back("memory locked (no swap)");
  else
    out.failed.push_back("cannot lock memory: " + errno_text());
}

// The limit first: from the moment the policy changes, a runaway loop must not own the CPU.
// Past the soft limit the kernel sends SIGXCPU (default action: terminate), and the supervisor
// starts the worker again.
bool limit_realtime_cpu(rlim_t rttime_usecs) {
  rlimit limit{};
  ::getrlimit(RLIMIT_RTTIME, &limit);
  limit.rlim_cur = rttime_usecs;
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < rttime_usecs)
    limit.rlim_max = rttime_usecs;
  return ::setrlimit(RLIMIT_RTTIME, &limit) == 0;
}

bool set_round_robin(int priority) {
  sched_param param{};
  param.sched_priority = priority;
  return ::sched_setscheduler(0, SCHED_RR, &param) == 0;
}

void set_realtime(int priority, rlim_t rttime_usecs, TuningOutcome& out) {
  if (!limit_realtime_cpu(rttime_usecs)) {
    out.failed.push_back(
        fmt::format("cannot limit real-time CPU time to {} us: {}; real-time priority not set",
                    rttime_usecs, errno_text()));
    return;
  }
  if (set_round_robin(priority))
    out.applied.push_back(
        fmt::format("real-time priority {} (SCHED_RR, at most {} us of CPU between blocking calls)",
                    priority, rttime_usecs));
  else
    out.failed.push_back(
        fmt::format("cannot set real-time priority {}: {}", priority, errno_text()));
}

}  // namespace

TuningOutcome apply_process_tuning(const conf::ProcessTuning& tuning) {
  TuningOutcome out;
  if (tuning.nice_priority) set_nice(*tuning.nice_priority, out);
  if (!tuning.cpu_affinity.empty()) set_affinity(tuning.cpu_affinity, out);
  if (tuning.no_swap) lock_memory(out);
  if (tuning.rt_priority)
    set_realtime(*tuning.rt_priority, tuning.rlimit_rttime.value_or(kDefaultRlimitRttimeUsecs),
                 out);
  return out;
}

std::optional<int> raise_realtime_priority(int max_priority, uint32_t rttime_usecs,
                                           std::string& error) {
  error.clear();
  const int policy = ::sched_getscheduler(0);
  int next = 1;
  if (policy == SCHED_RR || policy == SCHED_FIFO) {
    sched_param param{};
    ::sched_getparam(0, &param);
    next = param.sched_priority + 1;
  }
  if (next > max_priority) return std::nullopt;
  if (next == 1 && !limit_realtime_cpu(rttime_usecs)) {
    error = fmt::format("cannot limit real-time CPU time to {} us: {}", rttime_usecs, errno_text());
    return std::nullopt;
  }
  if (!set_round_robin(next)) {
    error = fmt::format("cannot set real-time priority {}: {}", next, errno_text());
    return std::nullopt;
  }
  return next;
}

NormalSchedulingScope::NormalSchedulingScope() {
  const int policy = ::sched_getscheduler(0);
  if (policy != SCHED_RR && policy != SCHED_FIFO) return;
  sched_param param{};
  ::sched_getparam(0, &param);
  sched_param normal{};
  if (::sched_setscheduler(0, SCHED_OTHER, &normal) != 0) return;
  policy_ = policy;
  priority_ = param.sched_priority;
}

NormalSchedulingScope::~NormalSchedulingScope() {
  if (policy_ < 0) return;
  sched_param param{};
  param.sched_priority = priority_;
  ::sched_setscheduler(0, policy_, &param);
}

}  // namespace vigil::daemon
