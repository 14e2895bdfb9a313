// Section parsers used by parse_config.cpp; one file per section family. Internal to conf/.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "conf/model.h"
#include "conf/schema.h"
#include "conf/tree.h"

namespace vigil::conf::detail {

// ---- token-level helpers (parse_common.cpp) ----
// The words of a line: the keyword followed by its arguments (for address/route/rule lines,
// where the "keyword" is really the first value).
std::vector<const Token*> line_tokens(const Node& n);
std::optional<int64_t> token_integer(const Token& t, ParseContext& ctx, int64_t min, int64_t max,
                                     std::string_view what);
// Decimal seconds with up to 6 decimals -> microseconds.
std::optional<Micros> token_seconds(const Token& t, ParseContext& ctx, double min, double max,
                                    std::string_view what, int max_decimals = 6);
std::optional<IpAddress> token_address(const Token& t, ParseContext& ctx);
std::optional<IpPrefix> token_prefix(const Token& t, ParseContext& ctx);
Micros seconds_to_micros(double s);

// Splits a command line like keepalived: spaces separate words; quotes group them.
std::vector<std::string> split_command(std::string_view text);
// `KEYWORD COMMAND [username [groupname]]`; `first` is the index of COMMAND in n.args.
ScriptCommand parse_script_command(const Node& n, ParseContext& ctx, size_t first = 0,
                                   bool allow_user = true);
std::optional<NotifyFifo> parse_notify_fifo(const Node& n, ParseContext& ctx);

// Lines of virtual_ipaddress / static_ipaddress etc.
std::optional<VirtualAddress> parse_address_line(const Node& n, ParseContext& ctx, bool is_static);
std::optional<Route> parse_route_line(const Node& n, ParseContext& ctx, bool is_static);
std::optional<Rule> parse_rule_line(const Node& n, ParseContext& ctx, bool is_static);
void parse_address_block(const Node& n, std::vector<VirtualAddress>& out, ParseContext& ctx,
                         bool is_static);
void parse_route_block(const Node& n, std::vector<Route>& out, ParseContext& ctx, bool is_static);
void parse_rule_block(const Node& n, std::vector<Rule>& out, ParseContext& ctx, bool is_static);

// track_interface { IF [weight W [reverse]] } and track_script/file/process/bfd blocks.
void parse_track_interfaces(const Node& n, std::vector<TrackedInterface>& out, ParseContext& ctx);
void parse_track_refs(const Node& n, std::vector<TrackRef>& out, ParseContext& ctx,
                      int32_t min_weight, int32_t max_weight);
// `weight W [reverse|noreverse|no_reverse]` starting at args[index].
void parse_weight_args(const Node& n, size_t index, int32_t min_weight, int32_t max_weight,
                       std::optional<int32_t>& weight, bool& reverse, ParseContext& ctx);

// Block whose lines are plain words, e.g. notification_email, sync group `group`.
std::vector<TrackRef> block_words(const Node& n, ParseContext& ctx);

// ---- sections ----
void parse_global_defs(const Node& n, GlobalDefs& g, ParseContext& ctx);
// Root-level daemon keywords (net_namespace, instance, use_pid_dir ...). True if handled.
bool parse_root_global(const Node& n, GlobalDefs& g, ParseContext& ctx);
const std::vector<std::string_view>& root_global_keywords();

void parse_linkbeat_interfaces(const Node& n, std::vector<LinkbeatInterface>& out,
                               ParseContext& ctx);
void parse_interface_delays(const Node& n, std::vector<InterfaceDelay>& out, ParseContext& ctx);
void parse_track_group(const Node& n, TrackGroup& tg, ParseContext& ctx);

void parse_vrrp_script(const Node& n, VrrpScript& s, ParseContext& ctx);
void parse_track_file(const Node& n, VrrpTrackFile& f, ParseContext& ctx);
void parse_track_process(const Node& n, VrrpTrackProcess& p, ParseContext& ctx);
void parse_sync_group(const Node& n, VrrpSyncGroup& g, ParseContext& ctx);
void parse_garp_group(const Node& n, GarpGroup& g, ParseContext& ctx);
void parse_vrrp_instance(const Node& n, VrrpInstance& vi, ParseContext& ctx);

// Fill instance values that default to global_defs or depend on other settings.
void resolve_vrrp_defaults(Config& c, ParseContext& ctx);
// Ranges that depend on other keywords, references, duplicates.
void validate_vrrp(Config& c, ParseContext& ctx);

}  // namespace vigil::conf::detail
