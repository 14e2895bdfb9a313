#include "conf/reader_tree_builder.h"

#include "conf/lexer.h"

namespace vigil::conf {

std::vector<Node>& TreeBuilder::container() {
  for (auto it = open_.rbegin(); it != open_.rend(); ++it)
    if (it->owner) return it->owner->children;
  return tree_.nodes;
}

void TreeBuilder::open_block(Node* owner, const Token& brace) {
  if (owner) {
    owner->has_block = true;
    owner->block_loc = brace.loc;
  }
  open_.push_back({owner, brace.loc});
}

void TreeBuilder::add_line(std::vector<Token> tokens) {
  // The node this line is filling; pointers stay valid because a container only grows while
  // none of its nodes is open.
  Node* current = nullptr;
  for (auto& tok : tokens) {
    if (is_open_brace(tok)) {
      Node* owner = current;
      if (!owner) {
        // `{` first on its line opens the block of the previous line's node.
        auto& c = container();
        if (!c.empty() && !c.back().has_block) owner = &c.back();
      }
      if (!owner) diag_.error(tok.loc, "unexpected `{` without a keyword before it");
      open_block(owner, tok);
      current = nullptr;
    } else if (is_close_brace(tok)) {
      if (open_.empty()) {
        diag_.error(tok.loc, "unmatched `}`");
      } else {
        open_.pop_back();
      }
      current = nullptr;
    } else if (!current) {
      auto& c = container();
      c.emplace_back();
      current = &c.back();
      current->keyword = std::move(tok);
    } else {
      current->args.push_back(std::move(tok));
    }
  }
}

Tree TreeBuilder::finish(const SourceLoc& end) {
  if (!open_.empty()) {
    diag_.error(end, open_.size() == 1
                         ? std::string("missing `}` at end of input")
                         : std::to_string(open_.size()) + " missing `}` at end of input");
    for (auto it = open_.rbegin(); it != open_.rend(); ++it)
      diag_.note(it->brace, "block opened here");
  }
  open_.clear();
  return std::move(tree_);
}

}  // namespace vigil::conf
