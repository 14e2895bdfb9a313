// The daemon proper: load the configuration, run the VRRP runtime on the loop, answer
// keepalived's signals, leave cleanly.
#include "daemon/runtime.h"

#include <spdlog/spdlog.h>

#include <ctime>
#include <sstream>

#include "conf/load.h"
#include "control/operations.h"
#include "control/service_status.h"
#include "daemon/reload.h"
#include "daemon/sd_notify.h"
#include "daemon/signals.h"
#include "loop/loop.h"
#include "loop/signal_watch.h"
#include "vrrp/router.h"

namespace vigil::daemon {

std::string runtime_features() {
  return "vrrp vrrp-v2 vrrp-v3 ipv4 ipv6 unicast track_script track_file track_interface "
         "sync_group notify";
}

namespace {

// SIGUSR1 / SIGUSR2 / the JSON signal: keepalived's dump files. false: not a dump signal.
bool handle_dump_signal(std::optional<SignalAction> action, control::Operations& ops) {
  if (action == SignalAction::DumpData)
    ops.dump_data();
  else if (action == SignalAction::DumpStats)
    ops.dump_stats();
  else if (action == SignalAction::DumpJson)
    ops.dump_json();
  else
    return false;
  return true;
}

control::OperationsOptions operations_options(const Options& options, const conf::Config& c) {
  control::OperationsOptions o;
  o.control_socket = !options.control_socket.empty()
                         ? options.control_socket
                         : c.global.vigil_control_socket.value_or(control::kDefaultControlSocket);
  o.dump_dir = options.dump_dir;
  o.start_time_seconds = static_cast<double>(std::time(nullptr));
  return o;
}

}  // namespace

int run_daemon(const Options& options) {
  size_t errors = 0;
  std::shared_ptr<const conf::Config> config = load_config_logged(options, errors);
  if (!config) {
    spdlog::critical("configuration {} is invalid ({} errors); not starting", options.config_file,
                     errors);
    return 1;
  }
  if (options.dump_conf) {
    // keepalived -d: the effective configuration in the log, one line per JSON line.
    std::istringstream dump(conf::to_json(*config).dump(2));
    for (std::string line; std::getline(dump, line);) spdlog::info("config: {}", line);
  }

  loop::Loop loop;
  vrrp::Router router(loop, std::move(config));  // the only owner: a reload drops the old one
  Reloader reloader(options, router);
  control::Operations ops(loop, router, operations_options(options, router.config()));
  // "reload" on the control socket: the same reload as SIGHUP, its outcome in the reply.
  ops.set_reload_hook([&]() -> std::string {
    if (reloader.reload()) return {};
    return "reload failed, running configuration kept: " + reloader.status().last_summary;
  });
  router.set_transition_observer([&](const vrrp::Instance&, vrrp::State) {
    notify_status(control::service_status_line(router.status()));
  });
  bool stopping = false;
  loop::SignalWatch signals(loop, daemon_signals(), [&](int signo) {
    auto action = action_for_signal(signo);
    if (action == SignalAction::Stop) {
      if (stopping) return;
      stopping = true;
      spdlog::info("received signal {}, stopping", signo);
      notify_stopping();
      router.shutdown([&] { loop.stop(); });
    } else if (action == SignalAction::Reload) {
      if (stopping) return;
      spdlog::info("received signal {}, reloading", signo);
      reloader.reload();
    } else if (!handle_dump_signal(action, ops)) {
      spdlog::info("received signal {}: not supported yet", signo);
    }
  });

  if (options.check_only) {
    spdlog::info("checker-only mode (-C): no VRRP instances run");
  } else if (!router.start()) {
    return 1;
  }
  spdlog::info("vigild {} started with {} VRRP instance(s)", VIGIL_VERSION,
               options.check_only ? 0 : router.config().vrrp_instances.size());
  ops.start();
  notify_status(control::service_status_line(router.status()));
  notify_ready();
  auto watchdog = start_watchdog(loop);
  loop.run();
  loop.children().terminate_all();
  spdlog::info("vigild stopped");
  return 0;
}

}  // namespace vigil::daemon
