#include "conf/reader.h"

#include "conf/preprocess.h"
#include "conf/reader_tree_builder.h"

namespace vigil::conf {

namespace {

SourceLoc end_of(const std::shared_ptr<const SourceFile>& f) {
  if (!f) return {};
  if (f->lines.empty()) return SourceLoc{f, 1, 1};
  const unsigned n = static_cast<unsigned>(f->lines.size());
  return SourceLoc{f, n, static_cast<unsigned>(f->lines.back().size() + 1)};
}

}  // namespace

void read_config_text(const std::string& virtual_path, std::string_view text,
                      const ReadOptions& options, Diagnostics& diag, const NodeSink& sink) {
  TreeBuilder builder(diag, sink);
  Preprocessor pre(options, diag, builder);
  auto file = SourceFile::from_text(virtual_path, text);
  pre.read_main(file);
  builder.finish(end_of(file));
}

void read_config_file(const std::string& path, const ReadOptions& options, Diagnostics& diag,
                      const NodeSink& sink) {
  TreeBuilder builder(diag, sink);
  Preprocessor pre(options, diag, builder);
  auto file = pre.read_main_file(path);
  builder.finish(end_of(file));
}

Tree read_config_text(const std::string& virtual_path, std::string_view text,
                      const ReadOptions& options, Diagnostics& diag) {
  Tree tree;
  read_config_text(virtual_path, text, options, diag,
                   [&tree](Node&& n) { tree.nodes.push_back(std::move(n)); });
  return tree;
}

Tree read_config_file(const std::string& path, const ReadOptions& options, Diagnostics& diag) {
  Tree tree;
  read_config_file(path, options, diag,
                   [&tree](Node&& n) { tree.nodes.push_back(std::move(n)); });
  return tree;
}

}  // namespace vigil::conf
