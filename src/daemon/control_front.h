// The supervisor's side of the control socket and /metrics. Users see one socket: the parent
// owns it and passes each request to the worker that can answer it, over the worker's private
// socket (control/relay_client.h), without blocking its loop:
//   status           VRRP worker's status, plus the checker worker's virtual servers and the
//                    workers' pids and restart counts
//   instance         VRRP worker
//   rs, lvs          checker worker
//   reload           the supervisor's two-phase reload (SIGHUP's): the workers prepare while
//                    the parent validates, then commit or abort (daemon/staged_reload.h)
//   metrics          every worker's part of the /metrics page (control/metrics.h)
// A worker that is down or does not answer in time gives an error reply naming it
// ("vrrp worker restarting"). /metrics is served by the parent: the workers' "metrics" replies
// (VRRP and LVS parts, their process figures) plus its own process part, the HTTP connection
// suspended meanwhile (MetricsServer::open_async).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/address.h"
#include "control/server.h"

namespace vigil::loop {
class Loop;
}
namespace vigil::control {
class MetricsServer;
}

namespace vigil::daemon {

struct WorkerInfo {
  std::string kind;  // "vrrp" / "check"
  bool wanted = false;
  bool running = false;
  bool ready = false;  // reported READY=1 since its last start
  pid_t pid = -1;
  unsigned restarts = 0;
  std::string socket;  // its private control socket
};

class ControlFront {
 public:
  struct Hooks {
    std::function<std::vector<WorkerInfo>()> workers;
    // The "reload" command: runs the reload and calls `done` once every worker has answered,
    // with "" when the new configuration is in force, else the error for the reply.
    std::function<void(std::function<void(std::string error)> done)> reload;
  };
  ControlFront(loop::Loop& loop, Hooks hooks);
  ~ControlFront();

  // Opens the public socket and, when an address is given, /metrics. Problems are logged.
  void start(const std::string& socket_path, const std::optional<IpAddress>& metrics_address,
             uint16_t metrics_port, const std::string& metrics_listen);

 private:
  void dispatch(const std::string& line, control::ReplyFn reply);
  std::optional<WorkerInfo> worker(const std::string& kind) const;
  void relay(const WorkerInfo& w, const nlohmann::json& request,
             std::function<void(nlohmann::json reply)> done);
  void status(const nlohmann::json& request, control::ReplyFn reply);
  void reload(control::ReplyFn reply);
  void metrics_page(std::function<void(std::string)> done);

  loop::Loop& loop_;
  Hooks hooks_;
  std::unique_ptr<control::ControlServer> server_;
  std::unique_ptr<control::MetricsServer> metrics_;
  double start_time_seconds_;  // vigil_start_time_seconds: the supervisor's start
};

// What an operator reads when a worker cannot answer ("vrrp worker restarting").
std::string worker_unavailable(const WorkerInfo& w, const std::string& relay_error = {});

}  // namespace vigil::daemon
