// The daemon proper. main() calls run_daemon() once options are parsed, the process has
// detached (unless -n), logging is set up (setup_logging) and the pid files are written.
// It returns the process exit status; pid files are removed by main() afterwards.
#pragma once

#include "daemon/options.h"

namespace vigil::daemon {

int run_daemon(const Options& options);

}  // namespace vigil::daemon
