#include "daemon/lvs_runtime.h"

#include <unistd.h>

#include <algorithm>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "check/health_manager.h"
#include "conf/load.h"
#include "conf/lvs_match.h"
#include "lb/pool.h"
#include "loop/loop.h"
#include "loop/timer.h"
#include "notify/script_runner.h"
#include "notify/smtp_alert.h"

namespace vigil::daemon {
namespace {

// After a failed apply the back end rebuilds its objects on the next one; retry on a timer so
// a transient failure (an interface not up yet) does not wait for the next health change.
constexpr Millis kApplyRetry{1000};
// How long exit waits for omega's notify_down / quorum_down scripts.
constexpr Millis kShutdownScriptWait{5000};

std::string_view proto_name(const conf::VirtualServer& vs) {
  switch (conf::effective_protocol(vs)) {
    case conf::LvsProtocol::Tcp:
      return "tcp";
    case conf::LvsProtocol::Udp:
      return "udp";
    case conf::LvsProtocol::Sctp:
      return "sctp";
  }
  return "tcp";
}

// keepalived's "[192.0.2.21]:tcp:80" form.
std::string service_label(const IpAddress& a, std::optional<uint16_t> port,
                          std::string_view proto) {
  std::string s = "[" + a.to_string() + "]";
  if (port) s += ":" + std::string(proto) + ":" + std::to_string(*port);
  return s;
}

std::string vs_label(const conf::VirtualServer& vs) {
  if (vs.kind == conf::VirtualServerKind::Address)
    return service_label(vs.address, vs.port, proto_name(vs));
  return "[" + vs.label() + "]";
}

std::string rs_label(const conf::VirtualServer& vs, const conf::RealServer& rs) {
  return service_label(rs.address, rs.port ? rs.port : vs.port, proto_name(vs));
}

std::string sorry_label(const conf::VirtualServer& vs) {
  return service_label(vs.sorry_server->address,
                       vs.sorry_server->port ? vs.sorry_server->port : vs.port, proto_name(vs));
}

// Checker mails: the real server's smtp_alert, else the virtual server's, else global
// smtp_alert_checker, else global smtp_alert; and only with a mail server and recipients.
bool checker_mail_enabled(const conf::GlobalDefs& g, const conf::VirtualServer& vs,
                          const conf::RealServer& rs) {
  if (!g.smtp_server || g.notification_email.empty()) return false;
  if (rs.smtp_alert) return *rs.smtp_alert;
  if (vs.smtp_alert) return *vs.smtp_alert;
  return g.smtp_alert_checker.value_or(g.smtp_alert.value_or(false));
}

notify::ScriptRunnerOptions runner_options(const conf::GlobalDefs& g) {
  notify::ScriptRunnerOptions o;
  o.enable_script_security = g.enable_script_security;
  o.script_user = g.script_user;
  o.script_group = g.script_group;
  return o;
}

}  // namespace

struct LvsRuntime::Impl {
  Impl(loop::Loop& l, LvsRuntimeOptions o, std::unique_ptr<lb::DataPlane> p)
      : loop(l), options(o), plane(std::move(p)), retry_timer(l, [this] { sync(); }) {}

  loop::Loop& loop;
  LvsRuntimeOptions options;
  std::unique_ptr<lb::DataPlane> plane;
  // Declaration order matters: the pool and the checkers refer to `config`.
  std::shared_ptr<const conf::Config> config;
  std::unique_ptr<notify::ScriptRunner> scripts;
  std::unique_ptr<lb::Pool> pool;
  std::unique_ptr<check::HealthManager> health;
  loop::Timer retry_timer;
  std::optional<lb::DesiredState> applied;
  std::set<lb::RealServerKey> drained;  // operator drains; survive health changes
  bool apply_failed = false;
  bool stopping = false;
  int scripts_running = 0;
  std::function<void()> shutdown_done;
  std::unique_ptr<loop::Timer> shutdown_timer;

  const conf::VirtualServer& vs(size_t i) const { return config->lvs.virtual_servers[i]; }

  void build(std::shared_ptr<const conf::Config> c) {
    health.reset();
    pool.reset();
    scripts.reset();
    config = std::move(c);
    drained.clear();
    scripts = std::make_unique<notify::ScriptRunner>(loop, runner_options(config->global));
    pool = std::make_unique<lb::Pool>(config->lvs);
    health = std::make_unique<check::HealthManager>(
        loop, *config, [this](const check::HealthChange& ch) { on_health(ch); });
  }

  // Reload with global_defs, the SSL block, track files and BFD unchanged: virtual and real
  // servers that stay keep their checkers (unless a checker's inputs changed), health, drain
  // and quorum state; only added, removed or changed ones are built or destroyed, and the back
  // end re-renders only the services whose desired state differs.
  void reconfigure(std::shared_ptr<const conf::Config> next) {
    const conf::LvsMatch match = conf::match_lvs(config->lvs, next->lvs);
    const size_t built = health->reconfigure(*config, *next, match);
    pool->reconfigure(next->lvs, match);
    std::set<lb::RealServerKey> still_drained;
    size_t kept_vs = 0, kept_rs = 0, total_rs = 0;
    for (size_t v = 0; v < match.vs_from.size(); ++v) {
      total_rs += match.rs_from[v].size();
      if (!match.vs_from[v]) continue;
      ++kept_vs;
      for (size_t r = 0; r < match.rs_from[v].size(); ++r) {
        if (!match.rs_from[v][r]) continue;
        ++kept_rs;
        if (drained.count({*match.vs_from[v], *match.rs_from[v][r]})) still_drained.insert({v, r});
      }
    }
    drained = std::move(still_drained);
    // The old model goes once nothing points into it, which is now; freeing a large one takes
    // milliseconds (~6 ms for 37,205 real servers), so that runs after the commit, not before.
    loop.post([retired = std::exchange(config, std::move(next))] {});
    spdlog::info(
        "LVS: configuration changed; kept {} of {} virtual server(s) and {} of {} real "
        "server(s) with their state, built {} checker(s)",
        kept_vs, match.vs_from.size(), kept_rs, total_rs, built);
    // Real servers whose checkers changed may have a new combined state.
    for (const check::RealServerHealth& h : health->verdicts()) {
      const lb::RealServerKey key{h.rs.vs_index, h.rs.rs_index};
      pool->set_real_server(key, {h.up, h.weight, drained.count(key) > 0});
    }
    sync();
    for (const lb::PoolEvent& e : pool->take_events()) handle(e, "reload", false);
  }

  void begin() {
    // The state before any check ran: up, or down with alpha.
    for (const check::RealServerHealth& h : health->initial())
      pool->set_real_server({h.rs.vs_index, h.rs.rs_index}, {h.up, h.weight, false});
    sync();
    // At start only the quorum events count (keepalived runs no notify_up/down for the
    // initial state).
    for (const lb::PoolEvent& e : pool->take_events()) {
      if (e.kind == lb::PoolEvent::Kind::QuorumDown || e.kind == lb::PoolEvent::Kind::QuorumUp)
        handle(e, "", true);
    }
    health->start();
  }

  void on_health(const check::HealthChange& ch) {
    if (stopping) return;
    const lb::RealServerKey key{ch.rs.vs_index, ch.rs.rs_index};
    pool->set_real_server(key, {ch.up, ch.weight, drained.count(key) > 0});
    sync();
    for (const lb::PoolEvent& e : pool->take_events()) handle(e, ch.reason, false);
  }

  void sync() {
    if (stopping) return;
    // One real server's health usually changes one virtual server: patch its services into
    // the applied state and let the back end look at those alone (no desired state of the
    // whole pool, no comparison of every destination).
    std::optional<std::vector<size_t>> changed = pool->take_changed();
    if (changed && applied && !apply_failed) {
      std::vector<lb::ServiceKey> keys;
      if (patch_applied(*changed, keys)) {
        if (keys.empty()) return;
        finish_apply(plane->apply_changed(*applied, keys), std::nullopt);
        return;
      }
      applied.reset();  // half patched: compare everything below
    }
    lb::DesiredState next = pool->desired();
    if (!apply_failed && applied && *applied == next) return;
    netlink::Result<void> r = plane->apply(next);
    finish_apply(std::move(r), std::move(next));
  }

  // Replaces the services of the `changed` virtual servers in `applied`; `keys` gets those that
  // differ. False when that cannot stand for desired(): a service shared with another
  // virtual server, or one that is not in `applied`.
  bool patch_applied(const std::vector<size_t>& changed, std::vector<lb::ServiceKey>& keys) {
    for (size_t v : changed) {
      if (pool->shares_services(v)) return false;
      for (lb::Service& s : pool->services(v)) {
        auto it = std::lower_bound(
            applied->services.begin(), applied->services.end(), s.key,
            [](const lb::Service& a, const lb::ServiceKey& k) { return a.key < k; });
        if (it == applied->services.end() || !(it->key == s.key)) return false;
        if (*it == s) continue;
        keys.push_back(s.key);
        *it = std::move(s);
      }
    }
    return true;
  }

  // `next`: the state applied, when it is not `applied` already (patched in place).
  void finish_apply(netlink::Result<void> r, std::optional<lb::DesiredState> next) {
    if (!r) {
      spdlog::error("data plane ({}): cannot apply the load-balancer state: {}; retrying in {} s",
                    plane->name(), r.error().message, kApplyRetry.count() / 1000);
      apply_failed = true;
      applied.reset();
      retry_timer.arm_after(kApplyRetry);
      return;
    }
    if (apply_failed)
      spdlog::info("data plane ({}): load-balancer state applied again", plane->name());
    apply_failed = false;
    if (next) applied = std::move(next);
  }

  void handle(const lb::PoolEvent& e, const std::string& reason, bool at_start) {
    const conf::VirtualServer& v = vs(e.vs_index);
    const std::string vl = vs_label(v);
    using K = lb::PoolEvent::Kind;
    switch (e.kind) {
      case K::RealServerUp:
      case K::RealServerDown: {
        if (!e.rs_index || *e.rs_index >= v.real_servers.size()) return;
        const conf::RealServer& rs = v.real_servers[*e.rs_index];
        const bool up = e.kind == K::RealServerUp;
        const auto& script = up ? *rs.notify_up : *rs.notify_down;
        run_script(script, std::string(up ? "notify_up" : "notify_down") + " of service " +
                               rs_label(v, rs) + " of VS " + vl);
        if (!stopping && checker_mail_enabled(config->global, v, rs))
          send_checker_mail(v, rs, up, reason);
        return;
      }
      case K::QuorumDown: {
        const int64_t threshold = int64_t{v.quorum} - v.hysteresis;
        spdlog::info("{} {}-{}={} > {} for VS {}",
                     at_start ? "Starting with quorum down" : "Lost quorum", v.quorum, v.hysteresis,
                     threshold, pool->live_weight(e.vs_index), vl);
        if (v.sorry_server && !stopping) {
          spdlog::info("Adding sorry server {} to VS {}", sorry_label(v), vl);
          spdlog::info("Removing alive servers from the pool for VS {}", vl);
        }
        run_script(v.quorum_down, "quorum_down of VS " + vl);
        return;
      }
      case K::QuorumUp: {
        const int64_t threshold = int64_t{v.quorum} + v.hysteresis;
        spdlog::info("Gained quorum {}+{}={} <= {} for VS {}", v.quorum, v.hysteresis, threshold,
                     pool->live_weight(e.vs_index), vl);
        if (v.sorry_server) {
          spdlog::info("Removing sorry server {} from VS {}", sorry_label(v), vl);
          spdlog::info("Adding alive servers to the pool for VS {}", vl);
        }
        run_script(v.quorum_up, "quorum_up of VS " + vl);
        return;
      }
    }
  }

  void run_script(const std::optional<conf::LvsScript>& script, const std::string& what) {
    if (!script || script->command.empty()) return;
    std::string error;
    std::optional<notify::PreparedScript> prepared =
        scripts->prepare({script->command, {}, script->user, script->group}, error);
    if (!prepared) {
      spdlog::error("cannot run {} ({}): {}", what, script->command, error);
      return;
    }
    prepared->purpose = what;
    spdlog::info("Executing [{}] for {}", script->command, what);
    ++scripts_running;
    // The runner logs how the script ended.
    pid_t pid = scripts->run(*prepared, {}, [this](const loop::ChildResult&) { script_ended(); });
    if (pid < 0) script_ended();
  }

  void script_ended() {
    if (scripts_running > 0) --scripts_running;
    if (scripts_running == 0 && shutdown_done) finish_shutdown();
  }

  void send_checker_mail(const conf::VirtualServer& v, const conf::RealServer& rs, bool up,
                         const std::string& reason) {
    notify::MailSettings s = notify::mail_settings_from(config->global);
    notify::Mail m;
    m.subject = "[" + s.router_id + "] Realserver " + rs_label(v, rs) + " of virtual server " +
                vs_label(v) + " - " + (up ? "UP" : "DOWN");
    m.body = "=> " +
             (reason.empty() ? std::string(up ? "CHECK succeed" : "CHECK failed") : reason) +
             " on service <=\n";
    notify::send_mail_async(s, std::move(m));
  }

  void shutdown(std::function<void()> done) {
    if (stopping) return;
    stopping = true;
    if (health) health->stop();
    // omega: the live real servers' notify_down and quorum_down, before the services go.
    if (pool)
      for (const lb::PoolEvent& e : pool->shutdown_events()) handle(e, "shutdown", false);
    retry_timer.cancel();
    if (options.keep_data_plane_on_exit) {
      spdlog::info("data plane ({}): leaving the load-balancer state in place (-I)", plane->name());
    } else {
      spdlog::info("data plane ({}): removing vigil's load-balancer state", plane->name());
      plane->remove_all();
    }
    shutdown_done = std::move(done);
    if (scripts_running == 0) {
      loop.post([this] { finish_shutdown(); });
      return;
    }
    shutdown_timer = std::make_unique<loop::Timer>(loop, [this] {
      spdlog::warn("{} shutdown script(s) still running; not waiting longer", scripts_running);
      finish_shutdown();
    });
    shutdown_timer->arm_after(kShutdownScriptWait);
  }

  void finish_shutdown() {
    if (shutdown_timer) shutdown_timer->cancel();
    if (auto done = std::move(shutdown_done)) {
      shutdown_done = nullptr;
      done();
    }
  }
};

namespace {

bool names_virtual_server(const conf::VirtualServer& v, const std::string& name) {
  if (name == v.label() || name == vs_label(v)) return true;
  return v.kind == conf::VirtualServerKind::Address && name == v.address.to_string();
}

bool names_real_server(const conf::VirtualServer& v, const conf::RealServer& rs,
                       const std::string& name) {
  if (name == rs_label(v, rs) || name == rs.address.to_string()) return true;
  const std::optional<uint16_t> port = rs.port ? rs.port : v.port;
  if (!port) return false;
  const std::string addr = rs.address.family() == Family::V6 ? "[" + rs.address.to_string() + "]"
                                                             : rs.address.to_string();
  return name == addr + ":" + std::to_string(*port);
}

}  // namespace

std::string LvsRuntime::set_drained(const std::string& virtual_server,
                                    const std::string& real_server, bool drain) {
  Impl& m = *impl_;
  if (!m.config || !m.pool) return "no virtual servers are running";
  std::vector<lb::RealServerKey> found;
  const auto& vss = m.config->lvs.virtual_servers;
  for (size_t i = 0; i < vss.size(); ++i) {
    if (!names_virtual_server(vss[i], virtual_server)) continue;
    for (size_t j = 0; j < vss[i].real_servers.size(); ++j)
      if (names_real_server(vss[i], vss[i].real_servers[j], real_server)) found.push_back({i, j});
  }
  if (found.empty())
    return "no real server `" + real_server + "` in virtual server `" + virtual_server + "`";
  if (found.size() > 1)
    return "`" + virtual_server + "` / `" + real_server + "` names " +
           std::to_string(found.size()) + " real servers; give address and port";
  const lb::RealServerKey key = found.front();
  if (drain)
    m.drained.insert(key);
  else
    m.drained.erase(key);
  lb::RealServerInput in =
      m.pool->real_server(key) ? *m.pool->real_server(key) : lb::RealServerInput{};
  in.drained = drain;
  m.pool->set_real_server(key, in);
  spdlog::info("{} service {} of VS {} (operator request)", drain ? "Draining" : "Enabling",
               rs_label(vss[key.vs_index], vss[key.vs_index].real_servers[key.rs_index]),
               vs_label(vss[key.vs_index]));
  m.sync();
  for (const lb::PoolEvent& e : m.pool->take_events()) m.handle(e, "operator request", false);
  return {};
}

control::LvsStatus LvsRuntime::status() const {
  const Impl& m = *impl_;
  control::LvsStatus out;
  if (!m.config || !m.pool) return out;
  std::vector<check::RealServerHealth> health;
  if (m.health) health = m.health->snapshot();
  const auto& vss = m.config->lvs.virtual_servers;
  for (size_t i = 0; i < vss.size(); ++i) {
    const conf::VirtualServer& v = vss[i];
    control::VirtualServerStatus vs{vs_label(v), m.pool->quorum_up(i), m.pool->live_weight(i), {}};
    for (size_t j = 0; j < v.real_servers.size(); ++j) {
      const lb::RealServerKey key{i, j};
      const lb::RealServerInput* in = m.pool->real_server(key);
      control::RealServerStatus rs;
      rs.name = rs_label(v, v.real_servers[j]);
      rs.up = in ? in->up : true;
      rs.weight = in && in->weight ? *in->weight : v.real_servers[j].weight;
      rs.drained = m.drained.count(key) > 0;
      for (const auto& h : health)
        if (h.rs.vs_index == i && h.rs.rs_index == j)
          rs.checkers.insert(rs.checkers.end(), h.checkers.begin(), h.checkers.end());
      vs.real_servers.push_back(std::move(rs));
    }
    out.push_back(std::move(vs));
  }
  return out;
}

netlink::Result<std::unique_ptr<LvsRuntime>> LvsRuntime::create(loop::Loop& loop,
                                                                const conf::Config& config,
                                                                LvsRuntimeOptions options) {
  auto plane = lb::make_data_plane(options.data_plane);
  if (!plane) return plane.error();
  return create_with(loop, config, options, std::move(*plane));
}

std::unique_ptr<LvsRuntime> LvsRuntime::create_with(loop::Loop& loop, const conf::Config& config,
                                                    LvsRuntimeOptions options,
                                                    std::unique_ptr<lb::DataPlane> plane) {
  auto impl = std::make_unique<Impl>(loop, options, std::move(plane));
  impl->build(std::make_shared<const conf::Config>(config));
  return std::unique_ptr<LvsRuntime>(new LvsRuntime(std::move(impl)));
}

LvsRuntime::LvsRuntime(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LvsRuntime::~LvsRuntime() = default;

void LvsRuntime::start() {
  spdlog::info("LVS: {} virtual server(s), data plane {}",
               impl_->config->lvs.virtual_servers.size(), impl_->plane->name());
  impl_->begin();
}

void LvsRuntime::set_vip_held(size_t vs_index, bool held) {
  if (impl_->stopping) return;
  impl_->pool->set_vip_held(vs_index, held);
  impl_->sync();
}

void LvsRuntime::reload(const conf::Config& config) {
  reload(std::make_shared<const conf::Config>(config));
}

void LvsRuntime::reload(std::shared_ptr<const conf::Config> next) {
  if (impl_->stopping) return;
  const conf::Config& cur = *impl_->config;
  const conf::Config& config = *next;
  // global_defs (script user, mail settings), the SSL block, track files and BFD instances
  // reach every checker: a change there rebuilds all of them. Otherwise only the virtual and
  // real servers that changed are touched.
  const bool shared_changed =
      conf::global_defs_to_json(cur.global) != conf::global_defs_to_json(config.global) ||
      cur.lvs.ssl != config.lvs.ssl || cur.track_files != config.track_files ||
      cur.lvs.bfd != config.lvs.bfd;
  if (!shared_changed) {
    if (cur.lvs == config.lvs) {
      spdlog::info("LVS: configuration unchanged by the reload");
      return;
    }
    impl_->reconfigure(std::move(next));
    return;
  }
  spdlog::info("LVS: global settings changed; rebuilding the checkers and the pool");
  impl_->build(std::move(next));
  impl_->begin();
}

void LvsRuntime::shutdown(std::function<void()> done) {
  impl_->shutdown(std::move(done));
}

std::string LvsRuntime::data_plane_name() const {
  return impl_->plane->name();
}

}  // namespace vigil::daemon
