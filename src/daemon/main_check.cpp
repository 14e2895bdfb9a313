// vigild-check: vigild's checker worker (--worker=check, started by the supervisor) and the
// whole daemon in one process (--single-process, which vigild hands over to this program).
// It links everything: the LVS side (daemon/lvs_side.h: checkers over libcurl and c-ares, the
// nftables and IPVS data planes) and the /metrics endpoint of --single-process.
#include <sys/prctl.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "daemon/lvs_side.h"
#include "daemon/options.h"
#include "daemon/runtime.h"
#include "daemon/startup.h"
#include "daemon/worker.h"

namespace {

int run(const vigil::daemon::Options& options) {
  if (options.worker == "check")
    return vigil::daemon::run_worker(options, vigil::daemon::full_daemon_parts());
  if (options.single_process && options.worker.empty()) {
    // vigild handed over to this program: keep its name in `ps -o comm`.
    ::prctl(PR_SET_NAME, options.program_name.substr(0, 15).c_str());
    return vigil::daemon::run_main_process(options, [&](vigil::daemon::StartedFn started) {
      started(0, "");
      return vigil::daemon::run_daemon(options, vigil::daemon::full_daemon_parts());
    });
  }
  std::cerr << "vigild-check is vigild's checker worker (--worker=check) and its "
               "--single-process mode, started by vigild\n";
  return 2;
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
    return run(parsed.options);
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    std::cerr << parsed.options.program_name << ": fatal: " << e.what() << "\n";
    return 1;
  }
}
