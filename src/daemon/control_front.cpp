#include "daemon/control_front.h"

#include <spdlog/spdlog.h>

#include <ctime>

#include "control/metrics.h"
#include "control/metrics_http.h"
#include "control/protocol.h"
#include "control/relay_client.h"
#include "control/status_json.h"
#include "loop/loop.h"
#include "vrrp/status.h"

namespace vigil::daemon {

using nlohmann::json;

namespace {

// How long a worker may take to answer one relayed request.
constexpr Millis kRelayTimeout{5000};

json with_id(json reply, const json& request) {
  if (auto id = request.find("id"); id != request.end()) reply["id"] = *id;
  return reply;
}

}  // namespace

std::string worker_unavailable(const WorkerInfo& w, const std::string& relay_error) {
  if (!w.running) return w.kind + " worker restarting";
  if (!w.ready) return w.kind + " worker starting";
  return w.kind + " worker: " + (relay_error.empty() ? std::string("no answer") : relay_error);
}

ControlFront::ControlFront(loop::Loop& loop, Hooks hooks)
    : loop_(loop),
      hooks_(std::move(hooks)),
      start_time_seconds_(static_cast<double>(std::time(nullptr))) {}

ControlFront::~ControlFront() = default;

void ControlFront::start(const std::string& socket_path,
                         const std::optional<IpAddress>& metrics_address, uint16_t metrics_port,
                         const std::string& metrics_listen) {
  if (!socket_path.empty()) {
    std::string error;
    control::ControlServerOptions so;
    so.path = socket_path;
    server_ = control::ControlServer::open_async(
        loop_, [this](const std::string& line, control::ReplyFn reply) { dispatch(line, reply); },
        so, error);
    if (server_)
      spdlog::info("control socket listening on {}", so.path);
    else
      spdlog::error("control socket: {}", error);
  }
  if (metrics_address && metrics_port != 0) {
    std::string error;
    metrics_ = control::MetricsServer::open_async(
        loop_, *metrics_address, metrics_port,
        [this](std::function<void(std::string)> done) { metrics_page(std::move(done)); }, error);
    if (metrics_)
      spdlog::info("metrics on http://{}/metrics", metrics_listen);
    else
      spdlog::error("metrics: {}", error);
  }
}

std::optional<WorkerInfo> ControlFront::worker(const std::string& kind) const {
  for (auto& w : hooks_.workers())
    if (w.kind == kind && w.wanted) return w;
  return std::nullopt;
}

void ControlFront::relay(const WorkerInfo& w, const json& request,
                         std::function<void(json reply)> done) {
  if (!w.running || !w.ready) {
    const std::string why = worker_unavailable(w);
    loop_.post([done, why] { done(control::error_reply(why)); });
    return;
  }
  control::relay_request(loop_, w.socket, request, kRelayTimeout,
                         [w, done](std::optional<json> reply, std::string error) {
                           if (reply)
                             done(std::move(*reply));
                           else
                             done(control::error_reply(worker_unavailable(w, error)));
                         });
}

void ControlFront::dispatch(const std::string& line, control::ReplyFn reply) {
  auto parsed = control::parse_request(line);
  if (auto* err = std::get_if<control::RequestError>(&parsed))
    return reply(control::error_reply(err->message));
  const control::Request& req = std::get<control::Request>(parsed);
  const json body = req.body;
  auto answer = [reply, body](json r) { reply(with_id(std::move(r), body)); };
  const std::string& cmd = req.command;
  if (cmd == "status") return status(body, answer);
  if (cmd == "reload") return reload(answer);
  if (cmd == "metrics")  // the whole page, as /metrics serves it
    return metrics_page([answer](std::string page) {
      answer(control::ok_reply({{"metrics", std::move(page)}}));
    });
  std::string kind;
  if (cmd == "instance") {
    kind = "vrrp";
  } else if (cmd == "rs" || cmd == "lvs") {
    kind = "check";
  } else {
    return answer(control::error_reply("unknown command \"" + cmd + "\""));
  }
  auto w = worker(kind);
  if (!w) {
    if (kind == "vrrp") {
      const std::string name = body.value("name", "");
      return answer(control::error_reply("no vrrp_instance \"" + name + "\""));
    }
    return answer(control::error_reply("no virtual servers are configured"));
  }
  relay(*w, body, answer);
}

void ControlFront::status(const json& request, control::ReplyFn reply) {
  auto vrrp = worker("vrrp");
  auto check = worker("check");
  struct Gather {
    std::optional<json> vrrp, check;
    int pending = 0;
  };
  auto g = std::make_shared<Gather>();
  g->pending = (vrrp ? 1 : 0) + (check ? 1 : 0);
  json workers = json::array();
  for (const auto& w : hooks_.workers())
    if (w.wanted)
      workers.push_back({{"kind", w.kind},
                         {"pid", w.running ? json(w.pid) : json(nullptr)},
                         {"running", w.running},
                         {"restarts", w.restarts}});
  auto finish = [g, reply, workers] {
    json status;
    if (g->vrrp) {
      if (!g->vrrp->value("ok", false)) return reply(*g->vrrp);
      status = g->vrrp->value("status", json::object());
    } else {
      status = control::status_to_json(vrrp::RouterStatus{});
    }
    if (g->check) {
      if (g->check->value("ok", false))
        status["virtual_servers"] = g->check->value("virtual_servers", json::array());
      else
        status["virtual_servers_error"] = g->check->value("error", "");
    }
    status["workers"] = workers;
    reply(control::ok_reply({{"status", status}}));
  };
  if (g->pending == 0) return finish();
  auto one = [g, finish](std::optional<json>& slot, json r) {
    slot = std::move(r);
    if (--g->pending == 0) finish();
  };
  if (vrrp) relay(*vrrp, request, [g, one](json r) { one(g->vrrp, std::move(r)); });
  if (check)
    relay(*check, json{{"command", "lvs"}}, [g, one](json r) { one(g->check, std::move(r)); });
}

void ControlFront::reload(control::ReplyFn reply) {
  if (!hooks_.reload) return reply(control::error_reply("reload is not available"));
  hooks_.reload([reply](const std::string& error) {
    if (error.empty())
      reply(control::ok_reply({{"reload", "done"}}));
    else
      reply(control::error_reply(error));
  });
}

// Every worker's part (VRRP, LVS) and process figures, then the parent's own process part with
// one vigil_worker_* series per worker. A worker that is down or does not answer leaves its
// part out, shows vigil_worker_up 0, and says why in a comment line.
void ControlFront::metrics_page(std::function<void(std::string)> done) {
  std::vector<WorkerInfo> targets;
  for (const auto& w : hooks_.workers())
    if (w.wanted) targets.push_back(w);
  struct Gather {
    std::vector<std::string> parts;
    std::vector<control::WorkerMetrics> workers;
    size_t pending = 0;
  };
  auto g = std::make_shared<Gather>();
  g->parts.resize(targets.size());
  g->pending = targets.size();
  const double started = start_time_seconds_;
  auto finish = [g, done, started] {
    std::string page;
    for (const auto& p : g->parts) page += p;
    done(page +
         control::render_process_metrics(control::current_process_info(started), g->workers));
  };
  for (const auto& w : targets) g->workers.push_back({w.kind, false, w.restarts, std::nullopt});
  if (targets.empty()) return finish();
  for (size_t i = 0; i < targets.size(); ++i)
    relay(targets[i], json{{"command", "metrics"}}, [g, i, finish, w = targets[i]](json r) {
      if (r.value("ok", false)) {
        g->parts[i] = r.value("metrics", std::string());
        g->workers[i].up = true;
        g->workers[i].process = control::process_info_from_json(r.value("process", json()));
      } else {
        g->parts[i] = "# " + r.value("error", worker_unavailable(w)) + "\n";
      }
      if (--g->pending == 0) finish();
    });
}

}  // namespace vigil::daemon
