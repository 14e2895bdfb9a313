// Test helpers for the LVS configuration tests: text -> Tree -> LvsConfig.
//
// Text goes through the real reader (conf/reader.h), named "test.conf" in locations.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "conf/diag.h"
#include "conf/parse_lvs.h"
#include "conf/reader.h"
#include "conf/tree.h"

namespace vigil::conf::testing {

struct LvsParse {
  LvsConfig lvs;
  Diagnostics diag;
  std::string text() const { return diag.format(false); }
};

// Parses every LVS section of `text` and, when validate, runs validate_lvs.
inline LvsParse parse_lvs_text(std::string_view text, bool validate = true,
                               LvsExternalNames names = {}) {
  LvsParse r;
  ParseContext ctx(r.diag);
  ReadOptions opts;
  opts.config_id = "test";
  Tree tree = read_config_text("test.conf", text, opts, r.diag);
  for (const Node& n : tree.nodes) {
    if (!parse_lvs_section(n, r.lvs, ctx))
      ADD_FAILURE() << "not an LVS section: " << n.keyword.text;
  }
  if (validate) validate_lvs(r.lvs, names, ctx);
  return r;
}

}  // namespace vigil::conf::testing
