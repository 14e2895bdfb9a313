#include "conf/diag.h"

namespace vigil::conf {

void Diagnostics::error(const SourceLoc& loc, std::string message, std::string hint,
                        unsigned length) {
  items_.push_back({Severity::Error, loc, std::move(message), std::move(hint), length});
  ++error_count_;
}

void Diagnostics::warning(const SourceLoc& loc, std::string message, std::string hint,
                          unsigned length) {
  items_.push_back({Severity::Warning, loc, std::move(message), std::move(hint), length});
  ++warning_count_;
}

void Diagnostics::note(const SourceLoc& loc, std::string message) {
  items_.push_back({Severity::Note, loc, std::move(message), {}, 1});
}

std::string format_diagnostic(const Diagnostic& d, bool excerpt) {
  static constexpr const char* kNames[] = {"error", "warning", "note"};
  std::string out =
      d.loc.to_string() + ": " + kNames[static_cast<int>(d.severity)] + ": " + d.message + "\n";
  if (excerpt && d.loc.valid()) {
    auto text = d.loc.file->line_text(d.loc.line);
    if (!text.empty()) {
      out += "  ";
      out += text;
      out += "\n  ";
      // Keep tabs so the caret lines up under tab-indented text.
      for (unsigned i = 1; i < d.loc.col && i <= text.size(); ++i)
        out += text[i - 1] == '\t' ? '\t' : ' ';
      out += '^';
      for (unsigned i = 1; i < d.length; ++i) out += '~';
      out += "\n";
    }
  }
  if (excerpt && !d.hint.empty()) out += "  " + d.hint + "\n";
  return out;
}

std::string Diagnostics::format(bool excerpt) const {
  std::string out;
  for (const auto& d : items_) out += format_diagnostic(d, excerpt);
  return out;
}

}  // namespace vigil::conf
