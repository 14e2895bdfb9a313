#include "conf/load.h"

#include "conf/parse_config.h"
#include "conf/reader.h"

namespace vigil::conf {
namespace {

LoadResult finish(const Tree& tree, LoadResult r) {
  if (r.diag.has_errors() && tree.nodes.empty()) return r;
  ParseContext ctx(r.diag);
  Config c = parse_config(tree, ctx);
  if (!r.diag.has_errors()) r.config = std::move(c);
  return r;
}

}  // namespace

LoadResult load_config_file(const std::string& path, const LoadOptions& options) {
  LoadResult r;
  ReadOptions ro;
  ro.config_id = options.config_id;
  Tree tree = read_config_file(path, ro, r.diag);
  return finish(tree, std::move(r));
}

LoadResult load_config_text(const std::string& virtual_path, std::string_view text,
                            const LoadOptions& options) {
  LoadResult r;
  ReadOptions ro;
  ro.config_id = options.config_id;
  Tree tree = read_config_text(virtual_path, text, ro, r.diag);
  return finish(tree, std::move(r));
}

}  // namespace vigil::conf
