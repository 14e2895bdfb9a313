// Address, route and rule lines (virtual_* and static_* blocks), following the grammar of
// `ip address add`, `ip route add` and `ip rule add` as keepalived accepts it.
#include <algorithm>

#include "conf/parse_internal.h"

namespace vigil::conf::detail {
namespace {

// Reads the value after option tokens[i]; reports and returns nullptr when missing.
const Token* value_after(const std::vector<const Token*>& toks, size_t& i, ParseContext& ctx) {
  if (i + 1 >= toks.size()) {
    ctx.diag.error(toks[i]->loc, "`" + toks[i]->text + "` needs a value", {},
                   token_width(*toks[i]));
    return nullptr;
  }
  return toks[++i];
}

void unknown_option(const Token& t, std::string_view what,
                    const std::vector<std::string_view>& options, ParseContext& ctx) {
  auto s = suggest(t.text, options);
  ctx.diag.error(t.loc, "unknown " + std::string(what) + " option `" + t.text + "`",
                 s.empty() ? std::string{} : "did you mean `" + s + "`?", token_width(t));
}

std::optional<AddressScope> scope_of(const Token& t, ParseContext& ctx) {
  static const std::vector<std::pair<std::string_view, AddressScope>> kScopes = {
      {"global", AddressScope::Global},
      {"site", AddressScope::Site},
      {"link", AddressScope::Link},
      {"host", AddressScope::Host},
      {"nowhere", AddressScope::Nowhere}};
  for (auto& [name, s] : kScopes)
    if (t.text == name) return s;
  if (auto v = token_integer(t, ctx, 0, 255, "scope")) {
    switch (*v) {
      case 0:
        return AddressScope::Global;
      case 200:
        return AddressScope::Site;
      case 253:
        return AddressScope::Link;
      case 254:
        return AddressScope::Host;
      case 255:
        return AddressScope::Nowhere;
      default:
        break;
    }
    ctx.diag.error(t.loc, "scope " + t.text + " is not global, site, link, host or nowhere");
  }
  return std::nullopt;
}

std::optional<uint32_t> table_of(const Token& t, ParseContext& ctx) {
  if (t.text == "local") return 255;
  if (t.text == "main") return 254;
  if (t.text == "default") return 253;
  if (auto v = token_integer(t, ctx, 1, UINT32_MAX, "table")) return static_cast<uint32_t>(*v);
  return std::nullopt;
}

std::optional<uint8_t> protocol_of(const Token& t, ParseContext& ctx) {
  static const std::vector<std::pair<std::string_view, uint8_t>> kProtos = {
      {"redirect", 1}, {"kernel", 2}, {"boot", 3},   {"static", 4},      {"gated", 8},
      {"ra", 9},       {"mrt", 10},   {"zebra", 11}, {"bird", 12},       {"dnrouted", 13},
      {"xorp", 14},    {"ntk", 15},   {"dhcp", 16},  {"keepalived", 18}, {"babel", 42},
      {"bgp", 186},    {"isis", 187}, {"ospf", 188}, {"rip", 189},       {"eigrp", 192}};
  for (auto& [name, v] : kProtos)
    if (t.text == name) return v;
  if (auto v = token_integer(t, ctx, 0, 255, "protocol")) return static_cast<uint8_t>(*v);
  return std::nullopt;
}

std::optional<std::pair<uint16_t, uint16_t>> port_range(const Token& t, ParseContext& ctx) {
  auto dash = t.text.find('-');
  Token a = t, b = t;
  if (dash != std::string::npos) {
    a.text = t.text.substr(0, dash);
    b.text = t.text.substr(dash + 1);
  }
  auto lo = token_integer(a, ctx, 0, 65535, "port");
  auto hi = token_integer(b, ctx, 0, 65535, "port");
  if (!lo || !hi) return std::nullopt;
  if (*hi < *lo) {
    ctx.diag.error(t.loc, "port range `" + t.text + "` ends before it starts", {}, token_width(t));
    return std::nullopt;
  }
  return std::pair<uint16_t, uint16_t>(static_cast<uint16_t>(*lo), static_cast<uint16_t>(*hi));
}

}  // namespace

std::optional<VirtualAddress> parse_address_line(const Node& n, ParseContext& ctx, bool is_static) {
  static const std::vector<std::string_view> kOptions = {
      "brd",           "dev",      "use_vmac", "scope",         "label",
      "peer",          "home",     "-nodad",   "nodad",         "mngtmpaddr",
      "noprefixroute", "autojoin", "no_track", "preferred_lft", "track_group"};
  if (!ctx.expect_no_block(n)) return std::nullopt;
  auto toks = line_tokens(n);
  VirtualAddress va;
  va.loc = n.loc();
  auto p = token_prefix(*toks[0], ctx);
  if (!p) return std::nullopt;
  va.address = *p;
  bool ok = true;
  for (size_t i = 1; i < toks.size(); ++i) {
    const Token& t = *toks[i];
    const std::string& o = t.text;
    if (o == "brd" || o == "broadcast") {
      const Token* v = value_after(toks, i, ctx);
      if (!v) return std::nullopt;
      if (v->text == "+") {
        va.broadcast = VirtualAddress::Broadcast::SetHostBits;
      } else if (v->text == "-") {
        va.broadcast = VirtualAddress::Broadcast::ClearHostBits;
      } else if (auto a = token_address(*v, ctx)) {
        va.broadcast = VirtualAddress::Broadcast::Address;
        va.broadcast_address = a;
      } else {
        ok = false;
      }
    } else if (o == "dev") {
      const Token* v = value_after(toks, i, ctx);
      if (!v) return std::nullopt;
      va.dev = v->text;
    } else if (o == "use_vmac" && !is_static) {
      va.use_vmac = true;
    } else if (o == "scope") {
      const Token* v = value_after(toks, i, ctx);
      if (!v) return std::nullopt;
      if (auto s = scope_of(*v, ctx))
        va.scope = *s;
      else
        ok = false;
    } else if (o == "label") {
      const Token* v = value_after(toks, i, ctx);
      if (!v) return std::nullopt;
      if (v->text.size() > 15) {
        ctx.diag.error(v->loc, "label `" + v->text + "` is longer than 15 characters", {},
                       token_width(*v));
        ok = false;
      }
      va.label = v->text;
    } else if (o == "peer") {
      const Token* v = value_after(toks, i, ctx);
      if (!v) return std::nullopt;
      if (auto pp = token_prefix(*v, ctx))
        va.peer = pp;
      else
        ok = false;
    } else if (o == "home") {
      va.home = true;
    } else if (o == "-nodad" || o == "nodad") {
      va.nodad = true;
    } else if (o == "mngtmpaddr") {
      va.mngtmpaddr = true;
    } else if (o == "noprefixroute") {
      va.noprefixroute = true;
    } else if (o == "autojoin") {
      va.autojoin = true;
    } else if (o == "no_track" && !is_static) {
      va.no_track = true;
    } else if (o == "preferred_lft") {
      const Token* v = value_after(toks, i, ctx);
      if (!v) return std::nullopt;
      if (v->text == "forever") {
        va.preferred_lft = UINT32_MAX;
      } else if (auto x = token_integer(*v, ctx, 0, UINT32_MAX - 1, "preferred_lft")) {
        va.preferred_lft = static_cast<uint32_t>(*x);
      } else {
        ok = false;
      }
    } else if (o == "track_group" && is_static) {
      const Token* v = value_after(toks, i, ctx);
      if (!v) return std::nullopt;
      va.track_group = v->text;
    } else {
      unknown_option(t, "address", kOptions, ctx);
      return std::nullopt;  // the rest of the line cannot be interpreted reliably
    }
  }
  if (va.peer && va.peer->address.family() != va.address.address.family()) {
    ctx.diag.error(n.loc(), "peer address family differs from `" + n.keyword.text + "`");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return va;
}

std::optional<Route> parse_route_line(const Node& n, ParseContext& ctx, bool is_static) {
  static const std::vector<std::pair<std::string_view, RouteType>> kTypes = {
      {"unicast", RouteType::Unicast},
      {"local", RouteType::Local},
      {"broadcast", RouteType::Broadcast},
      {"anycast", RouteType::Anycast},
      {"multicast", RouteType::Multicast},
      {"blackhole", RouteType::Blackhole},
      {"unreachable", RouteType::Unreachable},
      {"prohibit", RouteType::Prohibit},
      {"throw", RouteType::Throw},
      {"nat", RouteType::Nat},
      {"xresolve", RouteType::Xresolve}};
  static const std::vector<std::string_view> kMetrics = {
      "mtu",  "hoplimit", "advmss",  "rtt",      "rttvar",   "reordering", "window",
      "cwnd", "ssthresh", "rto_min", "initcwnd", "initrwnd", "quickack",   "fastopen_no_cookie"};
  static const std::vector<std::string_view> kOptions = {
      "to",         "src",         "from",     "via",         "gw",       "or",
      "dev",        "oif",         "scope",    "table",       "metric",   "priority",
      "preference", "protocol",    "proto",    "tos",         "dsfield",  "realms",
      "congctl",    "features",    "pref",     "vrf",         "nexthop",  "onlink",
      "append",     "inet6",       "no_track", "track_group", "mtu",      "hoplimit",
      "advmss",     "rtt",         "rttvar",   "reordering",  "window",   "cwnd",
      "ssthresh",   "rto_min",     "initcwnd", "initrwnd",    "quickack", "fastopen_no_cookie",
      "blackhole",  "unreachable", "prohibit", "throw"};
  if (!ctx.expect_no_block(n)) return std::nullopt;
  auto toks = line_tokens(n);
  Route r;
  r.loc = n.loc();
  bool have_dst = false, ok = true;
  RouteNextHop* nh = nullptr;
  for (size_t i = 0; i < toks.size(); ++i) {
    const Token& t = *toks[i];
    const std::string& o = t.text;
    auto type_it =
        std::find_if(kTypes.begin(), kTypes.end(), [&](auto& p) { return p.first == o; });
    if (i == 0 && type_it != kTypes.end()) {
      r.type = type_it->second;
      continue;
    }
    auto need = [&]() { return value_after(toks, i, ctx); };
    if (nh && (o == "via" || o == "dev" || o == "weight" || o == "onlink" || o == "realms")) {
      if (o == "onlink") {
        nh->onlink = true;
        continue;
      }
      const Token* v = need();
      if (!v) return std::nullopt;
      if (o == "via") {
        if (v->text == "inet" || v->text == "inet6") v = need();
        if (!v) return std::nullopt;
        if (auto a = token_address(*v, ctx))
          nh->via = a;
        else
          ok = false;
      } else if (o == "dev") {
        nh->dev = v->text;
      } else if (o == "weight") {
        if (auto w = token_integer(*v, ctx, 1, 256, "nexthop weight"))
          nh->weight = static_cast<uint32_t>(*w);
        else
          ok = false;
      } else {
        nh->realms = v->text;
      }
      continue;
    }
    if (o == "to") {
      const Token* v = need();
      if (!v) return std::nullopt;
      if (auto p = token_prefix(*v, ctx))
        r.destination = *p, have_dst = true;
      else
        ok = false;
    } else if (o == "src") {
      const Token* v = need();
      if (!v) return std::nullopt;
      if (auto a = token_address(*v, ctx))
        r.src = a;
      else
        ok = false;
    } else if (o == "from") {
      const Token* v = need();
      if (!v) return std::nullopt;
      if (auto p = token_prefix(*v, ctx))
        r.from = p;
      else
        ok = false;
    } else if (o == "via" || o == "gw") {
      const Token* v = need();
      if (!v) return std::nullopt;
      if (v->text == "inet" || v->text == "inet6") v = need();
      if (!v) return std::nullopt;
      if (auto a = token_address(*v, ctx))
        r.via = a;
      else
        ok = false;
    } else if (o == "or") {
      const Token* v = need();
      if (!v) return std::nullopt;
      if (auto a = token_address(*v, ctx))
        r.or_via = a;
      else
        ok = false;
    } else if (o == "dev" || o == "oif") {
      const Token* v = need();
      if (!v) return std::nullopt;
      r.dev = v->text;
    } else if (o == "scope") {
      const Token* v = need();
      if (!v) return std::nullopt;
      if (auto s = scope_of(*v, ctx))
        r.scope = s;
      else
        ok = false;
    } else if (o == "table") {
      const Token* v = need();
      if (!v) return std::nullopt;
      if (auto x = table_of(*v, ctx))
        r.table = x;
      else
        ok = false;
    } else if (o == "metric" || o == "priority" || o == "preference") {
      const Token* v = need();
      if (!v) return std::nullopt;
      if (auto x = token_integer(*v, ctx, 0, UINT32_MAX, o))
        r.metric = uint32_t(*x);
      else
        ok = false;
    } else if (o == "protocol" || o == "proto") {
      const Token* v = need();
      if (!v) return std::nullopt;
      if (auto x = protocol_of(*v, ctx))
        r.protocol = x;
      else
        ok = false;
    } else if (o == "tos" || o == "dsfield") {
      const Token* v = need();
      if (!v) return std::nullopt;
      if (auto x = token_integer(*v, ctx, 0, 255, o))
        r.tos = uint8_t(*x);
      else
        ok = false;
    } else if (o == "realms" || o == "realm") {
      const Token* v = need();
      if (!v) return std::nullopt;
      r.realms = v->text;
    } else if (std::find(kMetrics.begin(), kMetrics.end(), o) != kMetrics.end()) {
      const Token* v = need();
      if (!v) return std::nullopt;
      if (v->text == "lock") {
        r.locked_metrics.push_back(o);
        v = need();
        if (!v) return std::nullopt;
      }
      if (auto x = token_integer(*v, ctx, 0, UINT32_MAX, o))
        r.metrics[o] = uint32_t(*x);
      else
        ok = false;
    } else if (o == "congctl") {
      const Token* v = need();
      if (!v) return std::nullopt;
      if (v->text == "lock") {
        r.congctl_lock = true;
        v = need();
        if (!v) return std::nullopt;
      }
      r.congctl = v->text;
    } else if (o == "features") {
      const Token* v = need();
      if (!v) return std::nullopt;
      if (v->text == "ecn") {
        r.features_ecn = true;
      } else {
        ctx.diag.error(v->loc, "unknown route feature `" + v->text + "` (only `ecn`)");
        ok = false;
      }
    } else if (o == "pref") {
      const Token* v = need();
      if (!v) return std::nullopt;
      if (v->text == "medium")
        r.pref = 0;
      else if (v->text == "high")
        r.pref = 1;
      else if (v->text == "low")
        r.pref = 3;
      else {
        ctx.diag.error(v->loc, "`pref` must be low, medium or high", {}, token_width(*v));
        ok = false;
      }
    } else if (o == "vrf") {
      const Token* v = need();
      if (!v) return std::nullopt;
      r.vrf = v->text;
    } else if (o == "nexthop") {
      r.nexthops.emplace_back();
      nh = &r.nexthops.back();
    } else if (o == "onlink") {
      r.onlink = true;
    } else if (o == "append") {
      r.append = true;
    } else if (o == "inet6") {
      r.inet6 = true;
    } else if (o == "no_track" && !is_static) {
      r.no_track = true;
    } else if (o == "track_group" && is_static) {
      const Token* v = need();
      if (!v) return std::nullopt;
      r.track_group = v->text;
    } else if (o == "encap" || o == "expires" || o == "ttl-propagate") {
      ctx.diag.error(t.loc, "route option `" + o + "` is not supported by vigil", {},
                     token_width(t));
      ok = false;
    } else if (!have_dst && (IpPrefix::parse(o) || o == "default")) {
      if (o == "default") {
        r.destination = *IpPrefix::parse(r.inet6 ? "::/0" : "0.0.0.0/0");
      } else {
        r.destination = *IpPrefix::parse(o);
      }
      have_dst = true;
    } else {
      unknown_option(t, "route", kOptions, ctx);
      return std::nullopt;
    }
  }
  if (!have_dst) {
    ctx.diag.error(n.loc(), "route has no destination", {}, token_width(n.keyword));
    return std::nullopt;
  }
  auto fam = r.destination.address.family();
  auto check = [&](const std::optional<IpAddress>& a, std::string_view what) {
    if (a && a->family() != fam) {
      ctx.diag.error(n.loc(), "route `" + std::string(what) +
                                  "` address family differs from "
                                  "the destination " +
                                  r.destination.to_string());
      ok = false;
    }
  };
  check(r.via, "via");
  check(r.src, "src");
  check(r.or_via, "or");
  if (!ok) return std::nullopt;
  return r;
}

std::optional<Rule> parse_rule_line(const Node& n, ParseContext& ctx, bool is_static) {
  static const std::vector<std::string_view> kOptions = {"not",
                                                         "from",
                                                         "to",
                                                         "table",
                                                         "lookup",
                                                         "goto",
                                                         "preference",
                                                         "priority",
                                                         "order",
                                                         "iif",
                                                         "dev",
                                                         "oif",
                                                         "tos",
                                                         "dsfield",
                                                         "fwmark",
                                                         "realms",
                                                         "uidrange",
                                                         "l3mdev",
                                                         "protocol",
                                                         "ip_proto",
                                                         "ipproto",
                                                         "sport",
                                                         "dport",
                                                         "suppress_prefixlength",
                                                         "suppress_ifgroup",
                                                         "blackhole",
                                                         "unreachable",
                                                         "prohibit",
                                                         "nop",
                                                         "inet6",
                                                         "no_track",
                                                         "track_group",
                                                         "type"};
  if (!ctx.expect_no_block(n)) return std::nullopt;
  auto toks = line_tokens(n);
  Rule r;
  r.loc = n.loc();
  bool ok = true;
  for (size_t i = 0; i < toks.size(); ++i) {
    const Token& t = *toks[i];
    const std::string& o = t.text;
    auto need = [&]() { return value_after(toks, i, ctx); };
    auto prefix_or_all = [&](std::optional<IpPrefix>& dst) {
      const Token* v = need();
      if (!v) return false;
      if (v->text == "all") return true;
      if (auto p = token_prefix(*v, ctx)) {
        dst = p;
        return true;
      }
      return false;
    };
    auto u32 = [&](std::optional<uint32_t>& dst, int64_t min, int64_t max) {
      const Token* v = need();
      if (!v) return false;
      auto x = token_integer(*v, ctx, min, max, o);
      if (x) dst = static_cast<uint32_t>(*x);
      return x.has_value();
    };
    if (o == "not") {
      r.invert = true;
    } else if (o == "from") {
      ok &= prefix_or_all(r.from);
    } else if (o == "to") {
      ok &= prefix_or_all(r.to);
    } else if (o == "table" || o == "lookup") {
      const Token* v = need();
      if (!v) return std::nullopt;
      if (auto x = table_of(*v, ctx))
        r.table = x;
      else
        ok = false;
    } else if (o == "goto") {
      ok &= u32(r.goto_target, 0, UINT32_MAX);
      r.action = RuleAction::Goto;
    } else if (o == "preference" || o == "priority" || o == "order" || o == "pref" || o == "prio") {
      ok &= u32(r.preference, 0, UINT32_MAX);
    } else if (o == "iif" || o == "dev") {
      const Token* v = need();
      if (!v) return std::nullopt;
      r.iif = v->text;
    } else if (o == "oif") {
      const Token* v = need();
      if (!v) return std::nullopt;
      r.oif = v->text;
    } else if (o == "tos" || o == "dsfield") {
      std::optional<uint32_t> x;
      ok &= u32(x, 0, 255);
      if (x) r.tos = uint8_t(*x);
    } else if (o == "fwmark") {
      const Token* v = need();
      if (!v) return std::nullopt;
      Token mark = *v, mask = *v;
      auto slash = v->text.find('/');
      if (slash != std::string::npos) {
        mark.text = v->text.substr(0, slash);
        mask.text = v->text.substr(slash + 1);
        if (auto m = token_integer(mask, ctx, 0, UINT32_MAX, "fwmark mask"))
          r.fwmask = uint32_t(*m);
        else
          ok = false;
      }
      if (auto m = token_integer(mark, ctx, 0, UINT32_MAX, "fwmark"))
        r.fwmark = uint32_t(*m);
      else
        ok = false;
    } else if (o == "realms") {
      const Token* v = need();
      if (!v) return std::nullopt;
      r.realms = v->text;
    } else if (o == "uidrange") {
      const Token* v = need();
      if (!v) return std::nullopt;
      auto dash = v->text.find('-');
      Token a = *v, b = *v;
      if (dash == std::string::npos) {
        ctx.diag.error(v->loc, "uidrange must be FIRST-LAST", {}, token_width(*v));
        ok = false;
      } else {
        a.text = v->text.substr(0, dash);
        b.text = v->text.substr(dash + 1);
        auto lo = token_integer(a, ctx, 0, UINT32_MAX, "uidrange");
        auto hi = token_integer(b, ctx, 0, UINT32_MAX, "uidrange");
        if (lo && hi)
          r.uidrange = {uint32_t(*lo), uint32_t(*hi)};
        else
          ok = false;
      }
    } else if (o == "l3mdev") {
      r.l3mdev = true;
    } else if (o == "protocol" || o == "proto") {
      const Token* v = need();
      if (!v) return std::nullopt;
      if (auto x = protocol_of(*v, ctx))
        r.protocol = x;
      else
        ok = false;
    } else if (o == "ip_proto" || o == "ipproto") {
      const Token* v = need();
      if (!v) return std::nullopt;
      static const std::vector<std::pair<std::string_view, uint8_t>> kIp = {
          {"tcp", 6}, {"udp", 17}, {"sctp", 132}, {"icmp", 1}, {"ipv6-icmp", 58},
          {"TCP", 6}, {"UDP", 17}, {"SCTP", 132}, {"ICMP", 1}};
      auto it = std::find_if(kIp.begin(), kIp.end(), [&](auto& p) { return p.first == v->text; });
      if (it != kIp.end())
        r.ip_proto = it->second;
      else if (auto x = token_integer(*v, ctx, 0, 255, "ip_proto"))
        r.ip_proto = uint8_t(*x);
      else
        ok = false;
    } else if (o == "sport" || o == "dport") {
      const Token* v = need();
      if (!v) return std::nullopt;
      auto pr = port_range(*v, ctx);
      if (!pr) ok = false;
      (o == "sport" ? r.sport : r.dport) = pr;
    } else if (o == "suppress_prefixlength") {
      ok &= u32(r.suppress_prefixlength, 0, 128);
    } else if (o == "suppress_ifgroup") {
      ok &= u32(r.suppress_ifgroup, 0, UINT32_MAX);
    } else if (o == "blackhole" || o == "unreachable" || o == "prohibit" || o == "nop" ||
               o == "type") {
      std::string a = o;
      if (o == "type") {
        const Token* v = need();
        if (!v) return std::nullopt;
        a = v->text;
      }
      if (a == "blackhole")
        r.action = RuleAction::Blackhole;
      else if (a == "unreachable")
        r.action = RuleAction::Unreachable;
      else if (a == "prohibit")
        r.action = RuleAction::Prohibit;
      else if (a == "nop")
        r.action = RuleAction::Nop;
      else {
        ctx.diag.error(t.loc, "unknown rule type `" + a + "`");
        ok = false;
      }
    } else if (o == "inet6") {
      r.inet6 = true;
    } else if (o == "no_track" && !is_static) {
      r.no_track = true;
    } else if (o == "track_group" && is_static) {
      const Token* v = need();
      if (!v) return std::nullopt;
      r.track_group = v->text;
    } else {
      unknown_option(t, "rule", kOptions, ctx);
      return std::nullopt;
    }
  }
  if (ok && r.from && r.to && r.from->address.family() != r.to->address.family()) {
    ctx.diag.error(n.loc(), "rule `from` and `to` are of different address families");
    ok = false;
  }
  if (ok && r.action == RuleAction::ToTable && !r.table) {
    ctx.diag.error(n.loc(),
                   "rule needs `table`, `goto` or a type (blackhole, unreachable, "
                   "prohibit, nop)",
                   {}, token_width(n.keyword));
    ok = false;
  }
  if (!ok) return std::nullopt;
  if (!r.preference)
    ctx.diag.warning(n.loc(),
                     "rule has no `preference`; the kernel picks one, which changes "
                     "with the order rules are added",
                     "add `preference N`", unsigned(n.keyword.text.size()));
  return r;
}

void parse_address_block(const Node& n, std::vector<VirtualAddress>& out, ParseContext& ctx,
                         bool is_static) {
  if (!ctx.expect_block(n)) return;
  for (const auto& c : n.children)
    if (auto a = parse_address_line(c, ctx, is_static)) out.push_back(std::move(*a));
}

void parse_route_block(const Node& n, std::vector<Route>& out, ParseContext& ctx, bool is_static) {
  if (!ctx.expect_block(n)) return;
  for (const auto& c : n.children)
    if (auto r = parse_route_line(c, ctx, is_static)) out.push_back(std::move(*r));
}

void parse_rule_block(const Node& n, std::vector<Rule>& out, ParseContext& ctx, bool is_static) {
  if (!ctx.expect_block(n)) return;
  for (const auto& c : n.children)
    if (auto r = parse_rule_line(c, ctx, is_static)) out.push_back(std::move(*r));
}

}  // namespace vigil::conf::detail
