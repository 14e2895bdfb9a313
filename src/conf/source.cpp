#include "conf/source.h"

#include <algorithm>

namespace vigil::conf {

std::shared_ptr<const SourceFile> SourceFile::from_text(std::string path, std::string_view text) {
  return from_string(std::move(path), std::string(text));
}

std::shared_ptr<const SourceFile> SourceFile::from_string(std::string path, std::string owned) {
  auto f = std::make_shared<SourceFile>();
  f->path = std::move(path);
  f->text = std::move(owned);
  const std::string_view text = f->text;
  f->lines.reserve(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (end == text.size() && line.empty() && start == text.size()) break;
    f->lines.push_back(line);
    start = end + 1;
  }
  return f;
}

std::string_view SourceFile::line_text(unsigned line) const {
  if (line == 0 || line > lines.size()) return {};
  return lines[line - 1];
}

std::string SourceLoc::to_string() const {
  if (!valid()) return "<unknown>";
  return file->path + ":" + std::to_string(line) + ":" + std::to_string(col);
}

}  // namespace vigil::conf
