// The daemon proper: load the configuration, run the VRRP runtime on the loop, answer
// keepalived's signals, leave cleanly.
#include "daemon/runtime.h"

#include <spdlog/spdlog.h>

#include "conf/load.h"
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

int run_daemon(const Options& options) {
  conf::LoadOptions lo;
  lo.config_id = options.config_id.value_or("");
  conf::LoadResult loaded = conf::load_config_file(options.config_file, lo);
  for (const auto& d : loaded.diag.all()) {
    std::string line = conf::format_diagnostic(d, false);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    if (d.severity == conf::Severity::Error)
      spdlog::error("{}", line);
    else
      spdlog::warn("{}", line);
  }
  if (!loaded.config) {
    spdlog::critical("configuration {} is invalid ({} errors); not starting", options.config_file,
                     loaded.diag.error_count());
    return 1;
  }
  const conf::Config& config = *loaded.config;

  loop::Loop loop;
  vrrp::Router router(loop, config);
  bool stopping = false;
  loop::SignalWatch signals(loop, daemon_signals(), [&](int signo) {
    auto action = action_for_signal(signo);
    if (action == SignalAction::Stop) {
      if (stopping) return;
      stopping = true;
      spdlog::info("received signal {}, stopping", signo);
      notify_stopping();
      router.shutdown([&] { loop.stop(); });
    } else {
      spdlog::info("received signal {}: not supported yet", signo);
    }
  });

  if (options.check_only) {
    spdlog::info("checker-only mode (-C): no VRRP instances run");
  } else if (!router.start()) {
    return 1;
  }
  spdlog::info("vigild {} started with {} VRRP instance(s)", VIGIL_VERSION,
               options.check_only ? 0 : config.vrrp_instances.size());
  notify_status("running");
  notify_ready();
  loop.run();
  loop.children().terminate_all();
  spdlog::info("vigild stopped");
  return 0;
}

}  // namespace vigil::daemon
