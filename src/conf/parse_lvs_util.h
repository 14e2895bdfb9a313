// Argument parsers shared by the LVS keyword tables (internal to conf/parse_lvs*.cpp and
// parse_checkers*.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/time.h"
#include "conf/model_lvs.h"
#include "conf/schema.h"

namespace vigil::conf::lvs_detail {

inline constexpr int64_t kU32Max = 4294967295;

// keepalived TIMER: decimal seconds with microsecond resolution, within [min_s, max_s].
std::optional<Micros> timer(ParseContext& ctx, const Node& n, size_t index, double min_s,
                            double max_s);
std::optional<uint32_t> u32(ParseContext& ctx, const Node& n, size_t index, int64_t min = 0,
                            int64_t max = kU32Max);
// A keyword that is either bare (true) or followed by one BOOL.
std::optional<bool> flag(ParseContext& ctx, const Node& n);
// A keyword that takes no argument at all (`ha_suspend`, `ops`, ...).
bool bare(ParseContext& ctx, const Node& n);
// `KEYWORD COMMAND [username [groupname]]`.
std::optional<LvsScript> script(ParseContext& ctx, const Node& n);
// `lvs_method NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]`.
std::optional<ForwardingMethod> forwarding(ParseContext& ctx, const Node& n);
std::optional<LvsScheduler> scheduler(ParseContext& ctx, const Node& n);

// Adds alpha, connect_timeout, retry, delay_before_retry, warmup and delay_loop handlers that
// store into get(model). `retry_min` is 1 for servers and 0 for checkers, as in keepalived.
template <class Model, class Get>
void add_timing_keywords(std::vector<Keyword<Model>>& kws, Get get, int64_t retry_min) {
  kws.push_back({"alpha", [get](const Node& n, Model& m, ParseContext& ctx) {
                   if (auto v = flag(ctx, n)) get(m).alpha = *v;
                 }});
  kws.push_back({"connect_timeout", [get](const Node& n, Model& m, ParseContext& ctx) {
                   if (!ctx.expect_args(n, 1, 1)) return;
                   if (auto v = timer(ctx, n, 0, 0.000001, 4294.967295))
                     get(m).connect_timeout = *v;
                 }});
  kws.push_back({"retry", [get, retry_min](const Node& n, Model& m, ParseContext& ctx) {
                   if (!ctx.expect_args(n, 1, 1)) return;
                   if (auto v = u32(ctx, n, 0, retry_min)) get(m).retry = *v;
                 }});
  kws.push_back({"delay_before_retry", [get](const Node& n, Model& m, ParseContext& ctx) {
                   if (!ctx.expect_args(n, 1, 1)) return;
                   if (auto v = timer(ctx, n, 0, 0, 18446744073709.0))
                     get(m).delay_before_retry = *v;
                 }});
  kws.push_back({"warmup", [get](const Node& n, Model& m, ParseContext& ctx) {
                   if (!ctx.expect_args(n, 1, 1)) return;
                   if (auto v = timer(ctx, n, 0, 0, 18446744073709.0)) get(m).warmup = *v;
                 }});
  kws.push_back({"delay_loop", [get](const Node& n, Model& m, ParseContext& ctx) {
                   if (!ctx.expect_args(n, 1, 1)) return;
                   if (auto v = timer(ctx, n, 0, 0.000001, 18446744073709.0))
                     get(m).delay_loop = *v;
                 }});
}

// Parses a checker block (n.keyword is TCP_CHECK, HTTP_GET, ...) into rs.checkers.
void parse_checker(const Node& n, RealServer& rs, ParseContext& ctx);
const std::vector<std::string_view>& checker_keywords();

}  // namespace vigil::conf::lvs_detail
