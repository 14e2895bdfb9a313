// Entry points of the LVS part of the configuration (virtual_server_group, virtual_server with
// its real servers and checkers, bfd_instance, SSL), called by the top-level dispatcher.
#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "conf/model_lvs.h"
#include "conf/schema.h"
#include "conf/tree.h"

namespace vigil::conf {

struct Config;  // conf/model.h

// Returns true if n is an LVS top-level section (virtual_server, virtual_server_group,
// bfd_instance, SSL) and was handled (errors go to ctx); false leaves n to the caller.
bool parse_lvs_section(const Node& n, LvsConfig& lvs, ParseContext& ctx);
// The top-level keywords parse_lvs_section handles, for "did you mean" at top level.
const std::vector<std::string_view>& lvs_section_keywords();

// What validation needs from outside the LVS sections (filled from Config by the Config
// overload; usable on its own in tests).
struct LvsExternalNames {
  bool know_track_files = false;  // false: FILE_CHECK references are not checked
  std::vector<std::string> track_files;
};

// Cross-checks: duplicate virtual servers/groups/bfd instances, group and bfd references,
// sorry_server family, quorum vs total weight, port rules, ...
void validate_lvs(const LvsConfig& lvs, const LvsExternalNames& names, ParseContext& ctx);
void validate_lvs(const LvsConfig& lvs, const Config& all, ParseContext& ctx);

nlohmann::json lvs_to_json(const LvsConfig& lvs);

}  // namespace vigil::conf
