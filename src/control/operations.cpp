#include "control/operations.h"

#include <spdlog/spdlog.h>

#include "control/metrics.h"
#include "vrrp/router.h"

namespace vigil::control {

Operations::Operations(loop::Loop& loop, vrrp::Router& router, OperationsOptions options)
    : loop_(loop), router_(router), options_(std::move(options)) {}

Operations::~Operations() = default;

vrrp::RouterStatus Operations::snapshot() const {
  return router_.status();
}

void Operations::start() {
  // The hook is looked up at call time, so set_reload_hook() may come after start().
  register_core_commands(registry_, &router_, [this]() -> std::string {
    if (!reload_) return "reload is not available in this daemon";
    return reload_();
  });
  // This worker's part of /metrics and its process figures, for the supervisor that serves the
  // page on behalf of its workers.
  const double started = options_.start_time_seconds;
  registry_.add("metrics", [this, started](const Request&) {
    return ok_reply({{"metrics", metrics_parts()},
                     {"process", process_info_to_json(current_process_info(started))}});
  });
  if (!options_.control_socket.empty()) {
    std::string error;
    ControlServerOptions so;
    so.path = options_.control_socket;
    if (options_.worker) so.mode = 0600;
    server_ = ControlServer::open(loop_, registry_, so, error);
    if (!server_)
      spdlog::error("control socket: {}", error);
    else if (options_.worker)
      spdlog::info("worker control socket on {}", so.path);  // not the line users wait for
    else
      spdlog::info("control socket listening on {}", so.path);
  }
}

std::string Operations::metrics_parts() const {
  std::string page = options_.vrrp_metrics ? render_vrrp_metrics(snapshot()) : std::string();
  if (lvs_status_) page += render_lvs_metrics(lvs_status_());
  return page;
}

std::string Operations::metrics_page() const {
  return metrics_parts() +
         render_process_metrics(current_process_info(options_.start_time_seconds));
}

std::string Operations::write_dump(const std::string& name, const std::string& content) {
  const std::string path = options_.dump_dir + "/" + name;
  std::string error = write_private_file(path, content);
  if (!error.empty()) {
    spdlog::error("{}", error);
    return {};
  }
  spdlog::info("wrote {}", path);
  return path;
}

std::string Operations::dump_data() {
  return write_dump("keepalived.data", render_data_dump(snapshot(), router_.config()));
}

std::string Operations::dump_stats() {
  return write_dump("keepalived.stats", render_stats_dump(snapshot()));
}

std::string Operations::dump_json() {
  return write_dump("keepalived.json", render_json_dump(snapshot()));
}

}  // namespace vigil::control
