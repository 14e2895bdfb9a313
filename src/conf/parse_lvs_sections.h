// Parsers of the LVS top-level sections other than virtual_server (internal to conf/).
#pragma once

#include "conf/model_lvs.h"
#include "conf/schema.h"

namespace vigil::conf::lvs_detail {

void parse_virtual_server_group(const Node& n, LvsConfig& lvs, ParseContext& ctx);
void parse_bfd_instance(const Node& n, LvsConfig& lvs, ParseContext& ctx);
void parse_ssl(const Node& n, LvsConfig& lvs, ParseContext& ctx);

}  // namespace vigil::conf::lvs_detail
