// vigild-vrrp: vigild's VRRP worker as an executable of its own. The supervisor starts it with
// its own command line plus --worker=vrrp (daemon/supervisor.h). It links only what the VRRP
// side needs (no LVS side, no /metrics endpoint: empty daemon/daemon_parts.h), so its process
// maps a fraction of vigild's libraries: with 1,000 instances the VRRP worker is the process
// that stays resident, and keepalived's forked VRRP child is the figure to match.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "daemon/options.h"
#include "daemon/worker.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv, argv + argc);
  auto parsed = vigil::daemon::parse_options(args);
  if (parsed.version_requested)
    parsed.out = vigil::daemon::version_text(parsed.options.program_name, "");
  if (parsed.exit_code) {
    std::fputs(parsed.out.c_str(), stdout);
    std::fputs(parsed.err.c_str(), stderr);
    return *parsed.exit_code;
  }
  if (parsed.options.worker != "vrrp") {
    std::cerr << "vigild-vrrp is vigild's VRRP worker, started by vigild (--worker=vrrp)\n";
    return 2;
  }
  try {
    return vigil::daemon::run_worker(parsed.options, {});
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    std::cerr << parsed.options.program_name << ": fatal: " << e.what() << "\n";
    return 1;
  }
}
