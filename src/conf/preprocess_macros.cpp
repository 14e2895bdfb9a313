#include "conf/preprocess_macros.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>

namespace vigil::conf {

bool is_macro_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_macro_name_char(char c) {
  return is_macro_name_start(c) || (c >= '0' && c <= '9');
}

std::optional<Definition> parse_definition(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && is_blank(text[i])) ++i;
  if (i >= text.size() || text[i] != '$') return std::nullopt;
  size_t start = ++i;
  if (i >= text.size() || !is_macro_name_start(text[i])) return std::nullopt;
  while (i < text.size() && is_macro_name_char(text[i])) ++i;
  if (i >= text.size() || text[i] != '=') return std::nullopt;
  Definition d{text.substr(start, i - start), text.substr(i + 1)};
  while (!d.value.empty() && is_blank(d.value.front())) d.value.remove_prefix(1);
  while (!d.value.empty() && is_blank(d.value.back())) d.value.remove_suffix(1);
  return d;
}

void MacroTable::undefine(std::string_view name) {
  auto it = macros_.find(name);
  if (it != macros_.end()) macros_.erase(it);
}

const Macro* MacroTable::find(std::string_view name) const {
  auto it = macros_.find(name);
  return it == macros_.end() ? nullptr : &it->second;
}

std::optional<Macro> MacroTable::save(std::string_view name) const {
  const Macro* m = find(name);
  if (!m) return std::nullopt;
  return *m;
}

void MacroTable::restore(const std::string& name, std::optional<Macro> saved) {
  if (saved)
    macros_[name] = std::move(*saved);
  else
    undefine(name);
}

void MacroTable::set_value(const std::string& name, std::string value) {
  auto it = macros_.find(name);
  if (it == macros_.end()) it = macros_.emplace(name, Macro{}).first;
  it->second.body.reset();
  it->second.value = std::move(value);
}

namespace {

std::optional<long> parse_nonnegative(std::string_view s) {
  long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

std::vector<std::string_view> split_blanks(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_blank(s[i])) ++i;
    size_t j = i;
    while (j < s.size() && !is_blank(s[j])) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

std::optional<std::string> Substituter::builtin(std::string_view name, std::string_view args,
                                                const LineText& line) {
  // Like keepalived, only _RANDOM and _ENV take arguments; `${_PWD 1}` stays as written.
  bool has_args = !split_blanks(args).empty();
  if (has_args && name != "_RANDOM" && name != "_ENV") return std::nullopt;
  if (name == "_PWD") {
    if (!line.file()) return std::string(".");
    if (line.file() != pwd_file_) {
      std::error_code ec;
      auto p = std::filesystem::absolute(std::filesystem::path(line.file()->path), ec);
      if (ec) p = std::filesystem::path(line.file()->path);
      pwd_ = p.lexically_normal().parent_path().string();
      pwd_file_ = line.file();
    }
    return pwd_;
  }
  if (name == "_INSTANCE") return instance_;
  if (name == "_ENV") {
    // ${_ENV NAME}: the daemon's environment variable NAME (keepalived 2.3); an unset variable
    // expands to nothing.
    auto words = split_blanks(args);
    if (words.size() != 1) return std::nullopt;
    const char* v = std::getenv(std::string(words[0]).c_str());
    return std::string(v ? v : "");
  }
  if (name == "_HASH") return std::string("#");
  if (name == "_BANG") return std::string("!");
  if (name == "_RANDOM") {
    long lo = 0, hi = 32767;
    auto words = split_blanks(args);
    // A malformed use stays as written, like keepalived; the preprocessor then reports it.
    auto bad = [] { return std::nullopt; };
    if (words.size() > 2) return bad();
    if (!words.empty()) {
      auto v = parse_nonnegative(words[0]);
      if (!v) return bad();
      lo = *v;
    }
    if (words.size() == 2) {
      auto v = parse_nonnegative(words[1]);
      if (!v) return bad();
      hi = *v;
    }
    if (hi < lo) std::swap(lo, hi);
    std::uniform_int_distribution<long> dist(lo, hi);
    return std::to_string(dist(rng_));
  }
  return std::nullopt;
}

Substituted Substituter::substitute(LineText& line) {
  Substituted result;
  size_t replacements = 0;
  bool quoted = false;
  size_t i = 0;
  // The user parameters whose values the scan is inside: each value spans [start, end) of the
  // line after its replacement (nested ones inside outer ones). The same parameter met again
  // wholly inside its own value, in the same quoting state, would expand the same way forever:
  // it is reported there, at the first repeat, instead of growing the line to the limits below
  // (which cost up to 10,000 replacements of a line of up to 256 KB, a quarter of a second per
  // use line of `$A=x${A}` in a sanitized build).
  struct Expanding {
    std::string name;
    size_t end;
    bool quoted;
  };
  std::vector<Expanding> expanding;
  while (i < line.text().size()) {
    const std::string& text = line.text();
    char c = text[i];
    if (c == '"') {
      quoted = !quoted;
      ++i;
      continue;
    }
    if (c == '\\' && quoted) {
      i += 2;
      continue;
    }
    if (c != '$' || i + 1 >= text.size()) {
      ++i;
      continue;
    }
    size_t len = 0;
    std::string_view name, args;
    if (text[i + 1] == '{') {
      size_t close = text.find('}', i + 2);
      if (close == std::string::npos) {
        ++i;
        continue;
      }
      std::string_view inner = std::string_view(text).substr(i + 2, close - i - 2);
      size_t n = 0;
      while (n < inner.size() && is_macro_name_char(inner[n])) ++n;
      name = inner.substr(0, n);
      args = inner.substr(n);
      if (name.empty() || !is_macro_name_start(name[0]) || (!args.empty() && !is_blank(args[0]))) {
        ++i;
        continue;
      }
      len = close + 1 - i;
    } else if (is_macro_name_start(text[i + 1])) {
      size_t j = i + 1;
      while (j < text.size() && is_macro_name_char(text[j])) ++j;
      // Without braces a parameter must be followed by whitespace (or the end of the line).
      if (j < text.size() && !is_blank(text[j])) {
        i = j;
        continue;
      }
      name = std::string_view(text).substr(i + 1, j - i - 1);
      len = j - i;
    } else {
      ++i;
      continue;
    }

    // A use that reaches past the end of a value is outside it.
    while (!expanding.empty() && expanding.back().end < i + len) expanding.pop_back();
    std::string value;
    bool user_macro = false;
    if (const Macro* m = macros_.find(name)) {
      if (m->multiline()) {
        result.multiline = m->body;
        result.multiline_pos = i;
        result.multiline_len = len;
        return result;
      }
      value = m->value;
      if (!args.empty()) {
        // keepalived's definitions take no arguments (only the built-ins do), so it leaves
        // `${NAME ARGS}` unreplaced; the preprocessor reports it.
        i += len;
        continue;
      }
      user_macro = true;
      for (const auto& e : expanding) {
        if (e.name == name && e.quoted == quoted) {
          diag_.error(line.loc_at(i),
                      "parameter expansion does not terminate (recursive definition of `" +
                          std::string(name) + "`)");
          result.failed = true;
          return result;
        }
      }
    } else if (auto b = builtin(name, args, line)) {
      value = std::move(*b);
    } else {
      i += len;
      continue;
    }
    if (++replacements > limits.max_replacements ||
        text.size() - len + value.size() > limits.max_line_length) {
      diag_.error(line.loc_at(i),
                  "parameter expansion does not terminate (recursive definition of `" +
                      std::string(name) + "`?)");
      result.failed = true;
      return result;
    }
    // Every value the use is inside grows or shrinks with it.
    for (auto& e : expanding) e.end = e.end + value.size() - len;
    if (user_macro) expanding.push_back({std::string(name), i + value.size(), quoted});
    line.replace(i, len, value);
    result.changed = true;
    // Re-scan from i: the value may itself use parameters.
  }
  return result;
}

}  // namespace vigil::conf
