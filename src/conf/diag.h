// Diagnostics collected while reading a configuration: every error is reported, not just the first.
#pragma once

#include <string>
#include <vector>

#include "conf/source.h"

namespace vigil::conf {

enum class Severity { Error, Warning, Note };

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceLoc loc;
  std::string message;
  // Optional extra line shown after the excerpt, e.g. "did you mean `virtual_router_id`?".
  std::string hint;
  // Length of the offending text for the caret underline (at least 1).
  unsigned length = 1;
};

class Diagnostics {
 public:
  void error(const SourceLoc& loc, std::string message, std::string hint = {}, unsigned length = 1);
  void warning(const SourceLoc& loc, std::string message, std::string hint = {},
               unsigned length = 1);
  void note(const SourceLoc& loc, std::string message);

  bool has_errors() const { return error_count_ > 0; }
  size_t error_count() const { return error_count_; }
  size_t warning_count() const { return warning_count_; }
  const std::vector<Diagnostic>& all() const { return items_; }

  // gcc-style text:
  //   file:line:col: error: message
  //     <source line>
  //     ^~~~~
  //   hint (when present)
  // With excerpt=false only the first line of each diagnostic (used by golden tests).
  std::string format(bool excerpt = true) const;

 private:
  std::vector<Diagnostic> items_;
  size_t error_count_ = 0;
  size_t warning_count_ = 0;
};

std::string format_diagnostic(const Diagnostic& d, bool excerpt);

}  // namespace vigil::conf
