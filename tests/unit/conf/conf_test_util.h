// Parses test text with the test tokenizer and the real keyword tables.
#pragma once

#include <string>

#include "conf/parse_config.h"
#include "conf_test_tree.h"

namespace vigil::conf::testing {

struct Parsed {
  Config config;
  Diagnostics diag;
  std::string messages() const { return diag.format(false); }
};

inline Parsed parse_text(std::string_view text) {
  Parsed p;
  ParseContext ctx(p.diag);
  p.config = parse_config(tree_from_text(text), ctx);
  return p;
}

}  // namespace vigil::conf::testing
