#include "daemon/process_tuning.h"

#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <functional>
#include <string>

#include <gtest/gtest.h>

namespace vigil::daemon {
namespace {

// Runs `body` in a child process (the settings change the process that applies them) and
// returns its exit status: 0 when every check in it held, else the number of the first that
// failed.
int in_child(const std::function<int()>& body) {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(body());
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

long locked_kib() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmLck:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

TEST(ProcessTuning, AppliesNiceAffinityLockAndRealTime) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (negative nice, real-time priority)";
  EXPECT_EQ(in_child([] {
              conf::ProcessTuning t;
              t.nice_priority = -3;
              t.cpu_affinity = {0};
              t.no_swap = true;
              t.rt_priority = 7;
              t.rlimit_rttime = 50000;
              TuningOutcome out = apply_process_tuning(t);
              if (!out.failed.empty() || out.applied.size() != 4) return 1;
              errno = 0;
              if (::getpriority(PRIO_PROCESS, 0) != -3 || errno != 0) return 2;
              cpu_set_t set;
              if (::sched_getaffinity(0, sizeof set, &set) != 0) return 3;
              if (CPU_COUNT(&set) != 1 || !CPU_ISSET(0, &set)) return 4;
              if (::sched_getscheduler(0) != SCHED_RR) return 5;
              sched_param p{};
              ::sched_getparam(0, &p);
              if (p.sched_priority != 7) return 6;
              rlimit r{};
              ::getrlimit(RLIMIT_RTTIME, &r);
              if (r.rlim_cur != 50000) return 7;
              if (locked_kib() <= 0) return 8;
              return 0;
            }),
            0);
}

TEST(ProcessTuning, RealTimeWithoutLimitGetsKeepalivedsDefault) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (real-time priority)";
  EXPECT_EQ(in_child([] {
              conf::ProcessTuning t;
              t.rt_priority = 1;
              if (!apply_process_tuning(t).failed.empty()) return 1;
              rlimit r{};
              ::getrlimit(RLIMIT_RTTIME, &r);
              return r.rlim_cur == 10000 ? 0 : 2;
            }),
            0);
}

TEST(ProcessTuning, RefusedSettingIsReportedAndTheOthersStillApply) {
  EXPECT_EQ(in_child([] {
              conf::ProcessTuning t;
              t.cpu_affinity = {CPU_SETSIZE + 5};
              t.nice_priority = 5;
              TuningOutcome out = apply_process_tuning(t);
              if (out.failed.size() != 1) return 1;
              if (out.failed[0].find("out of range") == std::string::npos) return 2;
              if (out.applied.size() != 1 || out.applied[0] != "nice 5") return 3;
              errno = 0;
              return ::getpriority(PRIO_PROCESS, 0) == 5 ? 0 : 4;
            }),
            0);
}

TEST(ProcessTuning, NothingGivenChangesNothing) {
  EXPECT_EQ(in_child([] {
              const int policy = ::sched_getscheduler(0);
              TuningOutcome out = apply_process_tuning({});
              if (!out.applied.empty() || !out.failed.empty()) return 1;
              return ::sched_getscheduler(0) == policy ? 0 : 2;
            }),
            0);
}

TEST(ProcessTuning, AutoPriorityStepsUpToTheMaximum) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (real-time priority)";
  EXPECT_EQ(in_child([] {
              std::string error;
              if (raise_realtime_priority(2, 30000, error) != 1) return 1;  // from SCHED_OTHER
              if (::sched_getscheduler(0) != SCHED_RR) return 2;
              rlimit r{};
              ::getrlimit(RLIMIT_RTTIME, &r);
              if (r.rlim_cur != 30000) return 3;
              if (raise_realtime_priority(2, 30000, error) != 2) return 4;
              if (raise_realtime_priority(2, 30000, error).has_value()) return 5;  // at the max
              if (!error.empty()) return 6;  // not an error: nothing to do
              sched_param p{};
              ::sched_getparam(0, &p);
              return p.sched_priority == 2 ? 0 : 7;
            }),
            0);
}

TEST(NormalSchedulingScope, LeavesRealTimeForItsLifetime) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (real-time priority)";
  EXPECT_EQ(in_child([] {
              sched_param rr{};
              rr.sched_priority = 4;
              if (::sched_setscheduler(0, SCHED_RR, &rr) != 0) return 1;
              {
                NormalSchedulingScope normal;
                if (::sched_getscheduler(0) != SCHED_OTHER) return 2;
              }
              if (::sched_getscheduler(0) != SCHED_RR) return 3;
              sched_param p{};
              ::sched_getparam(0, &p);
              return p.sched_priority == 4 ? 0 : 4;
            }),
            0);
}

TEST(NormalSchedulingScope, NormalThreadStaysNormal) {
  EXPECT_EQ(in_child([] {
              { NormalSchedulingScope normal; }
              return ::sched_getscheduler(0) == SCHED_OTHER ? 0 : 1;
            }),
            0);
}

}  // namespace
}  // namespace vigil::daemon
