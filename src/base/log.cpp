#include "base/log.h"

#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <vector>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/syslog_sink.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>

namespace vigil {

namespace {

bool g_log_detail = false;

}  // namespace

bool log_detail() {
  return g_log_detail;
}

std::optional<int> parse_log_facility(std::string_view text) {
  static constexpr int kLocal[] = {LOG_LOCAL0, LOG_LOCAL1, LOG_LOCAL2, LOG_LOCAL3,
                                   LOG_LOCAL4, LOG_LOCAL5, LOG_LOCAL6, LOG_LOCAL7};
  if (text == "user") return LOG_USER;
  if (text == "daemon") return LOG_DAEMON;
  if (text.rfind("local", 0) == 0) text.remove_prefix(5);
  if (text.size() == 1 && text[0] >= '0' && text[0] <= '7') return kLocal[text[0] - '0'];
  return std::nullopt;
}

bool stderr_is_journal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (!stream) return false;
  struct stat st {};
  if (::fstat(STDERR_FILENO, &st) != 0) return false;
  unsigned long long dev = 0, ino = 0;
  if (std::sscanf(stream, "%llu:%llu", &dev, &ino) != 2) return false;
  return dev == st.st_dev && ino == st.st_ino;
}

void setup_logging(const LogOptions& options) {
  auto level = spdlog::level::from_str(options.level);
  if (level == spdlog::level::off && options.level != "off")
    throw std::runtime_error("unknown log level '" + options.level + "'");

  std::vector<spdlog::sink_ptr> sinks;
  bool journal = options.prefer_journal && stderr_is_journal();
  if (options.console && !journal) {
    auto console = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    console->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ " + options.prefix + "%v");
    sinks.push_back(console);
  }
  if (options.syslog || (options.console && journal)) {
    if (journal) {
      auto journal_sink = std::make_shared<spdlog::sinks::systemd_sink_mt>(options.ident);
      if (!options.prefix.empty()) journal_sink->set_pattern(options.prefix + "%v");
      sinks.push_back(journal_sink);
    } else {
      int facility = options.syslog_facility >= 0 ? options.syslog_facility : LOG_DAEMON;
      auto sys =
          std::make_shared<spdlog::sinks::syslog_sink_mt>(options.ident, LOG_PID, facility, false);
      sys->set_pattern(options.prefix + "%v");
      sinks.push_back(sys);
    }
  }
  if (!options.file.empty()) {
    try {
      auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file);
      file->set_pattern("%Y-%m-%d %H:%M:%S.%e [%P] %l " + options.prefix + "%v");
      sinks.push_back(file);
    } catch (const spdlog::spdlog_ex& e) {
      throw std::runtime_error("cannot open log file '" + options.file + "': " + e.what());
    }
  }
  auto logger = std::make_shared<spdlog::logger>(options.ident, sinks.begin(), sinks.end());
  logger->set_level(level);
  // Daemon log volume is small; flushing every line keeps files and pipes current.
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  g_log_detail = options.detail;
}

}  // namespace vigil
