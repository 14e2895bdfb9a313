#include "conf/load.h"

#include "conf/parse_config.h"
#include "conf/reader.h"

namespace vigil::conf {
namespace {

// Reads and parses in one pass: each top-level section is parsed as soon as the reader has
// completed it and its syntax tree is dropped, so memory holds the typed model and one section,
// never the whole tree (65,024 generated instances are ~780,000 tree nodes).
template <typename Read>
LoadResult load(Read&& read) {
  LoadResult r;
  ParseContext ctx(r.diag);
  ConfigParser parser(ctx);
  read(r.diag, [&parser](Node&& n) { parser.add(n); });
  if (r.diag.has_errors() && parser.nodes_seen() == 0) return r;
  Config c = parser.finish();
  if (!r.diag.has_errors()) r.config = std::move(c);
  return r;
}

}  // namespace

LoadResult load_config_file(const std::string& path, const LoadOptions& options) {
  ReadOptions ro;
  ro.config_id = options.config_id;
  return load([&](Diagnostics& diag, const NodeSink& sink) {
    read_config_file(path, ro, diag, sink);
  });
}

LoadResult load_config_text(const std::string& virtual_path, std::string_view text,
                            const LoadOptions& options) {
  ReadOptions ro;
  ro.config_id = options.config_id;
  return load([&](Diagnostics& diag, const NodeSink& sink) {
    read_config_text(virtual_path, text, ro, diag, sink);
  });
}

}  // namespace vigil::conf
