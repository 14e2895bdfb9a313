#include "conf/preprocess.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

namespace vigil::conf {

ReaderLimits& reader_limits() {
  static ReaderLimits limits;
  return limits;
}

namespace {

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return {};
  return buf;
}

std::string canonical_or_same(const std::string& path) {
  std::error_code ec;
  auto p = std::filesystem::weakly_canonical(path, ec);
  return ec ? path : p.string();
}

}  // namespace

Preprocessor::Preprocessor(const ReadOptions& options, Diagnostics& diag, TreeBuilder& out)
    : options_(options),
      diag_(diag),
      out_(out),
      substituter_(macros_, options.config_id.empty() ? host_name() : options.config_id, diag) {
  config_id_ = options.config_id;
  if (config_id_.empty()) {
    config_id_ = host_name();
    config_id_ = config_id_.substr(0, config_id_.find('.'));
  }
  for (const auto& [name, value] : options.predefined) macros_.define(name, Macro{value, nullptr});
}

bool Preprocessor::count_line(const LineText& line) {
  if (aborted_) return false;
  if (++lines_ > reader_limits().max_lines) {
    diag_.error(line.loc_at(0), "configuration expands to more than " +
                                    std::to_string(reader_limits().max_lines) +
                                    " lines; giving up");
    aborted_ = true;
    return false;
  }
  return true;
}

std::shared_ptr<const SourceFile> Preprocessor::read_main_file(const std::string& path) {
  std::string error;
  auto text = read_whole_file(path, &error);
  if (!text) {
    diag_.error(SourceLoc{}, "cannot read configuration file `" + path + "`: " + error);
    return nullptr;
  }
  auto file = SourceFile::from_string(path, std::move(*text));
  read_main(file);
  return file;
}

void Preprocessor::read_main(const std::shared_ptr<const SourceFile>& file) {
  reading_.push_back(canonical_or_same(file->path));
  read_source(file);
  reading_.pop_back();
}

void Preprocessor::read_source(const std::shared_ptr<const SourceFile>& file) {
  const IncludeChecks saved_level = include_level_;
  Collector c;
  for (size_t i = 0; i < file->lines.size() && !aborted_; ++i)
    feed_line(LineText(std::string(file->lines[i]), file, static_cast<unsigned>(i + 1)), 0, c,
              true);
  finish(c);
  include_level_ = saved_level;
}

void Preprocessor::feed_line(LineText line, size_t depth, Collector& c, bool strip_comments) {
  if (strip_comments) {
    size_t k = find_comment(line.text());
    if (k != std::string::npos) line.truncate(k);
  }
  if (c.active) {
    std::string_view t = line.text();
    while (!t.empty() && is_blank(t.back())) t.remove_suffix(1);
    bool more = !t.empty() && t.back() == '\\';
    if (more) t.remove_suffix(1);
    while (!t.empty() && is_blank(t.front())) t.remove_prefix(1);
    while (!t.empty() && is_blank(t.back())) t.remove_suffix(1);
    if (!t.empty()) c.lines.emplace_back(t);
    if (!more) finish(c);
    return;
  }
  process_line(std::move(line), depth, c);
}

void Preprocessor::finish(Collector& c) {
  if (!c.active) return;
  macros_.define(c.name,
                 Macro{{}, std::make_shared<const std::vector<std::string>>(std::move(c.lines))});
  c = Collector{};
}

void Preprocessor::define(const Definition& d, Collector& c) {
  std::string_view value = d.value;
  if (!value.empty() && value.back() == '\\') {
    value.remove_suffix(1);
    while (!value.empty() && is_blank(value.back())) value.remove_suffix(1);
    finish(c);
    c.active = true;
    c.name = std::string(d.name);
    if (!value.empty()) c.lines.emplace_back(value);
    return;
  }
  macros_.define(std::string(d.name), Macro{std::string(value), nullptr});
}

void Preprocessor::process_line(LineText line, size_t depth, Collector& c) {
  if (!count_line(line)) return;
  if (depth > reader_limits().max_nesting) {
    diag_.error(line.loc_at(0), "parameters or loops nested more than " +
                                    std::to_string(reader_limits().max_nesting) +
                                    " deep (recursive definition?)");
    return;
  }
  line.trim();
  if (line.empty()) return;

  // @id / @^id: keep the rest of the line only on the matching (or non-matching) node.
  if (line.text()[0] == '@') {
    const std::string& t = line.text();
    size_t i = 1;
    bool negate = i < t.size() && t[i] == '^';
    if (negate) ++i;
    size_t j = i;
    while (j < t.size() && !is_blank(t[j])) ++j;
    bool match = std::string_view(t).substr(i, j - i) == config_id_;
    if (match == negate) return;
    line.erase_prefix(j);
    line.trim();
    if (line.empty()) return;
  }

  if (auto d = parse_definition(line.text())) {
    define(*d, c);
    return;
  }

  if (starts_loop(line.text())) {
    // Parameters in the loop's own (...) are substituted first, as keepalived does; the rest
    // of the line is substituted per iteration.
    size_t close = line.text().find(')');
    LineText head = line, rest;
    if (close != std::string::npos) {
      head.truncate(close + 1);
      rest = line.suffix(close + 1);
      if (substituter_.substitute(head).failed) return;
    }
    std::string error;
    auto spec = parse_loop(head.text(), &error);
    if (!spec) {
      diag_.error(line.loc_at(0), error);
      return;
    }
    if (spec->rest < head.text().size()) {
      diag_.error(head.loc_at(spec->rest), "unexpected text in the loop specification");
      return;
    }
    run_loop(*spec, rest, depth, c);
    return;
  }

  Substituted s = substituter_.substitute(line);
  if (s.failed) return;
  if (s.multiline) {
    expand_multiline(std::move(s.multiline), line, s.multiline_pos, s.multiline_len, depth);
    return;
  }
  if (s.changed) {
    // A value may have produced a conditional, a definition or a loop: look again.
    line.trim();
    std::string_view t = line.text();
    if (!t.empty() && (t[0] == '@' || parse_definition(t) || starts_loop(t))) {
      process_line(std::move(line), depth + 1, c);
      return;
    }
  }

  // Include lines are recognised on the raw text: the pattern may hold glob braces.
  {
    const std::string& t = line.text();
    size_t j = 0;
    while (j < t.size() && !is_blank(t[j])) ++j;
    if (auto checks = include_keyword(std::string_view(t).substr(0, j))) {
      include(*checks | include_level_, line, j);
      return;
    }
    // Applied while reading, like keepalived; the line still reaches global_defs' table.
    if (std::string_view(t).substr(0, j) == "include_check") set_include_check(line);
  }
  report_undefined(line);
  tokenize(line, diag_, tokens_);
  if (!tokens_.empty()) out_.add_line(tokens_);
}

// Why `${inner}` was not replaced: only the pre-defined parameters take arguments, and theirs
// have a fixed form.
std::string Preprocessor::leftover_message(std::string_view inner) const {
  size_t n = 0;
  while (n < inner.size() && is_macro_name_char(inner[n])) ++n;
  std::string name(inner.substr(0, n));
  std::string use = "`${" + std::string(inner) + "}`";
  if (name == "_ENV") return use + ": `_ENV` takes one environment variable name";
  if (n == inner.size()) return "undefined parameter `" + name + "`";
  if (name == "_RANDOM")
    return use + ": `_RANDOM` takes at most two non-negative integers, MIN and MAX";
  if (name == "_PWD" || name == "_INSTANCE" || name == "_HASH" || name == "_BANG")
    return use + ": `" + name + "` takes no arguments";
  if (macros_.find(name))
    return use + ": `" + name +
           "` is a definition, which takes no arguments (only pre-defined parameters such as "
           "_RANDOM do)";
  return "undefined parameter `" + name + "` in " + use;
}

void Preprocessor::report_undefined(const LineText& line) {
  const std::string& t = line.text();
  if (t.find("${") == std::string::npos) return;
  bool quoted = false;
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (t[i] == '"') quoted = !quoted;
    if (quoted && t[i] == '\\') ++i;
    if (quoted || t[i] != '$' || t[i + 1] != '{') continue;
    size_t close = t.find('}', i + 2);
    if (close == std::string::npos) return;
    std::string_view name = std::string_view(t).substr(i + 2, close - i - 2);
    if (name.empty() || !is_macro_name_start(name[0])) continue;
    // Whatever is still here was not defined (or had arguments it does not take). keepalived
    // would leave it and split its braces into block markers; inside quotes it is harmless.
    // A loop repeats the same use many times: report each place once.
    SourceLoc at = line.loc_at(i);
    if (undefined_reported_.insert({at.file.get(), at.line, at.col}).second)
      diag_.error(at, leftover_message(name), {}, static_cast<unsigned>(close + 1 - i));
  }
}

void Preprocessor::run_loop(const LoopSpec& spec, const LineText& rest, size_t depth,
                            Collector& c) {
  std::vector<std::optional<Macro>> saved;
  for (const auto& v : spec.vars) saved.push_back(macros_.save(v));
  const uint64_t n = spec.iterations();
  for (uint64_t i = 0; i < n && !aborted_; ++i) {
    if (spec.is_seq) {
      macros_.set_value(spec.vars[0], spec.seq_value(i));
    } else {
      for (size_t k = 0; k < spec.vars.size(); ++k)
        macros_.set_value(spec.vars[k], spec.rows[i][k]);
    }
    process_line(rest, depth + 1, c);
  }
  // keepalived does not promise the variable survives the loop; restoring keeps loops local.
  for (size_t k = 0; k < spec.vars.size(); ++k) macros_.restore(spec.vars[k], std::move(saved[k]));
}

void Preprocessor::expand_multiline(std::shared_ptr<const std::vector<std::string>> body,
                                    const LineText& line, size_t pos, size_t len, size_t depth) {
  const SourceLoc use = line.loc_at(pos);
  if (depth >= reader_limits().max_nesting) {
    diag_.error(use, "parameters nested more than " + std::to_string(reader_limits().max_nesting) +
                         " deep (recursive definition?)");
    return;
  }
  // `body` is held by shared_ptr: the expansion may redefine the parameter it comes from.
  const auto& lines = *body;
  Collector c;
  if (lines.size() <= 1) {
    LineText only = line;
    only.replace(pos, len, lines.empty() ? std::string() : lines[0]);
    feed_line(std::move(only), depth + 1, c, false);
  } else {
    LineText first = line;
    first.replace(pos, first.text().size() - pos, lines[0]);
    feed_line(std::move(first), depth + 1, c, false);
    for (size_t i = 1; i + 1 < lines.size() && !aborted_; ++i)
      feed_line(LineText::expanded(lines[i], use), depth + 1, c, false);
    // The text after the use continues the last line.
    LineText last = LineText::expanded(lines.back(), use);
    last.replace(last.text().size(), 0, std::string_view(line.text()).substr(pos + len));
    if (!aborted_) feed_line(std::move(last), depth + 1, c, false);
  }
  finish(c);
}

void Preprocessor::set_include_check(const LineText& line) {
  std::vector<Token> tokens;
  Diagnostics scratch;  // the tree builder reports lexical problems of this line once
  tokenize(line, scratch, tokens);
  std::vector<std::string> options;
  for (size_t i = 1; i < tokens.size(); ++i) options.push_back(tokens[i].text);
  if (auto bad = apply_include_check(include_level_, options)) {
    for (size_t i = 1; i < tokens.size(); ++i)
      if (tokens[i].text.find(*bad) != std::string::npos) {
        diag_.error(tokens[i].loc, "unknown include_check option `" + *bad + "`",
                    "options are readable, match, wildcard_match, brace_match, with + or -",
                    static_cast<unsigned>(tokens[i].text.size()));
        break;
      }
  }
}

void Preprocessor::include(const IncludeChecks& checks, const LineText& line, size_t keyword_end) {
  const std::string keyword = line.text().substr(0, keyword_end);
  LineText rest = line.suffix(keyword_end);
  rest.trim();
  if (rest.empty()) {
    diag_.error(line.loc_at(0), "`" + keyword + "` needs a file name or pattern", {},
                static_cast<unsigned>(keyword.size()));
    return;
  }
  // The pattern is the rest of the line; surrounding double quotes are removed.
  std::string text = rest.text();
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
    text = text.substr(1, text.size() - 2);
  struct {
    std::string text;
    SourceLoc loc;
  } pattern_tok{text, rest.loc_at(0)};
  const std::string including = line.file() ? line.file()->path : std::string();
  const std::string pattern = resolve_include_path(pattern_tok.text, including);
  const unsigned len = static_cast<unsigned>(std::max<size_t>(1, rest.text().size()));

  if (!reader_limits().read_includes) return;
  std::vector<std::string> paths = glob_paths(pattern);
  if (paths.empty()) {
    const bool wild = has_wildcard(pattern_tok.text);
    const bool brace = has_brace(pattern_tok.text);
    const std::string msg = wild || brace
                                ? "no file matches include pattern `" + pattern_tok.text + "`"
                                : "include file `" + pattern_tok.text + "` not found";
    const bool is_error =
        wild ? checks.wildcard_match
             : (brace ? checks.brace_match || checks.match : checks.match || checks.readable);
    if (is_error)
      diag_.error(pattern_tok.loc, msg, {}, len);
    else if (!wild && !brace)
      // keepalived logs a missing file for a plain `include` and carries on.
      diag_.warning(pattern_tok.loc, msg, {}, len);
    return;
  }

  for (const auto& path : paths) {
    if (aborted_) return;
    if (reading_.size() >= options_.max_include_depth) {
      diag_.error(
          pattern_tok.loc,
          "includes nested more than " + std::to_string(options_.max_include_depth) + " deep", {},
          len);
      return;
    }
    const std::string canonical = canonical_or_same(path);
    if (std::find(reading_.begin(), reading_.end(), canonical) != reading_.end()) {
      diag_.error(pattern_tok.loc, "include cycle: `" + path + "` is already being read", {}, len);
      continue;
    }
    std::string error;
    auto text = read_whole_file(path, &error);
    if (!text) {
      const std::string msg = "cannot read include file `" + path + "`: " + error;
      if (checks.readable)
        diag_.error(pattern_tok.loc, msg, {}, len);
      else
        diag_.warning(pattern_tok.loc, msg, {}, len);
      continue;
    }
    reading_.push_back(canonical);
    read_source(SourceFile::from_string(path, std::move(*text)));
    reading_.pop_back();
  }
}

}  // namespace vigil::conf
