// vigild entry point: keepalived's command line (daemon/options.h), config test mode,
// detaching, pid files, then the supervisor (daemon/supervisor.h), which starts its workers
// from the executables beside this one: vigild-vrrp (main_vrrp.cpp) and vigild-check
// (main_check.cpp, also what --single-process runs). vigild itself links neither the VRRP
// runtime's nor the LVS side's libraries, so the parent that stays resident is small.
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "conf/check_mode.h"
#include "daemon/lb_probe.h"
#include "daemon/options.h"
#include "daemon/runtime_names.h"
#include "daemon/startup.h"
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

int run(const Options& options, const std::vector<std::string>& args) {
  if (options.umask) ::umask(*options.umask);
  if (options.config_test || options.dump_conf_json) return config_test(options);
  if (options.core_dump) {
    rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
    ::setrlimit(RLIMIT_CORE, &unlimited);
  }
  // Workers and the single-process daemon are the other executables (same command line).
  if (options.worker == "vrrp") return vigil::daemon::exec_sibling("vigild-vrrp", args);
  if (!options.worker.empty() || options.single_process)
    return vigil::daemon::exec_sibling("vigild-check", args);

  if (std::string lb_error; !vigil::daemon::lvs_backend_available(options, lb_error)) {
    std::cerr << options.program_name << ": " << lb_error << "\n";
    return 1;
  }
  return vigil::daemon::run_main_process(options, [&](vigil::daemon::StartedFn started) {
    return vigil::daemon::run_supervisor(options, args, std::move(started));
  });
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
