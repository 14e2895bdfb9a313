#include "daemon/staged_reload.h"

#include <time.h>

#include <chrono>
#include <cstdint>

#include <spdlog/spdlog.h>

#include "control/commands.h"
#include "daemon/reload.h"

namespace vigil::daemon {

namespace {

int64_t process_cpu_micros() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000;
}

}  // namespace

nlohmann::json StagedReload::prepare(uint64_t generation) {
  if (generation <= settled_) return {{"valid", false}, {"stale", true}};
  prepared_.reset();  // a newer prepare supersedes an unsettled one (and frees its model first)
  spdlog::debug("preparing reload {}: loading {}", generation, options_.config_file);
  const auto t0 = std::chrono::steady_clock::now();
  const int64_t cpu0 = process_cpu_micros();
  conf::LoadResult loaded = load_config_quietly(options_);
  const bool valid = loaded.config.has_value();
  const size_t errors = loaded.diag.error_count();
  // Wall and CPU time apart: on a busy machine a load waits for a core as long as it runs.
  spdlog::debug(
      "prepared reload {} ({}) in {} ms ({} ms CPU)", generation, valid ? "valid" : "invalid",
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count(),
      (process_cpu_micros() - cpu0) / 1000);
  prepared_ = Prepared{generation, std::move(loaded)};
  return {{"valid", valid}, {"errors", errors}};
}

std::string StagedReload::commit(uint64_t generation) {
  if (generation <= settled_) return {};  // already done (a repeated request)
  settled_ = generation;
  std::optional<conf::LoadResult> loaded;
  if (prepared_ && prepared_->generation == generation) loaded = std::move(prepared_->loaded);
  prepared_.reset();
  return apply_(std::move(loaded));
}

void StagedReload::abort(uint64_t generation) {
  if (generation <= settled_) return;
  settled_ = generation;
  if (prepared_ && prepared_->generation <= generation) {
    spdlog::debug("reload {} aborted by the supervisor", generation);
    prepared_.reset();
  }
}

namespace {

std::optional<uint64_t> staged_generation(const control::Request& r) {
  auto it = r.body.find("generation");
  if (it == r.body.end() || !it->is_number_unsigned()) return std::nullopt;
  return it->get<uint64_t>();
}

}  // namespace

void StagedReload::register_commands(control::CommandRegistry& registry) {
  registry.add("reload-prepare", [this](const control::Request& r) {
    auto g = staged_generation(r);
    if (!g) return control::error_reply("reload-prepare needs a \"generation\" number");
    return control::ok_reply(prepare(*g));
  });
  registry.add("reload-commit", [this](const control::Request& r) {
    auto g = staged_generation(r);
    if (!g) return control::error_reply("reload-commit needs a \"generation\" number");
    std::string err = commit(*g);
    if (!err.empty()) return control::error_reply(err);
    return control::ok_reply({{"reload", "done"}});
  });
  registry.add("reload-abort", [this](const control::Request& r) {
    auto g = staged_generation(r);
    if (!g) return control::error_reply("reload-abort needs a \"generation\" number");
    abort(*g);
    return control::ok_reply();
  });
}

}  // namespace vigil::daemon
