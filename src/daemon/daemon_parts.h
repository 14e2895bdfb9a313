// What run_daemon() (daemon/runtime.h) runs besides the VRRP Router, supplied by the
// executable. vigild links the LVS side (checkers and data planes: libcurl, c-ares,
// libnftables, PCRE2) and serves /metrics itself with --single-process (libmicrohttpd);
// vigild-vrrp, the VRRP worker, passes empty parts, so neither its image nor its address
// space holds those libraries and the ones they pull in (GnuTLS, krb5, LDAP, ...).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "daemon/options.h"

namespace vigil::loop {
class Loop;
}
namespace vigil::vrrp {
class Router;
}
namespace vigil::control {
class Operations;
}
namespace vigil::conf {
struct GlobalDefs;
struct Config;
}

namespace vigil::daemon {

// The LVS half of a daemon process (daemon/lvs_side.h has the real one).
class LvsSide {
 public:
  virtual ~LvsSide() = default;
  // After the Router started: programs the kernel, starts the checkers (and the ha_suspend
  // address watch).
  virtual void start() = 0;
  // After the Router took a new configuration (SIGHUP, control "reload"): `config`, the same
  // object the Router now shares (kept, not copied).
  virtual void reload(const std::shared_ptr<const conf::Config>& config) = 0;
  // Leaves (omega scripts, kernel objects removed unless -I); `done` runs once finished.
  virtual void shutdown(std::function<void()> done) = 0;
};

struct DaemonParts {
  // The LVS side for router.config(), its control commands added to `ops`. Null with `error`
  // empty: nothing to balance; null with `error` set: the daemon cannot start.
  std::function<std::unique_ptr<LvsSide>(loop::Loop& loop, const vrrp::Router& router,
                                         control::Operations& ops, const Options& options,
                                         std::string& error)>
      make_lvs;
  // /metrics for a process that serves it itself (not a supervised worker): the returned
  // object keeps the endpoint open. Null when not configured or on error (logged).
  std::function<std::shared_ptr<void>(loop::Loop& loop, const conf::GlobalDefs& global,
                                      std::function<std::string()> render)>
      open_metrics;
};

// vigild's parts: the LVS side and the /metrics endpoint (daemon/lvs_side.cpp).
DaemonParts full_daemon_parts();

}  // namespace vigil::daemon
