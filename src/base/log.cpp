#include "base/log.h"

#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/syslog_sink.h>
#include <spdlog/spdlog.h>

#include "base/journal.h"

namespace vigil {

namespace {

bool g_log_detail = false;

// Log lines to journald with the fields spdlog's systemd sink gives (MESSAGE, PRIORITY,
// SYSLOG_IDENTIFIER), written by base/journal.h instead of libsystemd. MESSAGE is the
// formatted line, so a worker's prefix ("vrrp: ") is kept.
class JournalSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit JournalSink(std::string ident) : ident_(std::move(ident)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    std::string_view text(formatted.data(), formatted.size());
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    const std::string priority = std::to_string(journal_priority(msg.level));
    const JournalField fields[] = {
        {"MESSAGE", text}, {"PRIORITY", priority}, {"SYSLOG_IDENTIFIER", ident_}};
    if (int r = journal_send(fields); r < 0)
      spdlog::throw_spdlog_ex("Failed writing to systemd", -r);
  }
  void flush_() override {}

 private:
  static int journal_priority(spdlog::level::level_enum l) {
    switch (l) {
      case spdlog::level::trace:
      case spdlog::level::debug:
        return LOG_DEBUG;
      case spdlog::level::warn:
        return LOG_WARNING;
      case spdlog::level::err:
        return LOG_ERR;
      case spdlog::level::critical:
        return LOG_CRIT;
      default:
        return LOG_INFO;
    }
  }

  std::string ident_;
};

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
      auto journal_sink = std::make_shared<JournalSink>(options.ident);
      journal_sink->set_pattern(options.prefix + "%v");
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
