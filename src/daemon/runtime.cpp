// Placeholder runtime until the VRRP runtime lands: it idles on the loop, answers the
// daemon's signals and tells systemd it is ready, so process handling can be tested.
#include "daemon/runtime.h"

#include <spdlog/spdlog.h>

#include "daemon/sd_notify.h"
#include "daemon/signals.h"
#include "loop/loop.h"
#include "loop/signal_watch.h"

namespace vigil::daemon {

std::string runtime_features() {
  return {};
}

int run_daemon(const Options& options) {
  loop::Loop loop;
  loop::SignalWatch signals(loop, daemon_signals(), [&](int signo) {
    auto action = action_for_signal(signo);
    if (action == SignalAction::Stop) {
      spdlog::info("received signal {}, stopping", signo);
      loop.stop();
    } else {
      spdlog::info("received signal {}: nothing to do without the VRRP runtime", signo);
    }
  });
  spdlog::warn("vigild: VRRP runtime not available yet (configuration {} not applied)",
               options.config_file);
  notify_status("VRRP runtime not available yet");
  notify_ready();
  loop.run();
  notify_stopping();
  loop.children().terminate_all();
  return 0;
}

}  // namespace vigil::daemon
