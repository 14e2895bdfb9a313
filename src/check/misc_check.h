// MISC_CHECK: runs misc_path as a child of the Loop (words split as keepalived splits them, no
// shell; user/group and script security through notify::ScriptRunner). Exit 0 is success,
// anything else failure, except that with misc_dynamic 2..255 is success with weight exit-2.
// A script still running after misc_timeout (default delay_loop) is killed: failure.
#pragma once

#include <sys/types.h>

#include "check/checker.h"
#include "notify/script_runner.h"

namespace vigil::check {

class MiscCheck final : public Checker {
 public:
  MiscCheck(loop::Loop& loop, notify::ScriptRunner& runner, notify::PreparedScript script,
            Micros timeout, bool dynamic, uint32_t configured_weight)
      : loop_(loop),
        runner_(runner),
        script_(std::move(script)),
        timeout_(timeout),
        dynamic_(dynamic),
        configured_weight_(configured_weight) {}
  ~MiscCheck() override { cancel(); }
  std::string_view kind() const override { return "MISC_CHECK"; }
  std::string target() const override { return "[" + script_.command + "]"; }
  void start(CheckDone done) override;
  void cancel() override;
  // The child's own timeout kills it first; the driver's deadline is only a backstop.
  Micros timeout() const override { return timeout_ + Millis(3000); }

 private:
  loop::Loop& loop_;
  notify::ScriptRunner& runner_;
  notify::PreparedScript script_;
  Micros timeout_;
  bool dynamic_;
  uint32_t configured_weight_;
  pid_t pid_ = -1;
  uint64_t generation_ = 0;
};

}  // namespace vigil::check
