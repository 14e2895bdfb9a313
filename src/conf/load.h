// Loading keepalived.conf into the typed Config: read (includes, macros, ...), parse the
// keyword tables, apply defaults, validate. All problems are collected in `diag`.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "conf/diag.h"
#include "conf/model.h"

namespace vigil::conf {

struct LoadOptions {
  std::string config_id;  // -i / --config-id, for @conditional lines
};

struct LoadResult {
  std::optional<Config> config;  // set only when diag has no errors
  Diagnostics diag;
};

LoadResult load_config_file(const std::string& path, const LoadOptions& options);
// `virtual_path` names the text in diagnostics and is the base for relative includes.
LoadResult load_config_text(const std::string& virtual_path, std::string_view text,
                            const LoadOptions& options);

// The stable JSON form of a Config (docs/config-json.md); `vigild --dump-conf` prints it.
nlohmann::json to_json(const Config& config);
// Its "vrrp" and "global_defs" members alone: reload diffs of one side must not pay for
// serialising the other (37,205 real servers take seconds to turn into JSON).
nlohmann::json vrrp_to_json(const Config& config);
nlohmann::json global_defs_to_json(const GlobalDefs& global);

}  // namespace vigil::conf
