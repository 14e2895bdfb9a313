// Builds every health checker of a conf::Config, runs them on the Loop and reports real-server
// state changes. The data plane (lb/) consumes HealthChange; status/metrics read snapshot().
//
// A real server is up when all its checkers are up (one with no checker is always up); its
// weight is the configured one unless a dynamic MISC_CHECK / FILE_CHECK adjusts it.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "base/time.h"
#include "check/checker_status.h"
#include "check/real_server_state.h"

namespace vigil::loop {
class Loop;
}
namespace vigil::conf {
struct Config;
struct HealthChecker;
struct LvsMatch;
struct RealServer;
struct VirtualServer;
}  // namespace vigil::conf

namespace vigil::check {

// Indices into conf::LvsConfig::virtual_servers[] / .real_servers[].
struct RealServerRef {
  size_t vs_index = 0;
  size_t rs_index = 0;
  auto operator<=>(const RealServerRef&) const = default;
};

struct HealthChange {
  RealServerRef rs;
  bool up = true;
  std::optional<uint32_t> weight;  // dynamic weight (MISC/FILE), nullopt = configured
  std::string reason;              // the result that caused the change
};

struct RealServerHealth {
  RealServerRef rs;
  bool up = true;
  std::optional<uint32_t> weight;
  std::vector<CheckerStatus> checkers;
};

class CheckerDriver;
class CurlMulti;

class HealthManager {
 public:
  HealthManager(loop::Loop& loop, const conf::Config& config,
                std::function<void(const HealthChange&)> on_change);
  ~HealthManager();
  HealthManager(const HealthManager&) = delete;
  HealthManager& operator=(const HealthManager&) = delete;

  // Initial state: up (down with alpha); a real server with no checker is always up.
  void start();
  void stop();
  std::vector<RealServerHealth> snapshot() const;
  // The state before any check ran, so the data plane can be programmed at start.
  const std::vector<RealServerHealth>& initial();

  // Reload: `next` replaces `current` (the configuration this manager was built from or last
  // reconfigured to; both must be alive during the call). Real servers that `match` maps to
  // old ones keep their entry, and of their checkers every one whose inputs are unchanged
  // (conf::same_checker_inputs) keeps running with its rise/fall state; the others are
  // destroyed, and new or changed ones are built (and started with a warmup draw when the
  // manager runs). Changes of global_defs, the SSL block or track files need a new manager.
  // Returns how many checkers were built.
  size_t reconfigure(const conf::Config& current, const conf::Config& next,
                     const conf::LvsMatch& match);
  // Every real server's combined state, without the checkers' status (cheap).
  std::vector<RealServerHealth> verdicts() const;

  // Checkers that could not be built (unsupported kind, bad script ...), one line each.
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  struct Entry;
  struct Builder;
  std::unique_ptr<Entry> make_entry(Builder& b, size_t vs_index, size_t rs_index);
  size_t add_drivers(Builder& b, Entry& e, size_t checker_index);
  void start_driver(Entry& e, size_t driver_index);
  void on_checker_change(Entry& e, const CheckerDriver* driver);

  loop::Loop& loop_;
  std::function<void(const HealthChange&)> on_change_;
  std::unique_ptr<CurlMulti> curl_;
  struct Scripts;
  std::unique_ptr<Scripts> scripts_;
  std::vector<std::unique_ptr<Entry>> entries_;
  std::vector<RealServerHealth> initial_;
  std::vector<std::string> errors_;
  std::mt19937_64 rng_;
  bool started_ = false;
};

}  // namespace vigil::check
