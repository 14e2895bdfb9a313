// The start of a daemon's main process, shared by vigild (the supervisor) and vigild-check
// (--single-process): detach (unless -n), logging, the "Starting" line, the pid files, then
// the body, which calls `started` once it is up (0) or has failed (status, message), so the
// foreground process of a detaching start exits with that status.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "daemon/options.h"

namespace vigil::daemon {

using StartedFn = std::function<void(int status, const std::string& message)>;

int run_main_process(const Options& options, const std::function<int(StartedFn started)>& body);

// `name` (e.g. "vigild-check") in the directory of this process's executable, if executable
// there; "" if not. vigild's executables are installed side by side.
std::string sibling_executable(const std::string& name);

// Replaces this process with sibling `name`, same command line (argv[0] included, so it
// logs and names itself as this program). Returns only on failure, with a message on stderr.
int exec_sibling(const std::string& name, const std::vector<std::string>& args);

}  // namespace vigil::daemon
