// keepalived's parameter substitution: `$NAME=value` definitions (single- and multi-line),
// `$NAME` / `${NAME}` uses, and the pre-defined ${_PWD}, ${_INSTANCE}, ${_RANDOM [MIN [MAX]]},
// ${_ENV NAME}, ${_HASH}, ${_BANG}. Only the pre-defined parameters take arguments: keepalived
// (2.2.7 and 2.3) has no user-defined parameterised definitions.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "conf/diag.h"
#include "conf/lexer.h"

namespace vigil::conf {

struct Macro {
  std::string value;  // a single-line definition
  // The lines of a multi-line definition (shared: expanding must not copy them).
  std::shared_ptr<const std::vector<std::string>> body;
  bool multiline() const { return body != nullptr; }
};

// `$NAME=value` at the start of text (after leading blanks): name and raw value.
struct Definition {
  std::string_view name;
  std::string_view value;
};
std::optional<Definition> parse_definition(std::string_view text);
bool is_macro_name_start(char c);
bool is_macro_name_char(char c);

class MacroTable {
 public:
  void define(const std::string& name, Macro m) { macros_[name] = std::move(m); }
  void undefine(std::string_view name);
  const Macro* find(std::string_view name) const;
  // The current definition, to restore it after a ~SEQ/~LST loop variable goes out of scope.
  std::optional<Macro> save(std::string_view name) const;
  void restore(const std::string& name, std::optional<Macro> saved);
  // Fast path for loop variables: replaces the value in place.
  void set_value(const std::string& name, std::string value);

 private:
  std::map<std::string, Macro, std::less<>> macros_;
};

struct SubstitutionLimits {
  size_t max_replacements = 10000;  // per line; a self-referencing macro hits this
  size_t max_line_length = 256 * 1024;
};

// What substitute() found.
struct Substituted {
  bool changed = false;
  bool failed = false;  // limits exceeded (reported); the line should be dropped
  // Set when a multi-line macro was met at [multiline_pos, +multiline_len): text before it is
  // substituted, text after it is not yet.
  std::shared_ptr<const std::vector<std::string>> multiline;
  size_t multiline_pos = 0;
  size_t multiline_len = 0;
};

class Substituter {
 public:
  Substituter(MacroTable& macros, std::string instance, Diagnostics& diag)
      : macros_(macros), instance_(std::move(instance)), diag_(diag) {}

  // Replaces every defined parameter in `line`, re-scanning replacements (so values can use
  // other parameters, resolved at use time). Undefined parameters stay as written, like
  // keepalived.
  Substituted substitute(LineText& line);

  SubstitutionLimits limits;

 private:
  // The value of a pre-defined parameter, or nullopt when `name` is none or its arguments are
  // wrong (the use then stays as written and the preprocessor reports it).
  std::optional<std::string> builtin(std::string_view name, std::string_view args,
                                     const LineText& line);

  MacroTable& macros_;
  std::string instance_;
  Diagnostics& diag_;
  std::minstd_rand rng_{std::random_device{}()};
  // ${_PWD} of the last file asked about (a generated config asks for the same one often).
  std::shared_ptr<const SourceFile> pwd_file_;  // held so its address stays unique
  std::string pwd_;
};

}  // namespace vigil::conf
