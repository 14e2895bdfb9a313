#include "daemon/reload.h"

#include <spdlog/spdlog.h>

#include "base/heap_policy.h"
#include "conf/load.h"
#include "daemon/process_tuning.h"
#include "daemon/sd_notify.h"

namespace vigil::daemon {

conf::LoadResult load_config_quietly(const Options& options) {
  conf::LoadOptions lo;
  lo.config_id = options.config_id.value_or("");
  conf::LoadResult loaded;
  // Not urgent, and at a real-time priority (vrrp_rt_priority) a large file's parse could run
  // past RLIMIT_RTTIME, which kills the process.
  NormalSchedulingScope normal_scheduling;
  // A large model in an arena of configurations (base/heap_policy.h); this thread waits
  // meanwhile, so nothing else runs at the same time.
  run_config_load([&] { loaded = conf::load_config_file(options.config_file, lo); });
  return loaded;
}

size_t config_heap_estimate(const conf::Config& config) {
  // The fixed-size records, then a third more for malloc's headers and what names, scripts
  // and addresses add beside them (measured: 37.7 MB by mallinfo2() against 37.4 MB counted
  // for bench/lvs.py's 37,205 real servers).
  constexpr size_t kInstanceExtra = 512;
  size_t bytes = sizeof(conf::Config);
  for (const conf::VirtualServer& vs : config.lvs.virtual_servers) {
    bytes += sizeof(conf::VirtualServer);
    for (const conf::RealServer& rs : vs.real_servers)
      bytes += sizeof(conf::RealServer) + rs.checkers.capacity() * sizeof(conf::HealthChecker);
  }
  bytes += config.vrrp_instances.size() * (sizeof(conf::VrrpInstance) + kInstanceExtra);
  return bytes + bytes / 3;
}

std::shared_ptr<const conf::Config> load_config_logged(const Options& options,
                                                       size_t& error_count) {
  return take_config_logged(load_config_quietly(options), error_count);
}

std::shared_ptr<const conf::Config> take_config_logged(conf::LoadResult&& loaded,
                                                       size_t& error_count) {
  for (const auto& d : loaded.diag.all()) {
    std::string line = conf::format_diagnostic(d, false);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    if (d.severity == conf::Severity::Error)
      spdlog::error("{}", line);
    else
      spdlog::warn("{}", line);
  }
  if (loaded.diag.omitted() > 0) spdlog::error("{}", loaded.diag.omitted_line());
  error_count = loaded.diag.error_count();
  if (!loaded.config) return nullptr;
  auto config = std::make_shared<const conf::Config>(std::move(*loaded.config));
  loaded = conf::LoadResult{};
  return config;
}

bool Reloader::reload() {
  ++status_.count;
  status_.last_at = std::chrono::system_clock::now();
  spdlog::info("reloading configuration {}", options_.config_file);
  size_t errors = 0;
  auto next = load_config_logged(options_, errors);
  return apply(std::move(next), errors);
}

bool Reloader::reload(conf::LoadResult loaded) {
  ++status_.count;
  status_.last_at = std::chrono::system_clock::now();
  spdlog::info("reloading configuration {}", options_.config_file);
  size_t errors = 0;
  auto next = take_config_logged(std::move(loaded), errors);
  return apply(std::move(next), errors);
}

// `next` null: the file was invalid (its `errors` are logged), the running config stays.
bool Reloader::apply(std::shared_ptr<const conf::Config> next, size_t errors) {
  status_.last_error_count = errors;
  if (!next) {
    ++status_.failed;
    status_.last_ok = false;
    status_.last_summary = std::to_string(errors) + " error(s) in " + options_.config_file;
    spdlog::error("configuration {} is invalid ({} errors); keeping the running configuration",
                  options_.config_file, errors);
    notify_status("running (last reload failed: " + status_.last_summary + ")");
    return false;
  }
  notify_reloading();
  current_ = next;
  vrrp::ConfigDiff diff = router_.reconfigure(std::move(next));
  status_.last_ok = true;
  status_.last_summary = diff.summary();
  spdlog::info("configuration reloaded: {}", status_.last_summary);
  notify_ready();
  return true;
}

}  // namespace vigil::daemon
