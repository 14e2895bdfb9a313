// A worker's half of the supervisor's two-phase reload (daemon/supervisor.cpp). On SIGHUP the
// supervisor asks its workers to *prepare* at once, loads and validates the file itself at the
// same time, and then tells each worker to *commit* (the file is valid) or to *abort* (it is
// not). Preparing loads and validates the file and changes nothing: an invalid file never
// reaches the running configuration, and its problems are logged once, by the supervisor (the
// worker logs its own diagnostics only when told to commit a file it found invalid, i.e. the
// file changed between the two reads). The two loads run in parallel instead of in series.
//
// The supervisor numbers its reloads; a commit or abort settles its number and every earlier
// one, so a late prepare is ignored and a commit without a prepare (its reply timed out, or
// the requests crossed) loads the file then. Commands on the private control socket:
//   reload-prepare {"generation": N}  ->  {"valid": bool, "errors": n}
//   reload-commit  {"generation": N}  ->  ok, or the error that kept the running configuration
//   reload-abort   {"generation": N}  ->  ok
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "conf/load.h"
#include "daemon/options.h"

namespace vigil::control {
class CommandRegistry;
}

namespace vigil::daemon {

class StagedReload {
 public:
  // `apply` runs the reload proper: with a prepared load, or with none (load the file now).
  // It returns "" when the new configuration is in force, else why not.
  using Apply = std::function<std::string(std::optional<conf::LoadResult> prepared)>;
  StagedReload(const Options& options, Apply apply) : options_(options), apply_(std::move(apply)) {}

  nlohmann::json prepare(uint64_t generation);
  std::string commit(uint64_t generation);
  void abort(uint64_t generation);

  // Adds the three commands above.
  void register_commands(control::CommandRegistry& registry);

 private:
  struct Prepared {
    uint64_t generation = 0;
    conf::LoadResult loaded;
  };
  const Options& options_;
  Apply apply_;
  uint64_t settled_ = 0;  // the highest generation committed or aborted
  std::optional<Prepared> prepared_;
};

}  // namespace vigil::daemon
