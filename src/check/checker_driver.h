// Runs one Checker on the Loop under keepalived's scheduling: warmup, delay_loop, retries with
// delay_before_retry, per-check timeout, and the up/down state of CheckerState. Logs results in
// keepalived's style and calls `on_change` when the checker flips or its dynamic weight moves.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "check/checker.h"
#include "check/checker_state.h"
#include "check/checker_status.h"
#include "check/real_server_state.h"
#include "loop/timer.h"

namespace vigil::check {

class CheckerDriver {
 public:
  CheckerDriver(loop::Loop& loop, std::unique_ptr<Checker> checker, const CheckerPolicy& policy,
                bool log_all_failures, std::function<void()> on_change);
  ~CheckerDriver();

  // First check after `warmup_draw` (the caller's random draw in [0, warmup]).
  void start(Micros warmup_draw);
  void stop();
  // Replaces the state-change callback (the owner may bind it after construction).
  void set_on_change(std::function<void()> on_change) { on_change_ = std::move(on_change); }

  bool up() const { return state_.up(); }
  CheckerContribution contribution() const { return {state_.up(), weight_delta_}; }
  CheckerStatus status() const { return status_; }
  const Checker& checker() const { return *checker_; }

 private:
  void run_check();
  void on_result(CheckResult result);

  loop::Loop& loop_;
  std::unique_ptr<Checker> checker_;
  CheckerState state_;
  bool log_all_failures_;
  std::function<void()> on_change_;
  loop::Timer schedule_;
  loop::Timer deadline_;
  bool running_ = false;  // a check is in flight
  MonoTime started_{};
  std::optional<int64_t> weight_delta_;
  CheckerStatus status_;
};

}  // namespace vigil::check
