// Where a piece of configuration text came from, for diagnostics that point at file:line:col.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::conf {

// One file's text, split into lines, kept alive as long as any location points into it.
struct SourceFile {
  std::string path;  // as the user or the including file named it
  // The whole text once, and every line (without its terminator) as a view into it: one
  // allocation per file instead of one per line (a 37,205-real-server file has 190,000 lines).
  std::string text;
  std::vector<std::string_view> lines;

  SourceFile() = default;
  SourceFile(const SourceFile&) = delete;  // `lines` point into `text`
  SourceFile& operator=(const SourceFile&) = delete;

  static std::shared_ptr<const SourceFile> from_text(std::string path, std::string_view text);
  // The same, taking the text over instead of copying it (a file just read).
  static std::shared_ptr<const SourceFile> from_string(std::string path, std::string text);
  // The text of 1-based line `line`, or "" when out of range.
  std::string_view line_text(unsigned line) const;
};

// A 1-based line and column in a SourceFile. A default-constructed location means "no location"
// (e.g. a value that came from the command line).
struct SourceLoc {
  std::shared_ptr<const SourceFile> file;
  unsigned line = 0;
  unsigned col = 0;

  bool valid() const { return file != nullptr && line > 0; }
  // Where a setting was written is not part of its value: the model's structural comparisons
  // (reload diffs) must find an unchanged real server equal even when a line was added above
  // it, so every location compares equal.
  bool operator==(const SourceLoc&) const { return true; }
  // "path:line:col" (or "<unknown>").
  std::string to_string() const;
};

}  // namespace vigil::conf
