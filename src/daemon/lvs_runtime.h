// The LVS half of vigild: health checkers (check/HealthManager) feed the pool core (lb/Pool),
// whose desired state a data-plane back end (lb/DataPlane: nftables or IPVS) applies to the
// kernel. Pool events become keepalived's notify_up/notify_down and quorum_up/quorum_down
// scripts, smtp_alert mails for checker transitions and keepalived-style log lines.
//
// Lifetime: create() → start() → (set_vip_held / reload)* → shutdown(done). The runtime keeps
// its own copy of the configuration, or a share of it, so the caller's Config may go away
// (reload).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "conf/model.h"
#include "control/lvs_status.h"
#include "lb/data_plane.h"
#include "netlink/result.h"

namespace vigil::loop {
class Loop;
}

namespace vigil::daemon {

struct LvsRuntimeOptions {
  lb::DataPlaneKind data_plane = lb::DataPlaneKind::Auto;
  // -I / --dont-release-ipvs: leave the kernel's services in place at exit.
  bool keep_data_plane_on_exit = false;
};

class LvsRuntime {
 public:
  // Builds the data plane (the --lb choice) and the checkers; an Error when the back end is not
  // available (e.g. --lb ipvs on a kernel without IPVS).
  static netlink::Result<std::unique_ptr<LvsRuntime>> create(loop::Loop& loop,
                                                             const conf::Config& config,
                                                             LvsRuntimeOptions options);
  // The same with a given back end (tests use lb::FakeDataPlane).
  static std::unique_ptr<LvsRuntime> create_with(loop::Loop& loop, const conf::Config& config,
                                                 LvsRuntimeOptions options,
                                                 std::unique_ptr<lb::DataPlane> plane);
  ~LvsRuntime();
  LvsRuntime(const LvsRuntime&) = delete;
  LvsRuntime& operator=(const LvsRuntime&) = delete;

  // Programs the initial state (before any check ran) and starts the checkers.
  void start();

  // ha_suspend: the virtual server's services exist only while its address is held here.
  void set_vip_held(size_t vs_index, bool held);

  // SIGHUP reload. An unchanged LVS side keeps everything. Otherwise virtual servers (by
  // address/port/protocol, fwmark or group) and real servers (by address and port) that stay
  // keep their checkers, rise/fall state, drain and quorum state; only the checkers of added
  // real servers and the checkers whose inputs changed are built (starting from their initial
  // state), removed ones are destroyed, and the back end re-renders only the services that
  // differ. A change of global_defs, the SSL block, track files or BFD instances rebuilds all
  // checkers and the pool (real servers restart from their initial state).
  void reload(const conf::Config& config);
  // The same with a configuration shared with its other users: kept instead of copied.
  void reload(std::shared_ptr<const conf::Config> config);

  // Daemon exit: omega's notify_down/quorum_down scripts, then vigil's kernel objects are
  // removed (unless keep_data_plane_on_exit). `done` runs once those scripts ended, or after
  // a bounded wait.
  void shutdown(std::function<void()> done);

  std::string data_plane_name() const;

  // Operator drain / enable at run time (`vigilctl rs drain|enable VS RS`): a drained real
  // server stays in the pool with weight 0 (new connections go elsewhere, established ones
  // finish) whatever its checkers say, until enabled again; a reload keeps the drains of the
  // real servers it keeps, unless it rebuilds the whole LVS side. VS and RS are matched by
  // `192.0.2.100:80`, keepalived's
  // `[192.0.2.100]:tcp:80`, `fwmark N` / `group NAME`, or the bare address when unique.
  // Returns "" on success, else why not.
  std::string set_drained(const std::string& virtual_server, const std::string& real_server,
                          bool drained);

  // Virtual servers, their real servers (health, effective input, drained, checker results
  // and latency) and quorum, for the control socket's "lvs" command and /metrics.
  control::LvsStatus status() const;

 private:
  struct Impl;
  explicit LvsRuntime(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// True when `config` has anything for the LVS runtime to do.
inline bool has_lvs_work(const conf::Config& config) {
  return !config.lvs.virtual_servers.empty();
}

}  // namespace vigil::daemon
