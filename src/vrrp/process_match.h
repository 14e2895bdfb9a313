// track_process (vrrp_track_process) decisions, pure: which running process counts for a
// tracked entry, whether the count meets the quorum, and the fork_delay / terminate_delay
// debounce of the resulting status. The kernel side (process events, /proc) is in
// process_tracker.h.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"
#include "conf/model.h"

namespace vigil::vrrp {

// What a process looks like to the matcher: its name (the Name: line of /proc/PID/status,
// at most 15 characters) and its command line (/proc/PID/cmdline split at NULs).
struct ProcessInfo {
  std::string name;
  std::vector<std::string> cmdline;
};

// keepalived's rules: an exact match, never a pattern. With no parameters, no param_match and
// no full_command, the name is compared (the configured name cut to 15 characters, as the
// kernel cuts it). Otherwise the command line: argv[0] equals the configured process, and the
// parameters match exactly (Exact: same count), as a prefix of the arguments (Partial), or as
// a prefix whose last one may itself be a prefix of the argument (Initial). full_command with
// a single configured word compares the whole command line joined by spaces.
bool process_matches(const conf::VrrpTrackProcess& tp, const ProcessInfo& p);

// quorum <= count <= quorum_max.
bool quorum_met(const conf::VrrpTrackProcess& tp, size_t count);

// The status of one tracked process entry: the quorum result, held back by fork_delay before
// going up and terminate_delay before going down (so a fork/exec or a restart does not bounce
// the priority).
class ProcessStatus {
 public:
  // `count`: matching processes found by the initial scan; the first status needs no delay.
  ProcessStatus(const conf::VrrpTrackProcess& tp, size_t count);

  // The number of matching processes changed. True when up() changed at once.
  bool set_count(size_t count, MonoTime now);
  // deadline() passed. True when up() changed.
  bool on_timer(MonoTime now);
  // When the pending change takes effect (nullopt: none pending).
  std::optional<MonoTime> deadline() const { return pending_; }
  bool up() const { return up_; }
  size_t count() const { return count_; }

 private:
  const conf::VrrpTrackProcess* tp_;
  size_t count_;
  bool up_;
  std::optional<MonoTime> pending_;
};

}  // namespace vigil::vrrp
