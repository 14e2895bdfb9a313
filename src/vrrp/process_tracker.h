// The live status of vrrp_track_process entries. Processes are followed through the kernel's
// process events connector (NETLINK_CONNECTOR, CN_IDX_PROC: fork, exec, comm change, exit)
// after one scan of /proc, so nothing is forked and nothing polls. The kernel offers that
// connector only in the initial network namespace; a daemon running in another one rescans
// /proc once a second instead (logged at start-up). Decisions are in process_match.h.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "conf/model.h"
#include "loop/fd_watch.h"
#include "loop/loop.h"
#include "loop/timer.h"
#include "vrrp/process_match.h"

namespace vigil::vrrp {

// Reads /proc/PID/comm and /proc/PID/cmdline; nullopt when the process is gone.
std::optional<ProcessInfo> read_process_info(pid_t pid);

class ProcessTracker {
 public:
  // `on_change` runs (on the loop) whenever an entry's status changes.
  ProcessTracker(loop::Loop& loop, const conf::Config& config, std::function<void()> on_change);
  ~ProcessTracker();
  ProcessTracker(const ProcessTracker&) = delete;
  ProcessTracker& operator=(const ProcessTracker&) = delete;

  void start();
  void stop();

  // nullopt: no such vrrp_track_process.
  std::optional<bool> up(const std::string& name) const;
  bool uses_connector() const { return fd_ >= 0; }

 private:
  struct Entry;
  bool open_connector();
  void on_readable();
  void scan();
  void see(pid_t pid);     // exec, fork, comm change: (re)classify the process
  void forget(pid_t pid);  // exit
  void recount(Entry& e);

  loop::Loop& loop_;
  const conf::Config& config_;
  std::function<void()> on_change_;
  std::map<std::string, std::unique_ptr<Entry>> entries_;
  int fd_ = -1;
  std::unique_ptr<loop::FdWatch> watch_;
  std::unique_ptr<loop::Timer> rescan_timer_;  // without the connector only
  bool stopped_ = false;
};

}  // namespace vigil::vrrp
