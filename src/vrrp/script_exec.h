// Running the programs a VRRP configuration names (vrrp_script, notify_*): argv as configured
// plus extra arguments, never through a shell, as the configured user, with a timeout.
#pragma once

#include <string>
#include <vector>

#include "conf/model.h"
#include "loop/child.h"
#include "loop/loop.h"

namespace vigil::vrrp {

struct ScriptRun {
  const conf::ScriptCommand& command;
  std::vector<std::string> extra_args;
  Micros timeout;
};

// Starts the script; `done` gets its result (also when it could not start).
void spawn_script(loop::Loop& loop, const conf::Config& config, const ScriptRun& run,
                  loop::ChildDone done);

}  // namespace vigil::vrrp
