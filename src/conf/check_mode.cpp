#include "conf/check_mode.h"

namespace vigil::conf {
namespace {

std::string count(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

std::string summary_line(const Diagnostics& diag) {
  std::string s = diag.has_errors() ? "configuration invalid" : "configuration valid";
  if (diag.has_errors()) {
    s += ": " + count(diag.error_count(), "error");
    if (diag.warning_count()) s += ", " + count(diag.warning_count(), "warning");
  } else if (diag.warning_count()) {
    s += ": " + count(diag.warning_count(), "warning");
  }
  return s;
}

int run_config_check(const std::string& path, const LoadOptions& options, bool dump_json,
                     std::ostream& out, std::ostream& err) {
  LoadResult r = load_config_file(path, options);
  err << r.diag.format(true);
  err << "vigild: " << summary_line(r.diag) << "\n";
  if (!r.config) return 1;
  // Bytes that are not UTF-8 (allowed in keepalived.conf) become U+FFFD instead of throwing.
  if (dump_json)
    out << to_json(*r.config).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
        << "\n";
  return 0;
}

}  // namespace vigil::conf
