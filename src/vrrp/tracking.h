// The live status of tracked objects that instances refer to by name: vrrp_script programs
// (run every interval with rise/fall hysteresis) and track_file files (watched with inotify).
// Instances turn these statuses into priority through priority.h; this unit only observes.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "conf/model.h"
#include "loop/fd_watch.h"
#include "loop/loop.h"
#include "loop/timer.h"
#include "vrrp/reconfigure.h"

namespace vigil::vrrp {

// Pure rise/fall hysteresis of a vrrp_script: `rise` consecutive successes bring it up,
// `fall` consecutive failures take it down.
class RiseFall {
 public:
  RiseFall(uint32_t rise, uint32_t fall, bool initially_up);
  // Feeds one result; returns true when the status changed.
  bool feed(bool success);
  bool up() const { return up_; }

 private:
  uint32_t rise_, fall_;
  bool up_;
  uint32_t streak_ = 0;  // consecutive results that disagree with up_
};

// The number a track_file holds: the first word parsed as a signed integer; a missing or
// unreadable file, or text that is not a number, counts as 0 (as keepalived reads it).
int64_t read_track_file_value(const std::string& path);

class Trackers {
 public:
  // `on_change` runs (on the loop) whenever any script status or file value changes.
  Trackers(loop::Loop& loop, const conf::Config& config, std::function<void()> on_change);
  ~Trackers();

  void start();
  void stop();
  // Reload: trackers whose definition is unchanged keep running with their rise/fall state
  // and file value (only their view of the configuration moves to `config`); changed ones
  // restart with fresh state, removed ones stop, new ones start. `config` replaces the one
  // given before and must outlive the Trackers (or the next reconfigure).
  void reconfigure(const conf::Config& config, const ConfigDiff& diff);

  std::optional<bool> script_up(const std::string& name) const;
  std::optional<int64_t> file_value(const std::string& name) const;

 private:
  struct Script;
  struct File;
  void start_script(const conf::VrrpScript& cfg);
  void start_file(const conf::VrrpTrackFile& cfg);
  void run_script(const std::shared_ptr<Script>& s);
  void on_inotify();

  loop::Loop& loop_;
  const conf::Config* config_;
  std::function<void()> on_change_;
  // shared: a script's run may outlive its removal on reload (the result is then dropped).
  std::map<std::string, std::shared_ptr<Script>> scripts_;
  std::map<std::string, std::unique_ptr<File>> files_;
  int inotify_fd_ = -1;
  std::unique_ptr<loop::FdWatch> inotify_watch_;
  std::map<int, std::string> watch_dirs_;  // inotify wd -> directory
  bool stopped_ = false;
};

}  // namespace vigil::vrrp
