#include "conf/reader_tree_builder.h"

#include <string>

#include "conf/lexer.h"

namespace vigil::conf {

std::vector<Node>& TreeBuilder::container() {
  return depth_ == 0 ? tree_.nodes : pending_[depth_ - 1];
}

void TreeBuilder::flush_top_level() {
  // A top-level node is complete once a later top-level line starts: until then a `{` alone on
  // the next line may still open its block. At depth 0 no open block points into tree_.nodes.
  if (!sink_ || depth_ != 0) return;
  for (Node& n : tree_.nodes) sink_(std::move(n));
  tree_.nodes.clear();
}

void TreeBuilder::open_block(Node* owner, const Token& brace, bool too_deep) {
  if (too_deep) ++too_deep_open_;
  if (owner) {
    owner->has_block = true;
    owner->block_loc = brace.loc;
    if (pending_.size() <= depth_) pending_.emplace_back();
    ++depth_;
  }
  open_.push_back({owner, brace.loc, too_deep});
}

void TreeBuilder::close_block() {
  Open o = std::move(open_.back());
  open_.pop_back();
  if (o.too_deep) --too_deep_open_;
  if (!o.owner) return;
  auto& kids = pending_[--depth_];
  o.owner->children.assign(std::make_move_iterator(kids.begin()),
                           std::make_move_iterator(kids.end()));
  kids.clear();
}

void TreeBuilder::add_line(std::vector<Token>& tokens) {
  // The node this line is filling; pointers stay valid because a container only grows while
  // none of its nodes is open.
  Node* current = nullptr;
  for (size_t i = 0; i < tokens.size(); ++i) {
    Token& tok = tokens[i];
    if (is_open_brace(tok)) {
      Node* owner = current;
      if (!owner) {
        // `{` first on its line opens the block of the previous line's node.
        auto& c = container();
        if (!c.empty() && !c.back().has_block) owner = &c.back();
      }
      bool too_deep = false;
      if (!owner) {
        diag_.error(tok.loc, "unexpected `{` without a keyword before it");
      } else if (depth_ >= max_depth_) {
        // Deeper trees would only exhaust the stack of whoever walks them recursively.
        if (too_deep_open_ == 0)
          diag_.error(tok.loc, "blocks nested more than " + std::to_string(max_depth_) + " deep");
        owner = nullptr;
        too_deep = true;
      }
      open_block(owner, tok, too_deep);
      current = nullptr;
    } else if (is_close_brace(tok)) {
      if (open_.empty()) {
        diag_.error(tok.loc, "unmatched `}`");
      } else {
        close_block();
      }
      current = nullptr;
    } else if (!current) {
      flush_top_level();
      auto& c = container();
      c.emplace_back();
      current = &c.back();
      current->keyword = std::move(tok);
      // Arguments run to the next brace or the end of the line.
      size_t n = i + 1;
      while (n < tokens.size() && !is_open_brace(tokens[n]) && !is_close_brace(tokens[n])) ++n;
      current->args.reserve(n - i - 1);
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
  while (!open_.empty()) close_block();
  flush_top_level();
  return std::move(tree_);
}

}  // namespace vigil::conf
