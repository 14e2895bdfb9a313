// keepalived's signal dumps, rendered from the status model and written where keepalived
// writes them: SIGUSR1 → <dir>/keepalived.data, SIGUSR2 → <dir>/keepalived.stats,
// --signum=JSON → <dir>/keepalived.json (dir is /tmp unless the daemon says otherwise).
// Layouts follow keepalived 2.2.7's (section banners, "Name = value" lines, the same
// statistics headings and JSON member names), limited to what vigil knows.
#pragma once

#include <string>

#include "conf/model.h"
#include "vrrp/status.h"

namespace vigil::control {

inline constexpr const char* kDefaultDumpDir = "/tmp";

std::string render_data_dump(const vrrp::RouterStatus& status, const conf::Config& config);
std::string render_stats_dump(const vrrp::RouterStatus& status);
std::string render_json_dump(const vrrp::RouterStatus& status);

// Writes `content` to `path` with mode 0600, atomically (a temporary file in the same directory
// renamed over it, so a symlink planted at `path` is replaced, never followed). "" on success,
// otherwise the error.
std::string write_private_file(const std::string& path, const std::string& content);

}  // namespace vigil::control
