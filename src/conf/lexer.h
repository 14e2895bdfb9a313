// Splitting one preprocessed configuration line into Tokens, and the column bookkeeping that lets
// every Token point back at file:line:col even after macro substitution rewrote the line.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "conf/diag.h"
#include "conf/source.h"
#include "conf/tree.h"

namespace vigil::conf {

// A line of text on its way through the preprocessor. It remembers which source column each byte
// came from: bytes copied from the file keep their own column, bytes inserted by a macro all map
// to the column of the macro use.
class LineText {
 public:
  LineText() = default;
  // Text read verbatim from `file` at `line`: byte i is column i + 1.
  LineText(std::string text, std::shared_ptr<const SourceFile> file, unsigned line);
  // Text that came from a macro: every byte maps to `use` (the location of the macro use).
  static LineText expanded(std::string text, const SourceLoc& use);

  const std::string& text() const { return text_; }
  const std::shared_ptr<const SourceFile>& file() const { return file_; }
  unsigned line() const { return line_; }
  bool empty() const { return text_.empty(); }

  unsigned col_at(size_t offset) const;
  SourceLoc loc_at(size_t offset) const { return SourceLoc{file_, line_, col_at(offset)}; }

  // Replaces text_[pos, pos+len) by `with`; the new bytes map to the column of `pos`.
  void replace(size_t pos, size_t len, std::string_view with);
  void erase_prefix(size_t n);
  void truncate(size_t n);
  // Drops leading and trailing blanks.
  void trim();
  // A copy of text_[pos, end) with its columns.
  LineText suffix(size_t pos) const;

 private:
  struct Span {
    uint32_t offset;  // first byte of the span in text_
    uint32_t col;     // source column of that byte
    bool fixed;       // true: every byte of the span maps to `col` (macro output)
  };
  void materialize_spans();

  std::string text_;
  std::shared_ptr<const SourceFile> file_;
  unsigned line_ = 0;
  // Empty spans_ means "identity" (col = offset + 1) unless fixed_col_ is set.
  std::vector<Span> spans_;
  unsigned fixed_col_ = 0;
};

bool is_blank(char c);

// Index of the first `#` or `!` that starts a comment (outside a double-quoted string), or npos.
size_t find_comment(std::string_view text);

// Splits a line into words. Whitespace separates words; unquoted `{` and `}` are words of their
// own; double-quoted parts keep their blanks, resolve backslash escapes and join adjacent
// unquoted text (`ab"c d"e` is one word `abc de`). An unterminated quote is reported.
std::vector<Token> tokenize(const LineText& line, Diagnostics& diag);
// Same, into `out` (cleared first), so a caller can reuse its buffer.
void tokenize(const LineText& line, Diagnostics& diag, std::vector<Token>& out);

// True for a Token that is a structural brace (unquoted `{` / `}`).
inline bool is_open_brace(const Token& t) {
  return !t.quoted && t.text == "{";
}
inline bool is_close_brace(const Token& t) {
  return !t.quoted && t.text == "}";
}

}  // namespace vigil::conf
