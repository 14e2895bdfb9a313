// Test helpers for the LVS configuration tests: text -> Tree -> LvsConfig.
//
// Until conf/reader.h is on main this uses a deliberately tiny line-based builder (words,
// "double quotes", `{`, `}` and `!`/`#` comments; no includes or macros), which is enough for
// the LVS keyword tests and keeps every token's line:col so diagnostics can be checked.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "conf/diag.h"
#include "conf/parse_lvs.h"
#include "conf/tree.h"

namespace vigil::conf::testing {

inline Tree tiny_tree(std::string_view text, const std::string& path = "test.conf") {
  auto file = SourceFile::from_text(path, text);
  Tree tree;
  std::vector<std::vector<Node>*> stack = {&tree.nodes};
  for (unsigned ln = 1; ln <= file->lines.size(); ++ln) {
    std::string_view line = file->line_text(ln);
    std::vector<Token> words;
    for (size_t i = 0; i < line.size();) {
      char c = line[i];
      if (c == ' ' || c == '\t') {
        ++i;
        continue;
      }
      if (c == '!' || c == '#') break;
      Token t;
      t.loc = SourceLoc{file, ln, unsigned(i + 1)};
      if (c == '"') {
        size_t end = line.find('"', i + 1);
        if (end == std::string_view::npos) end = line.size();
        t.text = std::string(line.substr(i + 1, end - i - 1));
        t.quoted = true;
        i = end + 1;
      } else if (c == '{' || c == '}') {
        t.text = std::string(1, c);
        ++i;
      } else {
        size_t end = line.find_first_of(" \t{}", i);
        if (end == std::string_view::npos) end = line.size();
        t.text = std::string(line.substr(i, end - i));
        i = end;
      }
      words.push_back(std::move(t));
    }
    // Turn the words into nodes: `{` opens the block of the node before it, `}` closes.
    Node* current = nullptr;
    for (auto& w : words) {
      if (!w.quoted && w.text == "{") {
        std::vector<Node>& level = *stack.back();
        if (!current && !level.empty()) current = &level.back();
        if (!current) continue;
        current->has_block = true;
        current->block_loc = w.loc;
        stack.push_back(&current->children);
        current = nullptr;
      } else if (!w.quoted && w.text == "}") {
        if (stack.size() > 1) stack.pop_back();
        current = nullptr;
      } else if (!current) {
        stack.back()->push_back(Node{});
        current = &stack.back()->back();
        current->keyword = std::move(w);
      } else {
        current->args.push_back(std::move(w));
      }
    }
  }
  return tree;
}

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
  Tree tree = tiny_tree(text);
  for (const Node& n : tree.nodes) {
    if (!parse_lvs_section(n, r.lvs, ctx))
      ADD_FAILURE() << "not an LVS section: " << n.keyword.text;
  }
  if (validate) validate_lvs(r.lvs, names, ctx);
  return r;
}

}  // namespace vigil::conf::testing
