#include "conf/diag.h"

#include <algorithm>

namespace vigil::conf {
namespace {

bool is_utf8_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// The part of `text` shown for a caret at 0-based `caret`: all of a short line, else a window of
// kExcerptWidth bytes around the caret that does not split a UTF-8 sequence.
struct Window {
  size_t begin = 0;
  size_t end = 0;
};

Window excerpt_window(std::string_view text, size_t caret) {
  if (text.size() <= kExcerptWidth) return {0, text.size()};
  size_t begin = caret > kExcerptWidth / 2 ? caret - kExcerptWidth / 2 : 0;
  begin = std::min(begin, text.size() - kExcerptWidth);
  size_t end = begin + kExcerptWidth;
  while (begin > 0 && begin < text.size() && is_utf8_continuation(text[begin])) --begin;
  while (end < text.size() && is_utf8_continuation(text[end])) ++end;
  return {begin, end};
}

void append_excerpt(std::string& out, const Diagnostic& d, std::string_view text) {
  const size_t caret = std::min<size_t>(d.loc.col > 0 ? d.loc.col - 1 : 0, text.size());
  const Window w = excerpt_window(text, caret);
  const std::string_view lead = w.begin > 0 ? "..." : "";
  out += "  ";
  out += lead;
  out.append(text, w.begin, w.end - w.begin);
  if (w.end < text.size()) out += "...";
  out += "\n  ";
  // Spaces under the text before the caret; tabs are kept so the caret lines up under
  // tab-indented text.
  std::string pad(lead.size() + caret - w.begin, ' ');
  for (size_t i = w.begin; i < caret; ++i)
    if (text[i] == '\t') pad[lead.size() + i - w.begin] = '\t';
  out += pad;
  out += '^';
  size_t tildes = d.length > 0 ? d.length - 1 : 0;
  // In a cut line the underline stops where the shown text does.
  if (w.end < text.size()) tildes = std::min(tildes, w.end > caret ? w.end - caret - 1 : 0);
  out.append(tildes, '~');
  out += '\n';
}

}  // namespace

void Diagnostics::add(Diagnostic d) {
  if (d.severity == Severity::Note) {
    if (!last_omitted_) items_.push_back(std::move(d));
    return;
  }
  last_omitted_ = listed_ >= kMaxListed;
  if (last_omitted_) {
    ++omitted_;
    return;
  }
  ++listed_;
  items_.push_back(std::move(d));
}

void Diagnostics::error(const SourceLoc& loc, std::string message, std::string hint,
                        unsigned length) {
  ++error_count_;
  add({Severity::Error, loc, std::move(message), std::move(hint), length});
}

void Diagnostics::warning(const SourceLoc& loc, std::string message, std::string hint,
                          unsigned length) {
  ++warning_count_;
  add({Severity::Warning, loc, std::move(message), std::move(hint), length});
}

void Diagnostics::note(const SourceLoc& loc, std::string message) {
  add({Severity::Note, loc, std::move(message), {}, 1});
}

std::string format_diagnostic(const Diagnostic& d, bool excerpt) {
  static constexpr const char* kNames[] = {"error", "warning", "note"};
  std::string out =
      d.loc.to_string() + ": " + kNames[static_cast<int>(d.severity)] + ": " + d.message + "\n";
  if (excerpt && d.loc.valid()) {
    auto text = d.loc.file->line_text(d.loc.line);
    if (!text.empty()) append_excerpt(out, d, text);
  }
  if (excerpt && !d.hint.empty()) out += "  " + d.hint + "\n";
  return out;
}

std::string Diagnostics::omitted_line() const {
  if (omitted_ == 0) return {};
  return std::to_string(omitted_) + " more error" + (omitted_ == 1 ? "" : "s") +
         " or warnings not listed (only the first " + std::to_string(kMaxListed) + " are)";
}

std::string Diagnostics::format(bool excerpt) const {
  std::string out;
  for (const auto& d : items_) out += format_diagnostic(d, excerpt);
  if (omitted_ > 0) out += omitted_line() + "\n";
  return out;
}

}  // namespace vigil::conf
