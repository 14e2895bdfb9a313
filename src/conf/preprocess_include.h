// `include PATTERN` and its keepalived variants (includer, includem, includew, includeb,
// includea): glob(3) expansion relative to the including file's directory.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::conf {

// Which problems make an include an error (keepalived's include_check); the plain `include`
// only warns about a missing file and is silent when a wildcard matches nothing.
struct IncludeChecks {
  bool readable = false;        // every match must be readable
  bool match = false;           // a pattern without wildcards must match
  bool wildcard_match = false;  // a pattern with wildcards must match too
  bool brace_match = false;     // a brace expression must match
};

IncludeChecks operator|(const IncludeChecks& a, const IncludeChecks& b);

// Applies the options of a global_defs `include_check [OPTIONS]` line to `level`: no option
// means every check; `+` / `-` switch between adding and removing the options that follow;
// match, wildcard_match and brace_match imply readable. Returns the unknown option, if any.
std::optional<std::string> apply_include_check(IncludeChecks& level,
                                               const std::vector<std::string>& options);

// The checks of an include keyword, or nullopt when `word` is not one.
std::optional<IncludeChecks> include_keyword(std::string_view word);

// `pattern` made relative to `including_file`'s directory unless it is absolute.
std::string resolve_include_path(std::string_view pattern, std::string_view including_file);

bool has_wildcard(std::string_view pattern);
bool has_brace(std::string_view pattern);

// glob(3) with brace expansion; sorted matches (empty when nothing matches).
std::vector<std::string> glob_paths(const std::string& pattern);

// Whole file contents, or nullopt when it cannot be read as a regular file.
std::optional<std::string> read_whole_file(const std::string& path, std::string* error);

}  // namespace vigil::conf
