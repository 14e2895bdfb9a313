// linkbeat_interfaces, interface_up_down_delays and track_group blocks (static_ipaddress,
// static_routes and static_rules reuse the address/route/rule line parsers).
#include "conf/parse_internal.h"

namespace vigil::conf::detail {

void parse_linkbeat_interfaces(const Node& n, std::vector<LinkbeatInterface>& out,
                               ParseContext& ctx) {
  if (!ctx.expect_block(n)) return;
  for (const auto& c : n.children) {
    LinkbeatInterface li{c.keyword.text, LinkbeatType::Default};
    if (!ctx.expect_args(c, 0, 1)) continue;
    if (!c.args.empty()) {
      auto t = ctx.choice<LinkbeatType>(c, 0,
                                        {{"MII", LinkbeatType::Mii},
                                         {"ETHTOOL", LinkbeatType::Ethtool},
                                         {"IOCTL", LinkbeatType::Ioctl}},
                                        true);
      if (!t) continue;
      li.type = *t;
    }
    out.push_back(li);
  }
}

void parse_interface_delays(const Node& n, std::vector<InterfaceDelay>& out, ParseContext& ctx) {
  if (!ctx.expect_block(n)) return;
  for (const auto& c : n.children) {
    if (!ctx.expect_args(c, 1, 2)) continue;
    auto down = ctx.decimal(c, 0, 0, 255, 6);
    if (!down) continue;
    InterfaceDelay d{c.keyword.text, seconds_to_micros(*down), seconds_to_micros(*down)};
    if (c.args.size() > 1) {
      auto up = ctx.decimal(c, 1, 0, 255, 6);
      if (!up) continue;
      d.up_delay = seconds_to_micros(*up);
    }
    out.push_back(d);
  }
}

void parse_track_group(const Node& n, TrackGroup& tg, ParseContext& ctx) {
  tg.loc = n.loc();
  if (!ctx.expect_args(n, 1, 1)) return;
  tg.name = n.args[0].text;
  if (!ctx.expect_block(n)) return;
  for (const auto& c : n.children) {
    if (c.keyword.text == "group") {
      for (auto& w : block_words(c, ctx)) tg.instances.push_back(w);
    } else {
      report_unknown_keyword(ctx, c, "track_group", {"group"});
    }
  }
}

}  // namespace vigil::conf::detail
