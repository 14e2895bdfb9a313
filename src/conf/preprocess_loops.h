// ~SEQ(var, [start,] [step,] end), ~SEQx(...) (hexadecimal values) and ~LST(var, v1, v2, ...) /
// ~LST({a, b}, {1, 2}, {3, 4}): the rest of the line is read once per value with the
// variable(s) defined as parameters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::conf {

struct LoopSpec {
  std::vector<std::string> vars;
  // ~LST: one row of values per iteration, each row as long as vars.
  std::vector<std::vector<std::string>> rows;
  // ~SEQ / ~SEQx (used when rows is empty).
  bool is_seq = false;
  bool hex = false;
  int64_t start = 0, step = 1, end = 0;
  size_t rest = 0;  // offset of the text after the closing `)`

  uint64_t iterations() const;
  // The value(s) of iteration n (0-based).
  std::string seq_value(uint64_t n) const;
};

// True when text starts with ~SEQ, ~SEQx or ~LST followed by `(`.
bool starts_loop(std::string_view text);

// Parses the loop spec at the start of text; on failure returns nullopt and sets *error.
std::optional<LoopSpec> parse_loop(std::string_view text, std::string* error);

}  // namespace vigil::conf
