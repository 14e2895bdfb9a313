// Reload (SIGHUP, or the control socket's `reload` command): read the configuration file
// again with the options the daemon started with (-f, -i). An invalid file changes nothing:
// every problem is logged with file:line:col and the running configuration stays. A valid
// one is applied in place by the VRRP runtime (vrrp/reconfigure.h), framed by systemd's
// RELOADING=1 / READY=1.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "conf/load.h"
#include "conf/model.h"
#include "daemon/options.h"
#include "vrrp/router.h"

namespace vigil::daemon {

// What status output shows about reloads.
struct ReloadStatus {
  uint64_t count = 0;   // reload attempts
  uint64_t failed = 0;  // attempts that kept the running configuration
  std::optional<std::chrono::system_clock::time_point> last_at;
  bool last_ok = false;
  size_t last_error_count = 0;
  // The applied change ("2 unchanged, 1 changed in place, ...") or why nothing was applied.
  std::string last_summary;
};

// Loads the configuration file as `options` say and logs every diagnostic (errors and
// warnings, each with file:line:col). Returns nullptr when the file is invalid; then
// `error_count` says how many errors were found. Parsing allocates and frees far more than the
// Config keeps (the tree, the diagnostics): the caller settles the freed heap
// (base/heap_policy.h) once nothing urgent waits (a trim's page releases cost a TLB shootdown
// per range: on a reload's path they delayed the workers' signal and the LVS commit).
std::shared_ptr<const conf::Config> load_config_logged(const Options& options, size_t& error_count);
// The same for a file loaded earlier (the staged reload's prepare): its diagnostics are logged
// now.
std::shared_ptr<const conf::Config> take_config_logged(conf::LoadResult&& loaded,
                                                       size_t& error_count);
// The file as `options` name it, loaded and validated; nothing logged.
conf::LoadResult load_config_quietly(const Options& options);

// About the heap a load of `config` leaves allocated (its virtual and real servers with their
// checkers, its VRRP instances): what settle_heap_after_load() keeps mapped for the next
// reload. Counted from the model, not measured: glibc's mallinfo2() walks every free chunk,
// tens of milliseconds in a checker worker's fragmented heap.
size_t config_heap_estimate(const conf::Config& config);

class Reloader {
 public:
  Reloader(const Options& options, vrrp::Router& router) : options_(options), router_(router) {}

  // Runs one reload on the loop thread; true when the new configuration is in force.
  bool reload();
  // The same with a file loaded before (daemon/staged_reload.h): only its diagnostics are
  // logged now, then it is applied.
  bool reload(conf::LoadResult loaded);
  const ReloadStatus& status() const { return status_; }
  // The configuration the last successful reload applied (shared with the Router, not a
  // copy); null before the first one.
  const std::shared_ptr<const conf::Config>& current() const { return current_; }

 private:
  bool apply(std::shared_ptr<const conf::Config> next, size_t errors);

  const Options& options_;
  vrrp::Router& router_;
  ReloadStatus status_;
  std::shared_ptr<const conf::Config> current_;
};

}  // namespace vigil::daemon
