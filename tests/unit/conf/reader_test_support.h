// Helpers shared by the reader tests: read text, render a Tree compactly, find tokens.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "conf/reader.h"

namespace vigil::conf::testing {

// One line per node: "keyword arg arg" (quoted tokens in double quotes), children indented by
// two spaces; a block with no children shows as "{}".
inline void render(const std::vector<Node>& nodes, int indent, std::string& out) {
  for (const auto& n : nodes) {
    out.append(indent, ' ');
    auto tok = [&](const Token& t) { out += t.quoted ? "\"" + t.text + "\"" : t.text; };
    tok(n.keyword);
    for (const auto& a : n.args) {
      out += ' ';
      tok(a);
    }
    if (n.has_block && n.children.empty()) out += " {}";
    out += '\n';
    render(n.children, indent + 2, out);
  }
}

inline std::string render(const Tree& t) {
  std::string out;
  render(t.nodes, 0, out);
  return out;
}

struct Read {
  Tree tree;
  Diagnostics diag;
  std::string text() const { return render(tree); }
  // Diagnostics, first lines only ("file:line:col: error: message").
  std::string messages() const { return diag.format(false); }
};

inline Read read(std::string_view text, ReadOptions options = {}) {
  if (options.config_id.empty()) options.config_id = "node1";
  Read r;
  r.tree = read_config_text("/virtual/keepalived.conf", text, options, r.diag);
  return r;
}

inline std::string loc(const SourceLoc& l) {
  return l.to_string();
}

// A scratch directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "vigil-reader-XXXXXX").string();
    char* p = mkdtemp(tmpl.data());
    if (p) path_ = p;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string write(const std::string& rel, std::string_view text) const {
    auto full = std::filesystem::path(path_) / rel;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary) << text;
    return full.string();
  }

 private:
  std::string path_;
};

}  // namespace vigil::conf::testing
