// Assembles the Tree from the token lines the preprocessor emits, matching `{` / `}` across
// lines and included files the way keepalived does.
#pragma once

#include <functional>
#include <vector>

#include "conf/diag.h"
#include "conf/tree.h"

namespace vigil::conf {

// Receives each top-level Node once it is complete (see TreeBuilder's sink).
using NodeSink = std::function<void(Node&&)>;

class TreeBuilder {
 public:
  explicit TreeBuilder(Diagnostics& diag, size_t max_depth = 256)
      : diag_(diag), max_depth_(max_depth) {}
  // With a sink, top-level nodes are handed over as soon as they are complete instead of being
  // kept in the Tree, so a very large configuration never exists as a whole syntax tree.
  TreeBuilder(Diagnostics& diag, NodeSink sink) : diag_(diag), sink_(std::move(sink)) {}

  // One logical line of tokens (braces included as tokens); the tokens are moved out.
  void add_line(std::vector<Token>& tokens);
  // Reports blocks still open; `end` is where the input ended.
  Tree finish(const SourceLoc& end);

 private:
  std::vector<Node>& container();
  // Hands the finished top-level nodes to the sink (all but an open one).
  void flush_top_level();
  void open_block(Node* owner, const Token& brace, bool too_deep = false);
  void close_block();

  Diagnostics& diag_;
  size_t max_depth_ = 256;
  NodeSink sink_;
  Tree tree_;
  // The open blocks, innermost last. nullptr entries are blocks without an owner (a stray `{`);
  // their lines go to the enclosing container so nothing is lost.
  struct Open {
    Node* owner;
    SourceLoc brace;
    bool too_deep = false;  // refused for depth (its content goes one level up)
  };
  std::vector<Open> open_;
  // Children of the open blocks that have an owner, innermost last. Collected here and moved
  // into the owner once its block closes, so each children vector is allocated once at its
  // final size (large generated configs would otherwise spend their time re-growing them).
  std::vector<std::vector<Node>> pending_;
  size_t depth_ = 0;  // how many entries of pending_ are in use
  // Open blocks refused for depth. Only the first of a run is reported: a loop or a file that
  // keeps opening blocks past the limit would otherwise get one error per brace (a 639-byte
  // fuzzed input gave 2,232 of them, 1 MB of diagnostics).
  size_t too_deep_open_ = 0;
};

}  // namespace vigil::conf
