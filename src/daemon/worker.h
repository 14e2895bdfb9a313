// A worker process started by the supervisor (daemon/supervisor.h), in vigild (the checker
// worker, --worker=check) or vigild-vrrp (the VRRP worker): its logging, pid file and process
// name, then run_daemon(). Also the pid files and log options the parent uses.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/log.h"
#include "daemon/daemon_parts.h"
#include "daemon/options.h"
#include "daemon/pidfile.h"

namespace vigil::daemon {

LogOptions log_options(const Options& options);

// This process's pid files (removed again when the returned objects go); nullopt, logged and
// with `error` set, when one cannot be written.
std::optional<std::vector<PidFile>> write_pid_files(const Options& options, std::string& error);

// No detaching (the parent did), its own pid file, a log prefix and process name telling it
// apart, then the runtime. Returns the exit status.
int run_worker(const Options& options, const DaemonParts& parts);

}  // namespace vigil::daemon
