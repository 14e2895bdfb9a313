#include "conf/parse_lvs_util.h"

#include <cmath>

namespace vigil::conf::lvs_detail {

std::optional<Micros> timer(ParseContext& ctx, const Node& n, size_t index, double min_s,
                            double max_s) {
  auto v = ctx.decimal(n, index, min_s, max_s, 6);
  if (!v) return std::nullopt;
  return Micros{static_cast<int64_t>(std::llround(*v * 1e6))};
}

std::optional<uint32_t> u32(ParseContext& ctx, const Node& n, size_t index, int64_t min,
                            int64_t max) {
  auto v = ctx.integer(n, index, min, max);
  if (!v) return std::nullopt;
  return static_cast<uint32_t>(*v);
}

std::optional<bool> flag(ParseContext& ctx, const Node& n) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 1)) return std::nullopt;
  return ctx.boolean(n, 0);
}

bool bare(ParseContext& ctx, const Node& n) {
  return ctx.expect_no_block(n) && ctx.expect_args(n, 0, 0);
}

std::optional<LvsScript> script(ParseContext& ctx, const Node& n) {
  if (!ctx.expect_args(n, 1, 3)) return std::nullopt;
  LvsScript s;
  s.command = n.args[0].text;
  if (s.command.empty()) {
    ctx.diag.error(n.args[0].loc, "`" + n.keyword.text + "`: empty command");
    return std::nullopt;
  }
  if (n.args.size() > 1) s.user = n.args[1].text;
  if (n.args.size() > 2) s.group = n.args[2].text;
  s.loc = n.args[0].loc;
  return s;
}

std::optional<ForwardingMethod> forwarding(ParseContext& ctx, const Node& n) {
  if (!ctx.expect_args(n, 1, 6)) return std::nullopt;
  ForwardingMethod f;
  f.loc = n.loc();
  auto m = ctx.choice<LvsForwarding>(
      n, 0, {{"NAT", LvsForwarding::Nat}, {"DR", LvsForwarding::Dr}, {"TUN", LvsForwarding::Tun}},
      true);
  if (!m) return std::nullopt;
  f.method = *m;
  size_t i = 1;
  if (f.method != LvsForwarding::Tun) {
    if (n.args.size() > 1) {
      ctx.diag.error(n.args[1].loc, "`" + n.keyword.text + "`: only TUN takes tunnel options");
      return std::nullopt;
    }
    return f;
  }
  bool ok = true;
  if (i < n.args.size() && n.args[i].text == "type") {
    auto t = ctx.choice<TunnelType>(
        n, i + 1, {{"ipip", TunnelType::Ipip}, {"gue", TunnelType::Gue}, {"gre", TunnelType::Gre}});
    if (!t) return std::nullopt;
    f.tunnel_type = *t;
    i += 2;
    if (f.tunnel_type == TunnelType::Gue) {
      if (i < n.args.size() && n.args[i].text == "port") {
        auto p = ctx.port(n, i + 1);
        if (!p) return std::nullopt;
        f.tunnel_port = *p;
        i += 2;
      } else {
        ctx.diag.error(n.args[i - 1].loc, "`" + n.keyword.text + "`: a gue tunnel needs `port N`");
        ok = false;
      }
    }
  }
  if (i < n.args.size()) {
    auto c = ctx.choice<TunnelChecksum>(n, i,
                                        {{"nocsum", TunnelChecksum::NoCsum},
                                         {"csum", TunnelChecksum::Csum},
                                         {"remcsum", TunnelChecksum::RemCsum}});
    if (!c) return std::nullopt;
    if (f.tunnel_type == TunnelType::Ipip) {
      ctx.diag.error(n.args[i].loc,
                     "`" + n.keyword.text + "`: checksum options need `type gue` or `type gre`");
      ok = false;
    } else if (f.tunnel_type == TunnelType::Gre && *c == TunnelChecksum::RemCsum) {
      ctx.diag.error(n.args[i].loc, "`" + n.keyword.text + "`: gre tunnels do not support remcsum");
      ok = false;
    }
    f.tunnel_checksum = c;
    ++i;
  }
  if (i < n.args.size()) {
    ctx.diag.error(n.args[i].loc, "`" + n.keyword.text + "`: unexpected `" + n.args[i].text + "`");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return f;
}

std::optional<LvsScheduler> scheduler(ParseContext& ctx, const Node& n) {
  if (!ctx.expect_args(n, 1, 1)) return std::nullopt;
  return ctx.choice<LvsScheduler>(n, 0,
                                  {{"rr", LvsScheduler::Rr},
                                   {"wrr", LvsScheduler::Wrr},
                                   {"lc", LvsScheduler::Lc},
                                   {"wlc", LvsScheduler::Wlc},
                                   {"lblc", LvsScheduler::Lblc},
                                   {"sh", LvsScheduler::Sh},
                                   {"mh", LvsScheduler::Mh},
                                   {"dh", LvsScheduler::Dh},
                                   {"fo", LvsScheduler::Fo},
                                   {"ovf", LvsScheduler::Ovf},
                                   {"lblcr", LvsScheduler::Lblcr},
                                   {"sed", LvsScheduler::Sed},
                                   {"nq", LvsScheduler::Nq},
                                   {"twos", LvsScheduler::Twos}});
}

}  // namespace vigil::conf::lvs_detail
