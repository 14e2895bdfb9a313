// vigild entry point: keepalived's command line (daemon/options.h), config test mode,
// detaching, pid files, then the supervisor (daemon/supervisor.h), which re-executes this
// program as its VRRP and checker workers (--worker=...: straight into daemon/runtime.h).
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "base/log.h"
#include "conf/check_mode.h"
#include "daemon/daemonize.h"
#include "daemon/options.h"
#include "daemon/pidfile.h"
#include "daemon/runtime.h"
#include "daemon/supervisor.h"

namespace {

using vigil::daemon::Options;

// -t[FILE] / --dump-conf-json: check (and optionally print) the configuration, then exit.
int config_test(const Options& options) {
  std::ofstream log_file;
  std::ostream* err = &std::cerr;
  if (!options.config_test_log_file.empty()) {
    log_file.open(options.config_test_log_file, std::ios::app);
    if (!log_file) {
      std::cerr << options.program_name << ": cannot open " << options.config_test_log_file << "\n";
      return 1;
    }
    err = &log_file;
  }
  vigil::conf::LoadOptions load;
  load.config_id = options.config_id.value_or("");  // empty: conf uses the node name
  return vigil::conf::run_config_check(options.config_file, load, options.dump_conf_json, std::cout,
                                       *err);
}

vigil::LogOptions log_options(const Options& o) {
  vigil::LogOptions l;
  l.ident = o.program_name;
  l.console = o.log_console;
  l.syslog = !o.no_syslog;
  l.syslog_facility = o.log_facility;
  l.file = o.log_file;
  l.detail = o.log_detail;
  l.level = o.log_level;
  return l;
}

// The pid files this process writes: a worker its own (-r / -c); the parent the main one and
// -b (vigil has no BFD worker); --single-process all of them, holding the same pid.
std::vector<std::string> pid_paths(const Options& o) {
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

// This process's pid files (removed again when the returned objects go); nullopt, logged and
// with `error` set, when one cannot be written.
std::optional<std::vector<vigil::daemon::PidFile>> write_pid_files(const Options& options,
                                                                   std::string& error) {
  std::vector<vigil::daemon::PidFile> pid_files;
  for (const auto& path : pid_paths(options)) {
    auto pf = vigil::daemon::PidFile::create(path, ::getpid(), error);
    if (!pf) {
      spdlog::error("{}", error);
      return std::nullopt;
    }
    pid_files.push_back(std::move(*pf));
  }
  return pid_files;
}

// A worker started by the supervisor: no detaching (the parent did), its own pid file, a log
// prefix and process name telling it apart, then the runtime.
int run_worker(const Options& options) {
  vigil::LogOptions l = log_options(options);
  l.prefix = options.worker + ": ";
  vigil::setup_logging(l);
  const std::string title = options.program_name.substr(0, 9) + "-" + options.worker;
  ::prctl(PR_SET_NAME, title.c_str());
  std::string error;
  auto pid_files = write_pid_files(options, error);
  if (!pid_files) return 1;
  return vigil::daemon::run_daemon(options);
}

int run(const Options& options, const std::vector<std::string>& args) {
  if (options.umask) ::umask(*options.umask);
  if (options.config_test || options.dump_conf_json) return config_test(options);
  if (options.core_dump) {
    rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
    ::setrlimit(RLIMIT_CORE, &unlimited);
  }

  if (!options.worker.empty()) return run_worker(options);
  if (std::string lb_error; !vigil::daemon::lvs_backend_available(options, lb_error)) {
    std::cerr << options.program_name << ": " << lb_error << "\n";
    return 1;
  }

  std::optional<vigil::daemon::Detached> detached;
  if (!options.dont_fork) {
    std::string error;
    detached = vigil::daemon::Detached::detach(error);
    if (!detached) {
      std::cerr << options.program_name << ": cannot detach: " << error << "\n";
      return 1;
    }
  }
  auto fail = [&](int status, const std::string& message) {
    if (detached)
      detached->report(status, options.program_name + ": " + message);
    else
      std::cerr << options.program_name << ": " << message << "\n";
    return status;
  };
  try {
    vigil::setup_logging(log_options(options));
  } catch (const std::exception& e) {
    return fail(1, e.what());
  }
  spdlog::info("Starting {} v{}", options.program_name, VIGIL_VERSION);
  for (const auto& w : options.warnings) spdlog::warn("{}", w);

  std::string error;
  auto pid_files = write_pid_files(options, error);
  if (!pid_files) return fail(1, error);
  int status = 0;
  if (options.single_process) {
    if (detached) detached->report(0);
    status = vigil::daemon::run_daemon(options);
  } else {
    status =
        vigil::daemon::run_supervisor(options, args, [&](int code, const std::string& message) {
          if (!detached) return;
          if (code == 0)
            detached->report(0);
          else
            detached->report(code, options.program_name + ": " + message);
        });
  }
  spdlog::info("Stopped {} v{}", options.program_name, VIGIL_VERSION);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv, argv + argc);
  auto parsed = vigil::daemon::parse_options(args);
  if (parsed.version_requested)
    parsed.out =
        vigil::daemon::version_text(parsed.options.program_name, vigil::daemon::runtime_features());
  if (parsed.exit_code) {
    std::fputs(parsed.out.c_str(), stdout);
    std::fputs(parsed.err.c_str(), stderr);
    return *parsed.exit_code;
  }
  try {
    return run(parsed.options, args);
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    std::cerr << parsed.options.program_name << ": fatal: " << e.what() << "\n";
    return 1;
  }
}
