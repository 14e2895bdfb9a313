// The syntax tree of a keepalived.conf after preprocessing (includes, macros, conditionals and
// ~SEQ/~LST expansion are already applied). It knows nothing about keywords' meaning: every
// line is a Node whose first word is its keyword; a `{ ... }` block attaches child Nodes.
//
//   vrrp_instance VI_1 {          -> Node{keyword "vrrp_instance", args ["VI_1"], children [...]}
//       virtual_ipaddress {       -> Node{keyword "virtual_ipaddress", has_block, children [...]}
//           192.0.2.10/24 dev eth0 -> Node{keyword "192.0.2.10/24", args ["dev", "eth0"]}
//       }
//   }
//
// Tokens on the same line as an opening brace ("notification_email { a@b c@d }") become one
// child Node (keyword "a@b", args ["c@d"]); a `{` alone on the next line opens the block of the
// preceding line, as keepalived allows.
#pragma once

#include <string>
#include <vector>

#include "conf/source.h"

namespace vigil::conf {

struct Token {
  std::string text;  // unquoted, escapes resolved
  SourceLoc loc;     // where the token starts (for macro expansions: where the macro was used)
  bool quoted = false;
};

// Columns a diagnostic underlines for a Token (at least one, so empty strings show a caret).
inline unsigned token_width(const Token& t) {
  return t.text.empty() ? 1u : static_cast<unsigned>(t.text.size());
}

struct Node {
  Token keyword;
  std::vector<Token> args;
  bool has_block = false;
  SourceLoc block_loc;  // the `{`
  std::vector<Node> children;

  const SourceLoc& loc() const { return keyword.loc; }
};

// A whole parsed configuration: the top-level lines.
struct Tree {
  std::vector<Node> nodes;
};

}  // namespace vigil::conf
