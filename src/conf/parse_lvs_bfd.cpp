// bfd_instance and the top-level SSL block.
#include <cmath>

#include "conf/parse_lvs_sections.h"
#include "conf/parse_lvs_util.h"

namespace vigil::conf::lvs_detail {
namespace {

// Milliseconds with microsecond resolution ("3.312").
std::optional<Micros> millis(ParseContext& ctx, const Node& n, double min_ms, double max_ms) {
  if (!ctx.expect_args(n, 1, 1)) return std::nullopt;
  auto v = ctx.decimal(n, 0, min_ms, max_ms, 3);
  if (!v) return std::nullopt;
  return Micros{static_cast<int64_t>(std::llround(*v * 1000))};
}

std::optional<uint8_t> hop_value(ParseContext& ctx, const Node& n) {
  if (!ctx.expect_args(n, 1, 1)) return std::nullopt;
  auto v = ctx.integer(n, 0, 1, 255);
  if (!v) return std::nullopt;
  return static_cast<uint8_t>(*v);
}

void neighbor(const Node& n, BfdInstance& b, ParseContext& ctx) {
  if (ctx.expect_args(n, 1, 1)) b.neighbor_ip = ctx.address(n, 0);
}

const KeywordTable<BfdInstance>& bfd_table() {
  static const KeywordTable<BfdInstance> table(
      "bfd_instance", std::vector<Keyword<BfdInstance>>{
                          {"neighbor_ip", neighbor, ""},
                          {"neighbour_ip", neighbor, ""},
                          {"source_ip",
                           [](const Node& n, BfdInstance& b, ParseContext& ctx) {
                             if (ctx.expect_args(n, 1, 1)) b.source_ip = ctx.address(n, 0);
                           }},
                          {"min_rx",
                           [](const Node& n, BfdInstance& b, ParseContext& ctx) {
                             if (auto v = millis(ctx, n, 1, 4294967)) b.min_rx = *v;
                           }},
                          {"min_tx",
                           [](const Node& n, BfdInstance& b, ParseContext& ctx) {
                             if (auto v = millis(ctx, n, 1, 4294967)) b.min_tx = *v;
                           }},
                          {"idle_tx",
                           [](const Node& n, BfdInstance& b, ParseContext& ctx) {
                             if (auto v = millis(ctx, n, 1000, 4294967)) b.idle_tx = *v;
                           }},
                          {"multiplier",
                           [](const Node& n, BfdInstance& b, ParseContext& ctx) {
                             if (auto v = hop_value(ctx, n)) b.multiplier = *v;
                           }},
                          {"passive",
                           [](const Node& n, BfdInstance& b, ParseContext& ctx) {
                             if (bare(ctx, n)) b.passive = true;
                           }},
                          {"ttl",
                           [](const Node& n, BfdInstance& b, ParseContext& ctx) {
                             if (auto v = hop_value(ctx, n)) b.ttl = *v;
                           }},
                          {"hoplimit",
                           [](const Node& n, BfdInstance& b, ParseContext& ctx) {
                             if (auto v = hop_value(ctx, n)) b.hoplimit = *v;
                           }},
                          {"max_hops",
                           [](const Node& n, BfdInstance& b, ParseContext& ctx) {
                             if (!ctx.expect_args(n, 1, 1)) return;
                             if (auto v = ctx.integer(n, 0, -1, 255))
                               b.max_hops = static_cast<int16_t>(*v);
                           }},
                          {"weight",
                           [](const Node& n, BfdInstance& b, ParseContext& ctx) {
                             if (!ctx.expect_args(n, 1, 2)) return;
                             auto v = ctx.integer(n, 0, -253, 253);
                             if (!v) return;
                             if (n.args.size() > 1 && !ctx.choice<bool>(n, 1, {{"reverse", true}}))
                               return;
                             b.weight = static_cast<int32_t>(*v);
                             b.reverse = n.args.size() > 1;
                           }},
                          {"vrrp",
                           [](const Node& n, BfdInstance& b, ParseContext& ctx) {
                             if (bare(ctx, n)) b.notify_checker = false;
                           }},
                          {"checker",
                           [](const Node& n, BfdInstance& b, ParseContext& ctx) {
                             if (bare(ctx, n)) b.notify_vrrp = false;
                           }},
                      });
  return table;
}

template <std::optional<std::string> SslConfig::*member>
void ssl_string(const Node& n, SslConfig& s, ParseContext& ctx) {
  if (ctx.expect_args(n, 1, 1)) s.*member = n.args[0].text;
}

const KeywordTable<SslConfig>& ssl_table() {
  static const KeywordTable<SslConfig> table(
      "SSL", std::vector<Keyword<SslConfig>>{
                 {"password", ssl_string<&SslConfig::password>, ""},
                 {"ca", ssl_string<&SslConfig::ca>, ""},
                 {"certificate", ssl_string<&SslConfig::certificate>, ""},
                 {"key", ssl_string<&SslConfig::key>, ""},
             });
  return table;
}

}  // namespace

void parse_bfd_instance(const Node& n, LvsConfig& lvs, ParseContext& ctx) {
  if (!ctx.expect_args(n, 1, 1) || !ctx.expect_block(n)) return;
  BfdInstance b;
  b.name = n.args[0].text;
  b.loc = n.loc();
  bfd_table().apply(n.children, b, ctx);
  lvs.bfd.push_back(std::move(b));
}

void parse_ssl(const Node& n, LvsConfig& lvs, ParseContext& ctx) {
  if (!ctx.expect_args(n, 0, 0) || !ctx.expect_block(n)) return;
  if (lvs.ssl) ctx.diag.warning(n.loc(), "second `SSL` block; its settings are merged");
  SslConfig s = lvs.ssl.value_or(SslConfig{});
  if (!lvs.ssl) s.loc = n.loc();
  ssl_table().apply(n.children, s, ctx);
  lvs.ssl = std::move(s);
}

}  // namespace vigil::conf::lvs_detail
