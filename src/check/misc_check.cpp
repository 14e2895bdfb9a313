#include "check/misc_check.h"

#include <csignal>
#include <cstring>

#include "check/real_server_state.h"
#include "loop/loop.h"

namespace vigil::check {

void MiscCheck::start(CheckDone done) {
  cancel();
  uint64_t gen = generation_;
  pid_ = runner_.run(
      script_, {}, timeout_, [this, gen, done = std::move(done)](const loop::ChildResult& r) {
        if (gen != generation_) return;
        pid_ = -1;
        CheckResult result;
        std::string what = "Misc check for " + target();
        if (r.spawn_errno != 0) {
          result.message = what + " could not be started: " + std::strerror(r.spawn_errno) + ".";
        } else if (r.timed_out) {
          result.message = what + " timed out.";
        } else if (r.signal != 0) {
          result.message = what + " killed by signal " + std::to_string(r.signal) + ".";
        } else {
          MiscOutcome o = misc_exit_outcome(r.exit_code, dynamic_, configured_weight_);
          result.success = o.success;
          result.weight_delta = o.weight_delta;
          result.message = what + (o.success ? " succeeded" : " failed") + " (exit status " +
                           std::to_string(r.exit_code) + ").";
        }
        done(std::move(result));
      });
}

void MiscCheck::cancel() {
  ++generation_;
  // The whole process group goes: a script may have started helpers of its own.
  if (pid_ > 0) loop_.children().signal(pid_, SIGKILL);
  pid_ = -1;
}

}  // namespace vigil::check
