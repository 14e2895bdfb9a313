// Child processes (notify scripts, vrrp_script / MISC_CHECK programs) started on the Loop.
//
// No shell is involved: argv is executed as given (a bare program name is looked up in PATH).
// Each child gets its own process group, stdin from /dev/null, stdout/stderr to /dev/null or
// captured, a clean signal mask and default dispositions, and no inherited descriptors
// beyond 0-2. Its exit is observed through a pidfd (Linux >= 5.3) watched on the loop, then it
// is reaped at once, so children never linger as zombies. On timeout the whole process group
// gets SIGTERM, then SIGKILL after `kill_grace`.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"

namespace vigil::loop {

class Loop;

struct ChildSpec {
  std::vector<std::string> argv{};  // argv[0] is the program; must not be empty
  // "NAME=value" entries; nullopt inherits the daemon's environment.
  std::optional<std::vector<std::string>> env{};
  // Credentials to switch to before exec (needs root); unset fields are left as they are.
  // When uid is set and groups is not, the supplementary groups become just `gid`.
  std::optional<uid_t> uid{};
  std::optional<gid_t> gid{};
  std::optional<std::vector<gid_t>> groups{};
  std::optional<Micros> timeout{};   // none: the child may run for ever
  Micros kill_grace = Millis(1000);  // SIGTERM -> SIGKILL delay after a timeout
  bool capture_output = false;       // stdout and stderr both go to ChildResult::output
  size_t capture_limit = 64 * 1024;  // bytes kept; the rest is read and dropped
};

struct ChildResult {
  pid_t pid = -1;
  int exit_code = -1;      // >= 0 when the child exited normally
  int signal = 0;          // > 0 when it was killed by a signal
  bool timed_out = false;  // it ran past ChildSpec::timeout and was killed
  int spawn_errno = 0;     // != 0: the program could not be started (fork, setuid or exec failed)
  std::string output;      // captured stdout+stderr (capture_output only)

  bool succeeded() const { return spawn_errno == 0 && signal == 0 && exit_code == 0; }
};

// Decodes a waitpid() status (exit code or signal) for `pid`.
ChildResult result_from_wait_status(pid_t pid, int status);
// How the child ended, for log lines: "exited with status 3", "killed by signal 9 (Killed)",
// "timed out and was killed", "could not start: No such file or directory".
std::string describe(const ChildResult& r);

using ChildDone = std::function<void(const ChildResult&)>;

class ChildRegistry {
 public:
  explicit ChildRegistry(Loop& loop);
  ~ChildRegistry();  // kill_all()
  ChildRegistry(const ChildRegistry&) = delete;
  ChildRegistry& operator=(const ChildRegistry&) = delete;

  // Starts the child; `done` runs on the loop when it has ended (also when it could not be
  // started: then spawn_errno is set and the return value is -1).
  pid_t spawn(ChildSpec spec, ChildDone done);
  // Sends `signo` to the child's process group; false if the pid is not a running child.
  bool signal(pid_t pid, int signo);
  // SIGTERM to every running child's process group (keepalived does this on shutdown); their
  // `done` callbacks still run when they exit.
  void terminate_all();
  // SIGKILL every running child's group and reap it now, without running `done`.
  void kill_all();
  size_t running() const { return children_.size(); }
  // Runs `fn` on the loop once no child is running any more (soon, when none is now): after
  // the last child's `done` callback. Each registration runs once.
  void when_idle(std::function<void()> fn);

 private:
  struct Child;
  void on_exit(const std::shared_ptr<Child>& child);
  void watch_exit(const std::shared_ptr<Child>& child);
  void watch_output(const std::shared_ptr<Child>& child);
  void on_timeout(const std::shared_ptr<Child>& child);
  void fail_later(int err, ChildDone done);
  void run_idle_callbacks();

  Loop& loop_;
  std::map<pid_t, std::shared_ptr<Child>> children_;
  std::vector<std::function<void()>> idle_;
};

// Resolves a program name like execvp does: names containing '/' are returned unchanged, bare
// names are searched in `path_env` (colon separated; empty means "/usr/local/sbin:...:/bin").
// Returns an empty string when no executable file is found.
std::string find_program(const std::string& name, const std::string& path_env);

}  // namespace vigil::loop
