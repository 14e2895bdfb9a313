// `vigild -t` (check the configuration) and `vigild --dump-conf` (print it as JSON).
#pragma once

#include <ostream>
#include <string>

#include "conf/load.h"

namespace vigil::conf {

// Loads `path`; prints every diagnostic (with excerpt, caret and hint) and a summary line to
// `err`; with dump_json and a valid configuration, prints to_json() to `out`.
// Returns 0 when the configuration is valid (warnings allowed), 1 otherwise.
int run_config_check(const std::string& path, const LoadOptions& options, bool dump_json,
                     std::ostream& out, std::ostream& err);

// "configuration valid", "configuration valid: 2 warnings",
// "configuration invalid: 3 errors, 1 warning".
std::string summary_line(const Diagnostics& diag);

}  // namespace vigil::conf
