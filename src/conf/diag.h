// Diagnostics collected while reading a configuration: every error is reported, not just the first.
#pragma once

#include <cstddef>
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

// Only the first kMaxListed errors and warnings are kept (with their notes); later ones are
// counted, and format() says how many were left out. A file of garbage or one systematic mistake
// repeated over 37,000 real servers gives thousands of errors: past the first hundred they help
// nobody and cost megabytes of output (compilers stop similarly, e.g. clang's -ferror-limit).
class Diagnostics {
 public:
  static constexpr size_t kMaxListed = 100;

  void error(const SourceLoc& loc, std::string message, std::string hint = {}, unsigned length = 1);
  void warning(const SourceLoc& loc, std::string message, std::string hint = {},
               unsigned length = 1);
  void note(const SourceLoc& loc, std::string message);

  bool has_errors() const { return error_count_ > 0; }
  size_t error_count() const { return error_count_; }
  size_t warning_count() const { return warning_count_; }
  // The listed diagnostics: the first kMaxListed errors and warnings, with their notes.
  const std::vector<Diagnostic>& all() const { return items_; }
  // Errors and warnings counted but not listed (past kMaxListed).
  size_t omitted() const { return omitted_; }
  // False once the list is full: a caller may skip work that only improves a message (e.g. a
  // did-you-mean search), since the diagnostic would not be listed.
  bool listing() const { return listed_ < kMaxListed; }

  // gcc-style text:
  //   file:line:col: error: message
  //     <source line>
  //     ^~~~~
  //   hint (when present)
  // With excerpt=false only the first line of each diagnostic (used by golden tests).
  // Ends with omitted_line() when diagnostics were left out.
  std::string format(bool excerpt = true) const;
  // "N more errors or warnings not listed (only the first 100 are)", or "" when none were.
  std::string omitted_line() const;

 private:
  // Lists d unless the list is full; a note goes with the error or warning before it.
  void add(Diagnostic d);

  std::vector<Diagnostic> items_;
  size_t listed_ = 0;  // errors and warnings in items_
  size_t omitted_ = 0;
  bool last_omitted_ = false;
  size_t error_count_ = 0;
  size_t warning_count_ = 0;
};

// One diagnostic in the text form above. A long source line is shown as a window of about
// kExcerptWidth bytes around the column, with "..." where it was cut.
inline constexpr size_t kExcerptWidth = 160;
std::string format_diagnostic(const Diagnostic& d, bool excerpt);

}  // namespace vigil::conf
