#include "check/checker_driver.h"

#include <spdlog/spdlog.h>

#include "loop/loop.h"

namespace vigil::check {

CheckerDriver::CheckerDriver(loop::Loop& loop, std::unique_ptr<Checker> checker,
                             const CheckerPolicy& policy, bool log_all_failures,
                             std::function<void()> on_change)
    : loop_(loop),
      checker_(std::move(checker)),
      state_(policy),
      log_all_failures_(log_all_failures),
      on_change_(std::move(on_change)),
      schedule_(loop, [this] { run_check(); }),
      deadline_(loop, [this] {
        if (!running_) return;
        checker_->cancel();
        on_result(checker_->on_timeout());
      }) {
  status_.kind = std::string(checker_->kind());
  checker_->set_run_request([this] {
    // Only between checks of a started driver: a check in flight reads the news anyway.
    if (schedule_.armed() && !running_) schedule_.arm(loop_.now());
  });
  status_.up = state_.up();
}

CheckerDriver::~CheckerDriver() {
  stop();
}

void CheckerDriver::start(Micros warmup_draw) {
  schedule_.arm(state_.first_run(loop_.now(), warmup_draw));
}

void CheckerDriver::stop() {
  schedule_.cancel();
  deadline_.cancel();
  if (running_) checker_->cancel();
  running_ = false;
}

void CheckerDriver::run_check() {
  running_ = true;
  started_ = loop_.now();
  deadline_.arm(started_ + checker_->timeout());
  checker_->start([this](CheckResult r) {
    if (!running_) return;
    on_result(std::move(r));
  });
}

void CheckerDriver::on_result(CheckResult result) {
  running_ = false;
  deadline_.cancel();
  MonoTime now = loop_.now();
  status_.runs++;
  if (!result.success) status_.failures++;
  status_.last_run = started_;
  status_.last_latency = std::chrono::duration_cast<Micros>(now - started_);
  status_.latency.observe(*status_.last_latency);
  status_.last_result = result.message;

  bool was_up = state_.up();
  CheckerStep step = state_.on_result(result.success, now);
  status_.up = step.up;

  bool weight_changed = false;
  if (result.success && result.weight_delta && result.weight_delta != weight_delta_) {
    weight_delta_ = result.weight_delta;
    weight_changed = true;
  }

  std::string what = std::string(checker_->kind()) + " " + checker_->target();
  if (result.success) {
    if (step.changed || log_all_failures_)
      spdlog::info("{}", result.message);
    else
      spdlog::debug("{}", result.message);
  } else if (was_up || log_all_failures_) {
    spdlog::info("{}", result.message);
    if (step.retrying)
      spdlog::debug("{}: retry {} of {} after {} ms", what, step.failed_tries,
                    state_.policy().retry,
                    std::chrono::duration_cast<Millis>(state_.policy().delay_before_retry).count());
    else if (step.changed)
      spdlog::info("Check on service {} failed after {} retries.", checker_->target(),
                   state_.policy().retry);
  } else {
    spdlog::debug("{}", result.message);
  }

  schedule_.arm(step.next_run);
  if (step.changed)  // the monotonic time lets benchmarks measure result-to-data-plane latency
    spdlog::debug("{}: checker {} at {} us (monotonic)", what, step.up ? "up" : "down",
                  mono_micros());
  if ((step.changed || weight_changed) && on_change_) on_change_();
}

}  // namespace vigil::check
