// Everything an operator reaches in a running vigild, bundled for the daemon: the control
// socket with its command registry, the /metrics page and keepalived's signal dumps, all
// reading the same status model (Router::status()). The HTTP endpoint serving the page is
// opened by the daemon (daemon/daemon_parts.h), so this file does not link libmicrohttpd into
// the VRRP worker.
//
// The daemon (daemon/runtime.cpp) creates one after the Router started, hands it the reload
// hook, and forwards SIGUSR1 / SIGUSR2 / the JSON signal to the dump_*() calls. Other
// subsystems add control commands through registry() (e.g. the LVS side's "rs").
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "control/commands.h"
#include "control/dumps.h"
#include "control/lvs_status.h"
#include "control/server.h"

namespace vigil::loop {
class Loop;
}
namespace vigil::vrrp {
class Router;
}

namespace vigil::control {

struct OperationsOptions {
  std::string control_socket = kDefaultControlSocket;  // "" = no control socket
  std::string dump_dir = kDefaultDumpDir;
  double start_time_seconds = 0;  // wall clock of the daemon's start, for /metrics
  // A supervised worker: the control socket is its private one (mode 0600, relayed by the
  // parent, daemon/control_relay.h) and /metrics is served by the parent, which fetches the
  // page through the "metrics" command.
  bool worker = false;
  // The VRRP part of /metrics: false in the checker worker, whose Router runs nothing.
  bool vrrp_metrics = true;
};

class Operations {
 public:
  // The configuration is read through router.config() each time (a reload replaces it); a
  // router that was never started (checker-only mode) simply reports no instances.
  Operations(loop::Loop& loop, vrrp::Router& router, OperationsOptions options);
  ~Operations();

  // Registers the built-in commands and opens the control socket. Problems are logged; the
  // daemon runs on without the failed piece.
  void start();

  // The daemon's reload entry point for the "reload" command ("" = started, else an error).
  void set_reload_hook(ReloadHook hook) { reload_ = std::move(hook); }
  CommandRegistry& registry() { return registry_; }
  // The LVS side's status for /metrics (set where an LvsRuntime runs).
  void set_lvs_status(std::function<LvsStatus()> fn) { lvs_status_ = std::move(fn); }

  // keepalived's SIGUSR1 / SIGUSR2 / JSON-signal files in dump_dir. Return the path written
  // (empty on error, which is logged).
  std::string dump_data();
  std::string dump_stats();
  std::string dump_json();

  // This process's whole /metrics page (its parts and its process figures), for a process
  // that serves the endpoint itself.
  std::string metrics_page() const;

 private:
  vrrp::RouterStatus snapshot() const;
  // This process's VRRP and LVS parts of /metrics.
  std::string metrics_parts() const;
  std::string write_dump(const std::string& name, const std::string& content);

  loop::Loop& loop_;
  vrrp::Router& router_;
  OperationsOptions options_;
  ReloadHook reload_;
  std::function<LvsStatus()> lvs_status_;
  CommandRegistry registry_;
  std::unique_ptr<ControlServer> server_;
};

}  // namespace vigil::control
