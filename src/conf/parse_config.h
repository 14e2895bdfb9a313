// Syntax tree -> typed Config (keyword tables, defaults, validation). Most callers want
// conf/load.h, which also reads the file.
#pragma once

#include "conf/model.h"
#include "conf/schema.h"
#include "conf/tree.h"

namespace vigil::conf {

// Always returns a Config; it is only meaningful when ctx.diag has no errors.
Config parse_config(const Tree& tree, ParseContext& ctx);

// The same, one top-level Node at a time (for nodes streamed from the reader): add() each
// node in file order, then finish() applies defaults and validates.
class ConfigParser {
 public:
  explicit ConfigParser(ParseContext& ctx) : ctx_(ctx) {}
  void add(const Node& top_level);
  size_t nodes_seen() const { return nodes_seen_; }
  Config finish();

 private:
  ParseContext& ctx_;
  Config config_;
  size_t nodes_seen_ = 0;
};

}  // namespace vigil::conf
