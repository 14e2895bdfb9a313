// Reading keepalived.conf text into a syntax Tree: includes, comments, quoting, parameters
// ($NAME), conditional lines (@id / @^id) and ~SEQ/~LST loops are all resolved here; what comes
// out is the Tree described in conf/tree.h, every Token carrying its file:line:col.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "conf/diag.h"
#include "conf/reader_tree_builder.h"
#include "conf/tree.h"

namespace vigil::conf {

struct ReadOptions {
  // Compared with the word after `@` / `@^` on conditional lines (keepalived's -i/--config-id).
  // Empty: the first label of the host name, as keepalived does. ${_INSTANCE} is config_id
  // when set, otherwise the full host name.
  std::string config_id;
  // Parameters defined before the first line is read, as if by `$NAME=value` (tests).
  std::map<std::string, std::string> predefined;
  size_t max_include_depth = 32;
};

// Reads `path` and everything it includes; never throws on bad input; problems go to diag.
Tree read_config_file(const std::string& path, const ReadOptions&, Diagnostics& diag);
// Same for text already in memory; `virtual_path` names it in locations and is the base for
// relative includes and ${_PWD}.
Tree read_config_text(const std::string& virtual_path, std::string_view text, const ReadOptions&,
                      Diagnostics& diag);

// The same, handing each top-level Node to `sink` as soon as it is complete, so the whole tree
// of a very large configuration never has to exist at once (conf/load.h parses this way).
void read_config_file(const std::string& path, const ReadOptions&, Diagnostics& diag,
                      const NodeSink& sink);
void read_config_text(const std::string& virtual_path, std::string_view text, const ReadOptions&,
                      Diagnostics& diag, const NodeSink& sink);

}  // namespace vigil::conf
