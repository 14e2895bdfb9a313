// A minimal keepalived.conf tokenizer for unit tests of the keyword tables, so they do not
// depend on the full reader (conf/reader.h): words, "quoted strings", # and ! comments,
// `{` `}` blocks. No includes, macros or loops.
#pragma once

#include <cctype>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "conf/tree.h"

namespace vigil::conf::testing {

inline Tree tree_from_text(std::string_view text, std::string path = "test.conf") {
  auto file = SourceFile::from_text(path, text);
  struct Tok {
    Token t;
    bool open = false, close = false;
  };
  std::vector<std::vector<Tok>> lines;
  for (unsigned ln = 1; ln <= file->lines.size(); ++ln) {
    std::string_view s = file->line_text(ln);
    std::vector<Tok> toks;
    size_t i = 0;
    while (i < s.size()) {
      char c = s[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
        continue;
      }
      if (c == '#' || c == '!') break;
      Tok tk;
      tk.t.loc = SourceLoc{file, ln, unsigned(i + 1)};
      if (c == '{' || c == '}') {
        tk.open = c == '{';
        tk.close = c == '}';
        tk.t.text = std::string(1, c);
        ++i;
      } else if (c == '"') {
        size_t e = s.find('"', i + 1);
        if (e == std::string_view::npos) e = s.size();
        tk.t.text = std::string(s.substr(i + 1, e - i - 1));
        tk.t.quoted = true;
        i = e + 1;
      } else {
        size_t e = i;
        while (e < s.size() && !std::isspace(static_cast<unsigned char>(s[e])) && s[e] != '{' &&
               s[e] != '}')
          ++e;
        tk.t.text = std::string(s.substr(i, e - i));
        i = e;
      }
      toks.push_back(std::move(tk));
    }
    lines.push_back(std::move(toks));
  }
  Tree tree;
  std::vector<std::vector<Node>*> stack{&tree.nodes};
  for (auto& toks : lines) {
    Node* cur = nullptr;
    for (auto& tk : toks) {
      if (tk.open) {
        Node* owner = cur ? cur : (stack.back()->empty() ? nullptr : &stack.back()->back());
        if (!owner) continue;
        owner->has_block = true;
        owner->block_loc = tk.t.loc;
        stack.push_back(&owner->children);
        cur = nullptr;
      } else if (tk.close) {
        if (stack.size() > 1) stack.pop_back();
        cur = nullptr;
      } else if (!cur) {
        stack.back()->push_back(Node{});
        cur = &stack.back()->back();
        cur->keyword = tk.t;
      } else {
        cur->args.push_back(tk.t);
      }
    }
  }
  return tree;
}

}  // namespace vigil::conf::testing
