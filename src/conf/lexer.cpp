#include "conf/lexer.h"

#include <algorithm>

namespace vigil::conf {

LineText::LineText(std::string text, std::shared_ptr<const SourceFile> file, unsigned line)
    : text_(std::move(text)), file_(std::move(file)), line_(line) {}

LineText LineText::expanded(std::string text, const SourceLoc& use) {
  LineText l(std::move(text), use.file, use.line);
  l.fixed_col_ = std::max(1u, use.col);
  return l;
}

unsigned LineText::col_at(size_t offset) const {
  if (spans_.empty()) return fixed_col_ ? fixed_col_ : static_cast<unsigned>(offset + 1);
  auto it = std::upper_bound(spans_.begin(), spans_.end(), offset,
                             [](size_t o, const Span& s) { return o < s.offset; });
  if (it != spans_.begin()) --it;
  return it->fixed ? it->col : static_cast<unsigned>(it->col + (offset - it->offset));
}

void LineText::materialize_spans() {
  if (!spans_.empty()) return;
  if (fixed_col_)
    spans_.push_back({0, fixed_col_, true});
  else
    spans_.push_back({0, 1, false});
}

void LineText::replace(size_t pos, size_t len, std::string_view with) {
  pos = std::min(pos, text_.size());
  len = std::min(len, text_.size() - pos);
  if (fixed_col_ && spans_.empty()) {
    text_.replace(pos, len, with);
    return;
  }
  materialize_spans();
  const unsigned use_col = col_at(pos);
  const size_t old_end = pos + len;
  const unsigned end_col = col_at(old_end);
  // The span that covers old_end decides whether the tail keeps counting columns.
  bool end_fixed = false;
  for (const auto& s : spans_)
    if (s.offset <= old_end) end_fixed = s.fixed;
  std::vector<Span> out;
  out.reserve(spans_.size() + 2);
  for (const auto& s : spans_)
    if (s.offset < pos) out.push_back(s);
  if (!with.empty()) out.push_back({static_cast<uint32_t>(pos), use_col, true});
  const size_t new_end = pos + with.size();
  out.push_back({static_cast<uint32_t>(new_end), end_col, end_fixed});
  for (const auto& s : spans_)
    if (s.offset > old_end)
      out.push_back({static_cast<uint32_t>(s.offset - old_end + new_end), s.col, s.fixed});
  // Drop spans that merely continue the previous one, so repeated substitutions inside one
  // macro's text do not pile up spans.
  spans_.clear();
  for (const auto& s : out) {
    if (!spans_.empty()) {
      Span& p = spans_.back();
      if (s.offset == p.offset) {
        p = s;
        continue;
      }
      const bool continues = p.fixed ? (s.fixed && s.col == p.col)
                                     : (!s.fixed && s.col == p.col + (s.offset - p.offset));
      if (continues) continue;
    }
    spans_.push_back(s);
  }
  text_.replace(pos, len, with);
}

void LineText::erase_prefix(size_t n) {
  n = std::min(n, text_.size());
  if (n == 0) return;
  if (spans_.empty() && !fixed_col_) {
    // Identity mapping shifted by n: one counting span.
    spans_.push_back({0, static_cast<uint32_t>(n + 1), false});
  } else if (!spans_.empty()) {
    std::vector<Span> out;
    out.push_back({0, col_at(n), false});
    for (const auto& s : spans_)
      if (s.offset <= n) out[0].fixed = s.fixed;
    for (const auto& s : spans_)
      if (s.offset > n) out.push_back({static_cast<uint32_t>(s.offset - n), s.col, s.fixed});
    spans_ = std::move(out);
  }
  text_.erase(0, n);
}

void LineText::truncate(size_t n) {
  if (n < text_.size()) text_.resize(n);
}

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\n';
}

void LineText::trim() {
  size_t end = text_.size();
  while (end > 0 && is_blank(text_[end - 1])) --end;
  truncate(end);
  size_t start = 0;
  while (start < text_.size() && is_blank(text_[start])) ++start;
  erase_prefix(start);
}

LineText LineText::suffix(size_t pos) const {
  LineText l = *this;
  l.erase_prefix(pos);
  return l;
}

size_t find_comment(std::string_view text) {
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == '#' || c == '!') {
      return i;
    }
  }
  return std::string_view::npos;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Resolves the escape starting after the backslash at text[i]; returns the index after it.
size_t append_escape(std::string_view text, size_t i, std::string& out) {
  if (i >= text.size()) {
    out += '\\';
    return i;
  }
  char c = text[i];
  switch (c) {
    case 'a':
      out += '\a';
      return i + 1;
    case 'b':
      out += '\b';
      return i + 1;
    case 'E':
      out += '\x1b';
      return i + 1;
    case 'f':
      out += '\f';
      return i + 1;
    case 'n':
      out += '\n';
      return i + 1;
    case 'r':
      out += '\r';
      return i + 1;
    case 't':
      out += '\t';
      return i + 1;
    case 'v':
      out += '\v';
      return i + 1;
    case 'x': {
      int v = 0, n = 0;
      size_t j = i + 1;
      while (j < text.size() && n < 2 && hex_value(text[j]) >= 0)
        v = v * 16 + hex_value(text[j++]), ++n;
      if (n == 0) {
        out += 'x';
        return i + 1;
      }
      out += static_cast<char>(v);
      return j;
    }
    case 'c':
      if (i + 1 < text.size()) {
        out += static_cast<char>(text[i + 1] & 0x1f);
        return i + 2;
      }
      out += 'c';
      return i + 1;
    default:
      if (c >= '0' && c <= '7') {
        int v = 0, n = 0;
        size_t j = i;
        while (j < text.size() && n < 3 && text[j] >= '0' && text[j] <= '7')
          v = v * 8 + (text[j++] - '0'), ++n;
        out += static_cast<char>(v & 0xff);
        return j;
      }
      out += c;
      return i + 1;
  }
}

}  // namespace

std::vector<Token> tokenize(const LineText& line, Diagnostics& diag) {
  std::vector<Token> tokens;
  tokenize(line, diag, tokens);
  return tokens;
}

void tokenize(const LineText& line, Diagnostics& diag, std::vector<Token>& tokens) {
  tokens.clear();
  std::string_view text = line.text();
  size_t i = 0;
  while (i < text.size()) {
    if (is_blank(text[i])) {
      ++i;
      continue;
    }
    Token tok;
    tok.loc = line.loc_at(i);
    if (text[i] == '{' || text[i] == '}') {
      tok.text.assign(1, text[i]);
      tokens.push_back(std::move(tok));
      ++i;
      continue;
    }
    while (i < text.size() && !is_blank(text[i]) && text[i] != '{' && text[i] != '}') {
      if (text[i] != '"') {
        size_t j = i;
        while (j < text.size() && !is_blank(text[j]) && text[j] != '"' && text[j] != '{' &&
               text[j] != '}')
          ++j;
        tok.text.append(text.substr(i, j - i));
        i = j;
        continue;
      }
      // Quoted part: up to the closing quote, blanks and braces included.
      tok.quoted = true;
      const size_t open = i++;
      bool closed = false;
      while (i < text.size()) {
        char c = text[i];
        if (c == '"') {
          closed = true;
          ++i;
          break;
        }
        if (c == '\\') {
          i = append_escape(text, i + 1, tok.text);
          continue;
        }
        tok.text += c;
        ++i;
      }
      if (!closed) diag.error(line.loc_at(open), "unterminated quoted string");
    }
    tokens.push_back(std::move(tok));
  }
}

}  // namespace vigil::conf
