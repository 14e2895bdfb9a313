// The line-level preprocessor: walks the lines of the main file and everything it includes,
// applies conditionals, parameter definitions/substitution and ~SEQ/~LST loops, and hands each
// resulting token line to the TreeBuilder.
#pragma once

#include <cstddef>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "conf/diag.h"
#include "conf/lexer.h"
#include "conf/preprocess_include.h"
#include "conf/preprocess_loops.h"
#include "conf/preprocess_macros.h"
#include "conf/reader.h"
#include "conf/reader_tree_builder.h"

namespace vigil::conf {

// Bounds that keep hostile input (fuzzers, typos like ~SEQ(X, 1, 1e9)) from exhausting memory.
struct ReaderLimits {
  size_t max_lines = 8'000'000;  // lines processed, after expansion
  size_t max_nesting = 64;       // multi-line parameters / loops inside each other
  bool read_includes = true;     // false: include lines are parsed but no file is opened
};
// Process-wide limits; the fuzz target lowers them.
ReaderLimits& reader_limits();

class Preprocessor {
 public:
  Preprocessor(const ReadOptions& options, Diagnostics& diag, TreeBuilder& out);

  // Reads the main file, already in memory.
  void read_main(const std::shared_ptr<const SourceFile>& file);
  // Reads the file at `path` as the main file; nullptr if it cannot be read (reported).
  std::shared_ptr<const SourceFile> read_main_file(const std::string& path);

 private:
  // A multi-line definition being collected (`$NAME= \` and the lines ending in `\`).
  struct Collector {
    bool active = false;
    std::string name;
    std::vector<std::string> lines;
  };

  void read_source(const std::shared_ptr<const SourceFile>& file);
  void feed_line(LineText line, size_t depth, Collector& c, bool strip_comments);
  void finish(Collector& c);
  void process_line(LineText line, size_t depth, Collector& c);
  void define(const Definition& d, Collector& c);
  void run_loop(const LoopSpec& spec, const LineText& rest, size_t depth, Collector& c);
  void expand_multiline(std::shared_ptr<const std::vector<std::string>> body, const LineText& line,
                        size_t pos, size_t len, size_t depth);
  void include(const IncludeChecks& checks, const LineText& line, size_t keyword_end);
  void set_include_check(const LineText& line);
  bool count_line(const LineText& line);
  void report_undefined(const LineText& line);
  std::string leftover_message(std::string_view inner) const;

  const ReadOptions& options_;
  Diagnostics& diag_;
  TreeBuilder& out_;
  std::string config_id_;
  MacroTable macros_;
  Substituter substituter_;
  // Canonical paths of the files being read, outermost first (cycle detection).
  std::vector<std::string> reading_;
  // keepalived's include_check level: saved when a file is opened and restored when it is
  // closed, so an included file cannot change the level of the file that included it.
  IncludeChecks include_level_;
  size_t lines_ = 0;
  bool aborted_ = false;
  std::vector<Token> tokens_;  // reused for every line
  std::set<std::tuple<const SourceFile*, unsigned, unsigned>> undefined_reported_;
};

}  // namespace vigil::conf
