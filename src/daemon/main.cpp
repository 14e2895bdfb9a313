// vigild entry point: keepalived's command line (daemon/options.h), config test mode,
// detaching, pid files, then the runtime (daemon/runtime.h).
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

// The pid files this run writes: the main one always, the keepalived child ones when named.
std::vector<std::string> pid_paths(const Options& o) {
  std::vector<std::string> paths{o.pid_file};
  for (const auto* p : {&o.vrrp_pid_file, &o.checkers_pid_file, &o.bfd_pid_file})
    if (!p->empty()) paths.push_back(*p);
  return paths;
}

int run(const Options& options) {
  if (options.umask) ::umask(*options.umask);
  if (options.config_test || options.dump_conf_json) return config_test(options);
  if (options.core_dump) {
    rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
    ::setrlimit(RLIMIT_CORE, &unlimited);
  }

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

  std::vector<vigil::daemon::PidFile> pid_files;
  for (const auto& path : pid_paths(options)) {
    std::string error;
    auto pf = vigil::daemon::PidFile::create(path, ::getpid(), error);
    if (!pf) {
      spdlog::error("{}", error);
      return fail(1, error);
    }
    pid_files.push_back(std::move(*pf));
  }
  if (detached) detached->report(0);
  int status = vigil::daemon::run_daemon(options);
  spdlog::info("Stopped {} v{}", options.program_name, VIGIL_VERSION);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = vigil::daemon::parse_options(std::vector<std::string>(argv, argv + argc));
  if (parsed.version_requested)
    parsed.out =
        vigil::daemon::version_text(parsed.options.program_name, vigil::daemon::runtime_features());
  if (parsed.exit_code) {
    std::fputs(parsed.out.c_str(), stdout);
    std::fputs(parsed.err.c_str(), stderr);
    return *parsed.exit_code;
  }
  try {
    return run(parsed.options);
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    std::cerr << parsed.options.program_name << ": fatal: " << e.what() << "\n";
    return 1;
  }
}
