// vigild entry point: keepalived's command line (daemon/options.h), config test mode,
// detaching, pid files, then the supervisor (daemon/supervisor.h), which starts vigild-vrrp
// (main_vrrp.cpp) as its VRRP worker and re-executes this program as its checker worker
// (--worker=...: straight into daemon/runtime.h).
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

#include "conf/check_mode.h"
#include "daemon/daemonize.h"
#include "daemon/lvs_side.h"
#include "daemon/options.h"
#include "daemon/runtime.h"
#include "daemon/supervisor.h"
#include "daemon/worker.h"

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

int run(const Options& options, const std::vector<std::string>& args) {
  if (options.umask) ::umask(*options.umask);
  if (options.config_test || options.dump_conf_json) return config_test(options);
  if (options.core_dump) {
    rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
    ::setrlimit(RLIMIT_CORE, &unlimited);
  }

  if (!options.worker.empty())
    return vigil::daemon::run_worker(options, vigil::daemon::full_daemon_parts());
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
    vigil::setup_logging(vigil::daemon::log_options(options));
  } catch (const std::exception& e) {
    return fail(1, e.what());
  }
  spdlog::info("Starting {} v{}", options.program_name, VIGIL_VERSION);
  for (const auto& w : options.warnings) spdlog::warn("{}", w);

  std::string error;
  auto pid_files = vigil::daemon::write_pid_files(options, error);
  if (!pid_files) return fail(1, error);
  int status = 0;
  if (options.single_process) {
    if (detached) detached->report(0);
    status = vigil::daemon::run_daemon(options, vigil::daemon::full_daemon_parts());
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
