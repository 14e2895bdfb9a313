#include "check/health_manager.h"

#include <spdlog/spdlog.h>

#include "check/checker_driver.h"
#include "check/checker_factory.h"
#include "check/curl_multi.h"
#include "conf/model.h"
#include "loop/loop.h"
#include "notify/script_runner.h"

namespace vigil::check {

struct HealthManager::Scripts {
  Scripts(loop::Loop& loop, const conf::GlobalDefs& g)
      : runner(loop, notify::ScriptRunnerOptions{g.enable_script_security, g.script_user,
                                                 g.script_group, std::nullopt, std::nullopt}) {}
  notify::ScriptRunner runner;
};

struct HealthManager::Entry {
  RealServerRef ref;
  uint32_t configured_weight = 1;
  std::string rs_label, vs_label;
  std::vector<std::unique_ptr<CheckerDriver>> drivers;
  std::vector<Micros> warmups;
  RealServerVerdict verdict;

  RealServerVerdict evaluate() const {
    std::vector<CheckerContribution> c;
    c.reserve(drivers.size());
    for (const auto& d : drivers) c.push_back(d->contribution());
    return combine_checkers(configured_weight, c);
  }
  RealServerHealth health() const {
    RealServerHealth h{ref, verdict.up, verdict.weight, {}};
    for (const auto& d : drivers) h.checkers.push_back(d->status());
    return h;
  }
};

namespace {

std::string service_label(const IpAddress& a, std::optional<uint16_t> port,
                          std::string_view proto) {
  std::string s = "[" + a.to_string() + "]";
  if (port) s += ":" + std::string(proto) + ":" + std::to_string(*port);
  return s;
}

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

}  // namespace

HealthManager::HealthManager(loop::Loop& loop, const conf::Config& config,
                             std::function<void(const HealthChange&)> on_change)
    : loop_(loop),
      on_change_(std::move(on_change)),
      curl_(std::make_unique<CurlMulti>(loop)),
      scripts_(std::make_unique<Scripts>(loop, config.global)),
      rng_(std::random_device{}()) {
  CheckerContext ctx{loop, config, curl_.get(), &scripts_->runner};
  const auto& vss = config.lvs.virtual_servers;
  for (size_t vi = 0; vi < vss.size(); ++vi) {
    const conf::VirtualServer& vs = vss[vi];
    std::string_view proto = proto_name(vs);
    std::string vs_label = vs.kind == conf::VirtualServerKind::Address
                               ? service_label(vs.address, vs.port, proto)
                               : "[" + vs.label() + "]";
    for (size_t ri = 0; ri < vs.real_servers.size(); ++ri) {
      const conf::RealServer& rs = vs.real_servers[ri];
      auto entry = std::make_unique<Entry>();
      entry->ref = {vi, ri};
      entry->configured_weight = rs.weight;
      entry->rs_label = service_label(rs.address, rs.port, proto);
      entry->vs_label = vs_label;
      size_t index = entries_.size();
      for (const conf::HealthChecker& hc : rs.checkers) {
        std::string error;
        std::vector<std::unique_ptr<Checker>> checkers = make_checkers(ctx, vs, rs, hc, error);
        if (checkers.empty()) {
          std::string msg = "real server " + entry->rs_label + " of VS " + vs_label + ": " + error +
                            "; checker ignored";
          spdlog::error("{}", msg);
          errors_.push_back(std::move(msg));
          continue;
        }
        conf::CheckerTiming t = conf::resolve_checker_timing(vs, rs, hc);
        CheckerPolicy policy{t.alpha, t.retry, t.delay_before_retry, t.delay_loop, t.warmup};
        // A file's value is a fact, not a flaky probe: no retries for FILE_CHECK.
        if (hc.kind == conf::CheckerKind::File) policy.retry = 0;
        for (auto& checker : checkers) {
          size_t driver_index = entry->drivers.size();
          entry->drivers.push_back(std::make_unique<CheckerDriver>(
              loop, std::move(checker), policy, t.log_all_failures,
              [this, index, driver_index] { on_checker_change(index, driver_index); }));
          entry->warmups.push_back(t.warmup);
        }
      }
      entry->verdict = entry->evaluate();
      initial_.push_back(entry->health());
      entries_.push_back(std::move(entry));
    }
  }
}

HealthManager::~HealthManager() {
  stop();
}

void HealthManager::start() {
  if (started_) return;
  started_ = true;
  for (auto& e : entries_) {
    spdlog::info("Activating healthchecker for service {} for VS {}", e->rs_label, e->vs_label);
    for (size_t i = 0; i < e->drivers.size(); ++i) {
      Micros w = e->warmups[i];
      Micros draw{0};
      if (w.count() > 0) draw = Micros{std::uniform_int_distribution<int64_t>(0, w.count())(rng_)};
      e->drivers[i]->start(draw);
    }
  }
}

void HealthManager::stop() {
  if (!started_) return;
  started_ = false;
  for (auto& e : entries_)
    for (auto& d : e->drivers) d->stop();
}

std::vector<RealServerHealth> HealthManager::snapshot() const {
  std::vector<RealServerHealth> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_) out.push_back(e->health());
  return out;
}

const std::vector<RealServerHealth>& HealthManager::initial() {
  return initial_;
}

void HealthManager::on_checker_change(size_t entry_index, size_t driver_index) {
  Entry& e = *entries_[entry_index];
  RealServerVerdict v = e.evaluate();
  if (v == e.verdict) return;
  bool up_changed = v.up != e.verdict.up;
  e.verdict = v;
  // The reason: the latest result of a checker that disagrees with "up", else the last one.
  std::string reason = e.drivers[driver_index]->status().last_result;
  if (up_changed)
    spdlog::info("{} service {} {} VS {}", v.up ? "Adding" : "Removing", e.rs_label,
                 v.up ? "to" : "from", e.vs_label);
  else
    spdlog::info("Changing weight of service {} of VS {} to {}", e.rs_label, e.vs_label,
                 v.weight ? std::to_string(*v.weight) : std::string("configured"));
  if (on_change_) on_change_(HealthChange{e.ref, v.up, v.weight, reason});
}

}  // namespace vigil::check
