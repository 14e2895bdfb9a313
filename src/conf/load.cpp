#include "conf/load.h"

#include "conf/parse_config.h"
#if __has_include("conf/reader.h")
#include "conf/reader.h"
#define VIGIL_HAVE_READER 1
#endif

namespace vigil::conf {
#ifdef VIGIL_HAVE_READER
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
#else
// Until conf/reader.h lands the loaders report that reading is unavailable.
LoadResult load_config_file(const std::string& path, const LoadOptions&) {
  LoadResult r;
  r.diag.error(SourceLoc{SourceFile::from_text(path, ""), 0, 0},
               "configuration reader not built into this vigil");
  return r;
}
LoadResult load_config_text(const std::string& virtual_path, std::string_view,
                            const LoadOptions& o) {
  return load_config_file(virtual_path, o);
}
#endif

}  // namespace vigil::conf
