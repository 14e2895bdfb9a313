#include "daemon/worker.h"

#include <sys/prctl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "base/heap_policy.h"
#include "daemon/runtime.h"

namespace vigil::daemon {
namespace {

// The pid files this process writes: a worker its own (-r / -c); the parent the main one and
// -b (vigil has no BFD worker); --single-process all of them, holding the same pid.
std::vector<std::string> worker_pid_paths(const Options& o) {
  if (o.worker == "vrrp") return {o.vrrp_pid_file};
  if (o.worker == "check") return {o.checkers_pid_file};
  std::vector<std::string> paths{o.pid_file};
  const auto extra =
      o.single_process
          ? std::vector<const std::string*>{&o.vrrp_pid_file, &o.checkers_pid_file, &o.bfd_pid_file}
          : std::vector<const std::string*>{&o.bfd_pid_file};
  for (const auto* p : extra)
    if (!p->empty()) paths.push_back(*p);
  return paths;
}

}  // namespace

LogOptions log_options(const Options& o) {
  LogOptions l;
  l.ident = o.program_name;
  l.console = o.log_console;
  l.syslog = !o.no_syslog;
  l.syslog_facility = o.log_facility;
  l.file = o.log_file;
  l.detail = o.log_detail;
  l.level = o.log_level;
  return l;
}

std::optional<std::vector<PidFile>> write_pid_files(const Options& options, std::string& error) {
  std::vector<PidFile> pid_files;
  for (const auto& path : worker_pid_paths(options)) {
    auto pf = PidFile::create(path, ::getpid(), error);
    if (!pf) {
      spdlog::error("{}", error);
      return std::nullopt;
    }
    pid_files.push_back(std::move(*pf));
  }
  return pid_files;
}

int run_worker(const Options& options, const DaemonParts& parts) {
  limit_heap_retention();
  LogOptions l = log_options(options);
  l.prefix = options.worker + ": ";
  setup_logging(l);
  const std::string title = options.program_name.substr(0, 9) + "-" + options.worker;
  ::prctl(PR_SET_NAME, title.c_str());
  std::string error;
  auto pid_files = write_pid_files(options, error);
  if (!pid_files) return 1;
  return run_daemon(options, parts);
}

}  // namespace vigil::daemon
