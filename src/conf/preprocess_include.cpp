#include "conf/preprocess_include.h"

#include <glob.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vigil::conf {

IncludeChecks operator|(const IncludeChecks& a, const IncludeChecks& b) {
  return IncludeChecks{a.readable || b.readable, a.match || b.match,
                       a.wildcard_match || b.wildcard_match, a.brace_match || b.brace_match};
}

std::optional<std::string> apply_include_check(IncludeChecks& level,
                                               const std::vector<std::string>& options) {
  if (options.empty()) {
    level = IncludeChecks{true, true, true, true};
    return std::nullopt;
  }
  bool adding = true;
  for (std::string_view opt : options) {
    while (!opt.empty() && (opt.front() == '+' || opt.front() == '-')) {
      adding = opt.front() == '+';
      opt.remove_prefix(1);
    }
    if (opt.empty()) continue;
    bool* flag = opt == "readable"         ? &level.readable
                 : opt == "match"          ? &level.match
                 : opt == "wildcard_match" ? &level.wildcard_match
                 : opt == "brace_match"    ? &level.brace_match
                                           : nullptr;
    if (!flag) return std::string(opt);
    *flag = adding;
    // A check that wants a matching file also wants to be able to read it.
    if (adding && flag != &level.readable) level.readable = true;
  }
  return std::nullopt;
}

std::optional<IncludeChecks> include_keyword(std::string_view word) {
  if (word == "include") return IncludeChecks{};
  if (word == "includer") return IncludeChecks{.readable = true};
  if (word == "includem") return IncludeChecks{.readable = true, .match = true};
  if (word == "includew")
    return IncludeChecks{.readable = true, .match = true, .wildcard_match = true};
  if (word == "includeb") return IncludeChecks{.readable = true, .brace_match = true};
  if (word == "includea") return IncludeChecks{true, true, true, true};
  return std::nullopt;
}

std::string resolve_include_path(std::string_view pattern, std::string_view including_file) {
  std::filesystem::path p{std::string(pattern)};
  if (p.is_absolute()) return p.string();
  auto dir = std::filesystem::path(std::string(including_file)).parent_path();
  return dir.empty() ? p.string() : (dir / p).string();
}

bool has_wildcard(std::string_view pattern) {
  return pattern.find_first_of("*?[") != std::string_view::npos;
}
bool has_brace(std::string_view pattern) {
  return pattern.find('{') != std::string_view::npos;
}

std::vector<std::string> glob_paths(const std::string& pattern) {
  std::vector<std::string> out;
  if (pattern.find('\0') != std::string::npos) return out;
  glob_t g{};
  int rc = glob(pattern.c_str(), GLOB_BRACE | GLOB_TILDE, nullptr, &g);
  if (rc == 0)
    for (size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  globfree(&g);
  return out;
}

std::optional<std::string> read_whole_file(const std::string& path, std::string* error) {
  std::error_code ec;
  if (path.find('\0') != std::string::npos) {
    *error = "invalid file name";
    return std::nullopt;
  }
  if (!std::filesystem::is_regular_file(path, ec)) {
    *error = std::filesystem::exists(path, ec) ? "not a regular file" : "no such file";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = std::strerror(errno);
    return std::nullopt;
  }
  // One read into a string sized from the file (an ostringstream of rdbuf() grew and copied
  // a multi-megabyte file several times); a file that grows meanwhile is read to its end.
  std::string text;
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size > 0) text.resize(static_cast<size_t>(size));
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (in.bad()) {
    *error = "read error";
    return std::nullopt;
  }
  if (in) {
    std::ostringstream rest;
    rest << in.rdbuf();
    text += std::move(rest).str();
  }
  return text;
}

}  // namespace vigil::conf
