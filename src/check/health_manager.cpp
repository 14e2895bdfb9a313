#include "check/health_manager.h"

#include <spdlog/spdlog.h>

#include "check/checker_driver.h"
#include "check/checker_factory.h"
#include "check/curl_multi.h"
#include "conf/lvs_match.h"
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
  // Per driver: the index of the conf::HealthChecker (in the real server's checkers) it was
  // built from; SMTP_CHECK's host blocks give one checker several drivers.
  std::vector<size_t> checker_index;
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

struct HealthManager::Builder {
  const conf::Config& config;
  CheckerContext ctx;
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
  Builder b{config, CheckerContext{loop, config, curl_.get(), &scripts_->runner}};
  const auto& vss = config.lvs.virtual_servers;
  for (size_t vi = 0; vi < vss.size(); ++vi) {
    for (size_t ri = 0; ri < vss[vi].real_servers.size(); ++ri) {
      auto entry = make_entry(b, vi, ri);
      initial_.push_back(entry->health());
      entries_.push_back(std::move(entry));
    }
  }
}

std::unique_ptr<HealthManager::Entry> HealthManager::make_entry(Builder& b, size_t vi, size_t ri) {
  const conf::VirtualServer& vs = b.config.lvs.virtual_servers[vi];
  const conf::RealServer& rs = vs.real_servers[ri];
  const std::string_view proto = proto_name(vs);
  auto entry = std::make_unique<Entry>();
  entry->ref = {vi, ri};
  entry->configured_weight = rs.weight;
  entry->rs_label = service_label(rs.address, rs.port, proto);
  entry->vs_label = vs.kind == conf::VirtualServerKind::Address
                        ? service_label(vs.address, vs.port, proto)
                        : "[" + vs.label() + "]";
  for (size_t k = 0; k < rs.checkers.size(); ++k) add_drivers(b, *entry, k);
  entry->verdict = entry->evaluate();
  return entry;
}

size_t HealthManager::add_drivers(Builder& b, Entry& e, size_t k) {
  const conf::VirtualServer& vs = b.config.lvs.virtual_servers[e.ref.vs_index];
  const conf::RealServer& rs = vs.real_servers[e.ref.rs_index];
  const conf::HealthChecker& hc = rs.checkers[k];
  std::string error;
  std::vector<std::unique_ptr<Checker>> checkers = make_checkers(b.ctx, vs, rs, hc, error);
  if (checkers.empty()) {
    std::string msg =
        "real server " + e.rs_label + " of VS " + e.vs_label + ": " + error + "; checker ignored";
    spdlog::error("{}", msg);
    errors_.push_back(std::move(msg));
    return 0;
  }
  conf::CheckerTiming t = conf::resolve_checker_timing(vs, rs, hc);
  CheckerPolicy policy{t.alpha, t.retry, t.delay_before_retry, t.delay_loop, t.warmup};
  // A file's value is a fact, not a flaky probe: no retries for FILE_CHECK.
  if (hc.kind == conf::CheckerKind::File) policy.retry = 0;
  const size_t n = checkers.size();
  for (auto& checker : checkers) {
    // The entry and the driver live on the heap, so the callback's pointers stay valid when a
    // reload moves them to other indices.
    Entry* ep = &e;
    auto driver = std::make_unique<CheckerDriver>(loop_, std::move(checker), policy,
                                                  t.log_all_failures, nullptr);
    const CheckerDriver* dp = driver.get();
    driver->set_on_change([this, ep, dp] { on_checker_change(*ep, dp); });
    e.drivers.push_back(std::move(driver));
    e.warmups.push_back(t.warmup);
    e.checker_index.push_back(k);
  }
  return n;
}

void HealthManager::start_driver(Entry& e, size_t i) {
  Micros w = e.warmups[i];
  Micros draw{0};
  if (w.count() > 0) draw = Micros{std::uniform_int_distribution<int64_t>(0, w.count())(rng_)};
  e.drivers[i]->start(draw);
}

size_t HealthManager::reconfigure(const conf::Config& current, const conf::Config& next,
                                  const conf::LvsMatch& match) {
  // The old entries by their place in `current`.
  std::vector<std::vector<std::unique_ptr<Entry>>> old(current.lvs.virtual_servers.size());
  for (size_t v = 0; v < old.size(); ++v)
    old[v].resize(current.lvs.virtual_servers[v].real_servers.size());
  for (auto& e : entries_) old[e->ref.vs_index][e->ref.rs_index] = std::move(e);
  entries_.clear();
  initial_.clear();

  Builder b{next, CheckerContext{loop_, next, curl_.get(), &scripts_->runner}};
  size_t built = 0;
  const auto& vss = next.lvs.virtual_servers;
  for (size_t vi = 0; vi < vss.size(); ++vi) {
    const conf::VirtualServer& nvs = vss[vi];
    // Plain indices (npos = none): gcc 12 sees the optional's value as maybe-uninitialized.
    constexpr size_t npos = static_cast<size_t>(-1);
    size_t ovi = npos;
    if (vi < match.vs_from.size() && match.vs_from[vi] && *match.vs_from[vi] < old.size())
      ovi = *match.vs_from[vi];
    for (size_t ri = 0; ri < nvs.real_servers.size(); ++ri) {
      size_t ori = npos;
      if (ovi != npos && ri < match.rs_from[vi].size() && match.rs_from[vi][ri] &&
          *match.rs_from[vi][ri] < old[ovi].size())
        ori = *match.rs_from[vi][ri];
      std::unique_ptr<Entry> e;
      if (ori != npos) e = std::move(old[ovi][ori]);
      if (!e) {
        e = make_entry(b, vi, ri);
        built += e->drivers.size();
        if (started_) {
          spdlog::info("Activating healthchecker for service {} for VS {}", e->rs_label,
                       e->vs_label);
          for (size_t i = 0; i < e->drivers.size(); ++i) start_driver(*e, i);
        }
        entries_.push_back(std::move(e));
        continue;
      }
      // A kept real server: keep each checker whose inputs are unchanged, build the rest.
      const conf::VirtualServer& ovs = current.lvs.virtual_servers[ovi];
      const conf::RealServer& ors = ovs.real_servers[ori];
      const conf::RealServer& nrs = nvs.real_servers[ri];
      Entry fresh;  // the drivers being carried over or built, in the new checkers' order
      std::vector<bool> used(ors.checkers.size(), false);
      e->ref = {vi, ri};
      e->configured_weight = nrs.weight;
      for (size_t k = 0; k < nrs.checkers.size(); ++k) {
        std::optional<size_t> from;
        for (size_t ok = 0; ok < ors.checkers.size() && !from; ++ok)
          if (!used[ok] &&
              conf::same_checker_inputs(ovs, ors, ors.checkers[ok], nvs, nrs, nrs.checkers[k]))
            from = ok;
        if (from) {
          used[*from] = true;
          for (size_t i = 0; i < e->drivers.size(); ++i) {
            if (!e->drivers[i] || e->checker_index[i] != *from) continue;
            fresh.drivers.push_back(std::move(e->drivers[i]));
            fresh.warmups.push_back(e->warmups[i]);
            fresh.checker_index.push_back(k);
          }
          continue;
        }
        // Built into `e` (its callbacks must point at `e`), then moved to the end of `fresh`.
        const size_t first = e->drivers.size();
        const size_t n = add_drivers(b, *e, k);
        built += n;
        for (size_t i = first; i < first + n; ++i) {
          if (started_) start_driver(*e, i);
          fresh.drivers.push_back(std::move(e->drivers[i]));
          fresh.warmups.push_back(e->warmups[i]);
          fresh.checker_index.push_back(k);
        }
      }
      // Drivers left in `e` belong to removed or changed checkers: stopped and destroyed here.
      for (auto& d : e->drivers)
        if (d) d->stop();
      e->drivers = std::move(fresh.drivers);
      e->warmups = std::move(fresh.warmups);
      e->checker_index = std::move(fresh.checker_index);
      e->verdict = e->evaluate();
      entries_.push_back(std::move(e));
    }
  }
  // Entries of removed real servers (and their drivers) go with `old`.
  for (auto& v : old)
    for (auto& e : v)
      if (e)
        for (auto& d : e->drivers) d->stop();
  return built;
}

std::vector<RealServerHealth> HealthManager::verdicts() const {
  std::vector<RealServerHealth> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_) out.push_back({e->ref, e->verdict.up, e->verdict.weight, {}});
  return out;
}

HealthManager::~HealthManager() {
  stop();
}

void HealthManager::start() {
  if (started_) return;
  started_ = true;
  for (auto& e : entries_) {
    spdlog::info("Activating healthchecker for service {} for VS {}", e->rs_label, e->vs_label);
    for (size_t i = 0; i < e->drivers.size(); ++i) start_driver(*e, i);
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

void HealthManager::on_checker_change(Entry& e, const CheckerDriver* driver) {
  RealServerVerdict v = e.evaluate();
  if (v == e.verdict) return;
  bool up_changed = v.up != e.verdict.up;
  e.verdict = v;
  // The reason: the latest result of a checker that disagrees with "up", else the last one.
  std::string reason = driver->status().last_result;
  if (up_changed)
    spdlog::info("{} service {} {} VS {}", v.up ? "Adding" : "Removing", e.rs_label,
                 v.up ? "to" : "from", e.vs_label);
  else
    spdlog::info("Changing weight of service {} of VS {} to {}", e.rs_label, e.vs_label,
                 v.weight ? std::to_string(*v.weight) : std::string("configured"));
  if (on_change_) on_change_(HealthChange{e.ref, v.up, v.weight, reason});
}

}  // namespace vigil::check
