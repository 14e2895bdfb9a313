// Logging set-up for the whole process. Every module logs through spdlog's default logger
// (spdlog::info(...), spdlog::warn(...)); only the daemon calls setup_logging().
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil {

struct LogOptions {
  std::string ident = "vigild";  // syslog / journal identifier
  bool console = false;          // keepalived -l: also log to stderr
  bool syslog = true;            // keepalived -G turns it off
  int syslog_facility = -1;      // LOG_DAEMON when < 0 (keepalived -S)
  // Under systemd (stderr is the journal stream) log to journald natively instead of syslog.
  bool prefer_journal = true;
  std::string file;            // keepalived -g: also append to this file
  bool detail = false;         // keepalived -D: detailed messages (see log_detail())
  std::string level = "info";  // trace, debug, info, warn, error, critical, off
  // Put before every message, e.g. "vrrp: " in the VRRP worker process (no '%' in it).
  std::string prefix;
};

// Replaces spdlog's default logger with one writing to the configured sinks. Throws
// std::runtime_error for an unknown level or an unwritable log file.
void setup_logging(const LogOptions& options);

// keepalived -D: callers guard optional extra-detail messages with this.
bool log_detail();

// keepalived's -S argument: "0".."7" or "local0".."local7" -> LOG_LOCALn, "user", "daemon".
std::optional<int> parse_log_facility(std::string_view text);

// Whether stderr is connected to the systemd journal (JOURNAL_STREAM names our stderr).
bool stderr_is_journal();

}  // namespace vigil
