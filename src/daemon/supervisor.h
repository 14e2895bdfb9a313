// keepalived's process model: a supervisor parent with a VRRP worker and a checker worker.
//
// The parent (this module) validates the configuration, then starts each worker the
// configuration needs by re-executing vigild (/proc/self/exe) with the same command line plus
// the internal --worker=vrrp|check, so every worker starts from a fresh process image: no
// loop, socket or thread of the parent is carried over. A worker runs run_daemon() in -P or -C
// mode and writes its own pid file (-r / -c); the parent keeps the main one (-p).
//
// The parent restarts a worker that died (crash, SIGKILL) after a back-off (base/backoff.h),
// never while stopping, and not at all with -R. When the VRRP worker dies the parent removes
// the VIPs, virtual routes and rules it held at once (vrrp/leftover_addresses.h; the parent
// keeps the last valid configuration for that), so a peer that takes over during the back-off
// is the only master. It owns the signals (SIGHUP: validate, then
// pass on; SIGTERM/SIGINT: stop the workers, bounded, then exit; dump signals: to the VRRP
// worker), the conversation with systemd (workers report to it through daemon/notify_relay.h)
// and the public control socket and /metrics, relayed to the workers (daemon/control_front.h).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "daemon/options.h"

namespace vigil::daemon {

// `args` is the command line the daemon was started with (argv); `started` is called once,
// with 0 when the workers are up, or 1 when start-up failed (then the return value is 1 too).
// Returns the exit status.
int run_supervisor(const Options& options, const std::vector<std::string>& args,
                   std::function<void(int status, const std::string& message)> started);

}  // namespace vigil::daemon
