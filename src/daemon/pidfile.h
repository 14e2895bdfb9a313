// Pid files, created race-free (O_EXCL) with mode 0644. A file left behind by a process that
// no longer runs is detected as stale and replaced; one naming a live process is refused.
// The file is removed when the PidFile is destroyed, but only if it still holds our pid.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace vigil::daemon {

class PidFile {
 public:
  // Creates `path` (and its parent directory, 0755, if missing) holding `pid`. On failure
  // returns nullopt and sets `error` (e.g. "already running as pid 123").
  static std::optional<PidFile> create(const std::string& path, pid_t pid, std::string& error);

  PidFile(PidFile&& other) noexcept;
  PidFile& operator=(PidFile&& other) noexcept;
  PidFile(const PidFile&) = delete;
  PidFile& operator=(const PidFile&) = delete;
  ~PidFile();

  const std::string& path() const { return path_; }
  // Removes the file now (if it still holds our pid).
  void remove();

 private:
  PidFile(std::string path, pid_t pid) : path_(std::move(path)), pid_(pid) {}
  std::string path_;
  pid_t pid_ = -1;
};

// The pid a pid file names, if it holds a well-formed one.
std::optional<pid_t> read_pid_file(const std::string& path);
// Whether a process with that pid is alive (EPERM counts as alive). A zombie is not: a worker
// killed with its supervisor stays one until init reaps it, which some inits do late, and its
// pid file must not keep the next start from running.
bool process_exists(pid_t pid);

}  // namespace vigil::daemon
