// Runs configured scripts (notify_*, notify_fifo_script, and later vrrp_script / MISC_CHECK)
// the way keepalived does: the script string is split into words (notify_args.h), the program
// is looked up in PATH when not given as a path, and it runs as the script's user.
//
// User: a script's own `username [groupname]`, else global `script_user`, else the user
// keepalived_script if it exists, else the daemon's own user (root). A group defaults to the
// user's primary group; supplementary groups are the user's.
//
// Security (enable_script_security): a script that would run as root (or as user U) must not
// be modifiable by anyone else: the file and every directory on its path (symlinks followed)
// must be owned by root (or U), not group-writable unless the group is root's (or U's), and
// not world-writable, except a sticky directory (like /tmp) whose next entry is owned by root
// (or U). Unsafe scripts are refused with the reason logged. Without enable_script_security
// they still run, with a warning (keepalived does the same).
//
// Timeouts: keepalived never kills notify scripts; vigil kills a notify script still running
// after ScriptRunnerOptions::notify_timeout (default 60 s: SIGTERM to its process group, then
// SIGKILL) so a hung script cannot pile up one process per transition. Callers pass
// std::nullopt as timeout for long-lived scripts such as notify_fifo_script.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "base/time.h"
#include "loop/child.h"

namespace vigil::loop {
class Loop;
}

namespace vigil::notify {

struct ScriptCredentials {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
  std::string user;  // for messages
};

// Resolves `user [group]` through the passwd/group databases.
std::optional<ScriptCredentials> resolve_script_user(const std::string& user,
                                                     const std::optional<std::string>& group,
                                                     std::string& error);
// keepalived_script if that user exists, else the daemon's own uid/gid.
ScriptCredentials default_script_user();

// Why `program` (an absolute path) is unsafe to run with `creds`, or nullopt if it is safe.
std::optional<std::string> script_insecurity(const std::string& program,
                                             const ScriptCredentials& creds);

// A script as configured: `notify_master "/path/x.sh arg" [username [groupname]]`.
// Fields in declaration order: command, argv, user, group.
struct ScriptConfig {
  std::string command;
  // Words already split by the configuration reader (conf's ScriptCommand::argv); when
  // empty, `command` is split here.
  std::vector<std::string> argv{};
  std::optional<std::string> user{};
  std::optional<std::string> group{};
};

// A script checked and ready to run.
struct PreparedScript {
  std::vector<std::string> argv;  // argv[0] resolved to a path
  ScriptCredentials creds;
  std::string command;  // as configured, for messages
  std::string purpose;  // what runs it ("quorum_up of VS ..."), for messages; may be empty
  bool insecure = false;
};

struct ScriptRunnerOptions {
  bool enable_script_security = false;
  std::optional<std::string> script_user{};  // global_defs script_user
  std::optional<std::string> script_group{};
  std::optional<Micros> notify_timeout = Millis(60000);
  // Environment for scripts; nullopt inherits the daemon's.
  std::optional<std::vector<std::string>> env{};
};

class ScriptRunner {
 public:
  ScriptRunner(loop::Loop& loop, ScriptRunnerOptions options);

  // Splits, resolves and checks a script; nullopt (with `error`) when it cannot or must not
  // run. Call it when the configuration is loaded so a bad script is reported once.
  std::optional<PreparedScript> prepare(const ScriptConfig& script, std::string& error) const;

  // Runs a prepared script with `extra_args` appended (notify's four values); `done` is
  // optional. The default timeout is options.notify_timeout. Returns the pid or -1. How it
  // ended is logged here, once, so callers do not log it again.
  pid_t run(const PreparedScript& script, const std::vector<std::string>& extra_args = {},
            loop::ChildDone done = {});
  pid_t run(const PreparedScript& script, const std::vector<std::string>& extra_args,
            std::optional<Micros> timeout, loop::ChildDone done);

  const ScriptRunnerOptions& options() const { return options_; }

 private:
  loop::Loop& loop_;
  ScriptRunnerOptions options_;
  ScriptCredentials default_creds_;
};

}  // namespace vigil::notify
