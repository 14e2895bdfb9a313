// The top level of keepalived.conf: dispatches each root keyword to its section parser.
#include "conf/parse_config.h"

#include <algorithm>
#include <type_traits>

#include "conf/parse_internal.h"
#include "conf/parse_lvs.h"

namespace vigil::conf {

const VrrpInstance* Config::find_instance(std::string_view name) const {
  for (const auto& v : vrrp_instances)
    if (v.name == name) return &v;
  return nullptr;
}
const VrrpScript* Config::find_script(std::string_view name) const {
  for (const auto& v : vrrp_scripts)
    if (v.name == name) return &v;
  return nullptr;
}
const VrrpTrackFile* Config::find_track_file(std::string_view name) const {
  for (const auto& v : track_files)
    if (v.name == name) return &v;
  return nullptr;
}
const VrrpTrackProcess* Config::find_track_process(std::string_view name) const {
  for (const auto& v : track_processes)
    if (v.name == name) return &v;
  return nullptr;
}
const VrrpSyncGroup* Config::find_sync_group(std::string_view name) const {
  for (const auto& v : sync_groups)
    if (v.name == name) return &v;
  return nullptr;
}

namespace {

const std::vector<std::string_view>& section_keywords() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v = {
        "global_defs",     "linkbeat_interfaces", "interface_up_down_delays",
        "track_group",     "static_ipaddress",    "static_routes",
        "static_rules",    "vrrp_script",         "track_file",
        "vrrp_track_file", "vrrp_track_process",  "vrrp_sync_group",
        "garp_group",      "vrrp_instance"};
    for (auto k : detail::root_global_keywords()) v.push_back(k);
    for (auto k : lvs_section_keywords()) v.push_back(k);
    return v;
  }();
  return names;
}

}  // namespace

void ConfigParser::add(const Node& n) {
  using namespace detail;
  Config& c = config_;
  ParseContext& ctx = ctx_;
  ++nodes_seen_;
  const std::string& k = n.keyword.text;
  if (k == "global_defs") {
    parse_global_defs(n, c.global, ctx);
  } else if (parse_root_global(n, c.global, ctx)) {
  } else if (k == "linkbeat_interfaces") {
    parse_linkbeat_interfaces(n, c.linkbeat_interfaces, ctx);
  } else if (k == "interface_up_down_delays") {
    parse_interface_delays(n, c.interface_delays, ctx);
  } else if (k == "track_group") {
    parse_track_group(n, c.track_groups.emplace_back(), ctx);
  } else if (k == "static_ipaddress") {
    parse_address_block(n, c.statics.addresses, ctx, true);
  } else if (k == "static_routes") {
    parse_route_block(n, c.statics.routes, ctx, true);
  } else if (k == "static_rules") {
    parse_rule_block(n, c.statics.rules, ctx, true);
  } else if (k == "vrrp_script") {
    parse_vrrp_script(n, c.vrrp_scripts.emplace_back(), ctx);
  } else if (k == "track_file" || k == "vrrp_track_file") {
    if (k == "vrrp_track_file") report_deprecated_keyword(ctx, n, "track_file");
    parse_track_file(n, c.track_files.emplace_back(), ctx);
  } else if (k == "vrrp_track_process") {
    parse_track_process(n, c.track_processes.emplace_back(), ctx);
  } else if (k == "vrrp_sync_group") {
    parse_sync_group(n, c.sync_groups.emplace_back(), ctx);
  } else if (k == "garp_group") {
    parse_garp_group(n, c.garp_groups.emplace_back(), ctx);
  } else if (k == "vrrp_instance") {
    parse_vrrp_instance(n, c.vrrp_instances.emplace_back(), ctx);
  } else if (parse_lvs_section(n, c.lvs, ctx)) {
  } else {
    report_unknown_keyword(ctx, n, "the top level", section_keywords());
  }
}

Config ConfigParser::finish() {
  using namespace detail;
  resolve_vrrp_defaults(config_, ctx_);
  validate_vrrp(config_, ctx_);
  validate_lvs(config_.lvs, config_, ctx_);
  return std::move(config_);
}

// Streamed instances grow the vector; a copying reallocation would cost seconds at 65k.
static_assert(std::is_nothrow_move_constructible_v<VrrpInstance>);
static_assert(std::is_nothrow_move_constructible_v<VrrpTrackFile>);
// See VrrpInstance: above 1,008 bytes malloc treats it as a large request and consolidates all
// freed memory first, which cost 13 % of loading 65,024 instances. Box rarely used members.
static_assert(sizeof(VrrpInstance) <= 1000);

Config parse_config(const Tree& tree, ParseContext& ctx) {
  ConfigParser parser(ctx);
  for (const Node& n : tree.nodes) parser.add(n);
  return parser.finish();
}

}  // namespace vigil::conf
