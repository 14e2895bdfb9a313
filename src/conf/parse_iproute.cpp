// Address, route and rule lines (virtual_* and static_* blocks), following the grammar of
// `ip address add`, `ip route add` and `ip rule add` as keepalived accepts it.
#include <algorithm>

#include "conf/parse_internal.h"

namespace vigil::conf::detail {
namespace {

// One `ip ...` line's words, read option by option. A missing value ends the line (what
// follows cannot be interpreted reliably): the readers then return false and the caller gives up
// on the line. A value that is present but invalid is reported, clears `ok`, and reading goes
// on, so that one pass reports every mistake of the line.
class OptionLine {
 public:
  OptionLine(const Node& n, ParseContext& ctx) : words(line_tokens(n)), ctx_(ctx) {}

  const std::vector<const Token*> words;
  size_t at = 0;  // the word being read
  bool ok = true;

  // The word after the current one (moving there), or nullptr, reported, at the end of the line.
  // `optional_word` (e.g. `lock`, `inet`) may come first: it is stepped over, and `seen` says so.
  const Token* value(std::string_view optional_word = {}, bool* seen = nullptr) {
    const Token* v = next();
    if (v && !optional_word.empty() && v->text == optional_word) {
      if (seen) *seen = true;
      v = next();
    }
    return v;
  }
  // Passes the value to `accept`, which stores it, or reports why not and returns false.
  template <class Accept>
  bool read(Accept accept) {
    const Token* v = value();
    if (!v) return false;
    if (!accept(*v)) ok = false;
    return true;
  }
  // Stores `convert(value, ctx)` in `field` when it is valid.
  template <class Field, class Convert>
  bool read_into(Field& field, Convert convert) {
    return read([&](const Token& v) {
      auto x = convert(v, ctx_);
      if (x) field = std::move(*x);
      return x.has_value();
    });
  }
  template <class Field>
  bool read_text(Field& field) {
    return read([&](const Token& v) {
      field = v.text;
      return true;
    });
  }
  // `via [inet|inet6] ADDRESS`: iproute2 accepts a family word before the gateway.
  bool read_gateway(std::optional<IpAddress>& field) {
    const Token* v = next();
    if (v && (v->text == "inet" || v->text == "inet6")) v = next();
    if (!v) return false;
    if (auto a = token_address(*v, ctx_))
      field = a;
    else
      ok = false;
    return true;
  }

 private:
  const Token* next() {
    if (at + 1 >= words.size()) {
      ctx_.diag.error(words[at]->loc, "`" + words[at]->text + "` needs a value", {},
                      token_width(*words[at]));
      return nullptr;
    }
    return words[++at];
  }

  ParseContext& ctx_;
};

// The two halves of an `A<sep>B` value (`80-443`, `0x10/0xff`), each located at the value, or
// nullopt when `sep` is absent.
std::optional<std::pair<Token, Token>> split_value(const Token& t, char sep) {
  const auto at = t.text.find(sep);
  if (at == std::string::npos) return std::nullopt;
  std::pair<Token, Token> halves{t, t};
  halves.first.text = t.text.substr(0, at);
  halves.second.text = t.text.substr(at + 1);
  return halves;
}

// A converter for OptionLine::read_into: an integer within [min, max], named `what` in errors.
template <class T>
auto integer_in(int64_t min, int64_t max, std::string what) {
  return [=](const Token& t, ParseContext& ctx) -> std::optional<T> {
    auto v = token_integer(t, ctx, min, max, what);
    if (!v) return std::nullopt;
    return static_cast<T>(*v);
  };
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
  const auto halves = split_value(t, '-');
  if (!halves) {  // one port
    auto port = token_integer(t, ctx, 0, 65535, "port");
    if (!port) return std::nullopt;
    return std::pair<uint16_t, uint16_t>(static_cast<uint16_t>(*port),
                                         static_cast<uint16_t>(*port));
  }
  auto lo = token_integer(halves->first, ctx, 0, 65535, "port");
  auto hi = token_integer(halves->second, ctx, 0, 65535, "port");
  if (!lo || !hi) return std::nullopt;
  if (*hi < *lo) {
    ctx.diag.error(t.loc, "port range `" + t.text + "` ends before it starts", {}, token_width(t));
    return std::nullopt;
  }
  return std::pair<uint16_t, uint16_t>(static_cast<uint16_t>(*lo), static_cast<uint16_t>(*hi));
}

std::optional<uint8_t> ip_protocol_of(const Token& t, ParseContext& ctx) {
  static const std::vector<std::pair<std::string_view, uint8_t>> kIp = {
      {"tcp", 6}, {"udp", 17}, {"sctp", 132}, {"icmp", 1}, {"ipv6-icmp", 58},
      {"TCP", 6}, {"UDP", 17}, {"SCTP", 132}, {"ICMP", 1}};
  for (auto& [name, v] : kIp)
    if (t.text == name) return v;
  if (auto v = token_integer(t, ctx, 0, 255, "ip_proto")) return static_cast<uint8_t>(*v);
  return std::nullopt;
}

std::optional<RuleAction> rule_action_of(std::string_view word) {
  if (word == "blackhole") return RuleAction::Blackhole;
  if (word == "unreachable") return RuleAction::Unreachable;
  if (word == "prohibit") return RuleAction::Prohibit;
  if (word == "nop") return RuleAction::Nop;
  return std::nullopt;
}

}  // namespace

std::optional<VirtualAddress> parse_address_line(const Node& n, ParseContext& ctx, bool is_static) {
  static const std::vector<std::string_view> kOptions = {
      "brd",           "dev",      "use_vmac", "scope",         "label",
      "peer",          "home",     "-nodad",   "nodad",         "mngtmpaddr",
      "noprefixroute", "autojoin", "no_track", "preferred_lft", "track_group"};
  if (!ctx.expect_no_block(n)) return std::nullopt;
  OptionLine line(n, ctx);
  VirtualAddress va;
  va.loc = n.loc();
  auto p = token_prefix(*line.words[0], ctx);
  if (!p) return std::nullopt;
  va.address = *p;
  for (line.at = 1; line.at < line.words.size(); ++line.at) {
    const Token& t = *line.words[line.at];
    const std::string& o = t.text;
    bool read = true;  // false: a value is missing, the rest of the line cannot be read
    if (o == "brd" || o == "broadcast") {
      read = line.read([&](const Token& v) {
        if (v.text == "+") {
          va.broadcast = VirtualAddress::Broadcast::SetHostBits;
        } else if (v.text == "-") {
          va.broadcast = VirtualAddress::Broadcast::ClearHostBits;
        } else if (auto a = token_address(v, ctx)) {
          va.broadcast = VirtualAddress::Broadcast::Address;
          va.broadcast_address = a;
        } else {
          return false;
        }
        return true;
      });
    } else if (o == "dev") {
      read = line.read_text(va.dev);
    } else if (o == "use_vmac" && !is_static) {
      va.use_vmac = true;
    } else if (o == "scope") {
      read = line.read_into(va.scope, scope_of);
    } else if (o == "label") {
      read = line.read([&](const Token& v) {
        va.label = v.text;
        if (v.text.size() <= 15) return true;
        ctx.diag.error(v.loc, "label `" + v.text + "` is longer than 15 characters", {},
                       token_width(v));
        return false;
      });
    } else if (o == "peer") {
      read = line.read_into(va.peer, token_prefix);
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
      read = line.read([&](const Token& v) {
        if (v.text == "forever") {
          va.preferred_lft = UINT32_MAX;
        } else if (auto x = token_integer(v, ctx, 0, UINT32_MAX - 1, "preferred_lft")) {
          va.preferred_lft = static_cast<uint32_t>(*x);
        } else {
          return false;
        }
        return true;
      });
    } else if (o == "track_group" && is_static) {
      read = line.read_text(va.track_group);
    } else {
      unknown_option(t, "address", kOptions, ctx);
      return std::nullopt;  // the rest of the line cannot be interpreted reliably
    }
    if (!read) return std::nullopt;
  }
  if (va.peer && va.peer->address.family() != va.address.address.family()) {
    ctx.diag.error(n.loc(), "peer address family differs from `" + n.keyword.text + "`");
    line.ok = false;
  }
  if (!line.ok) return std::nullopt;
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
  OptionLine line(n, ctx);
  Route r;
  r.loc = n.loc();
  bool have_dst = false;
  RouteNextHop* nh = nullptr;
  for (line.at = 0; line.at < line.words.size(); ++line.at) {
    const Token& t = *line.words[line.at];
    const std::string& o = t.text;
    auto type_it =
        std::find_if(kTypes.begin(), kTypes.end(), [&](auto& p) { return p.first == o; });
    if (line.at == 0 && type_it != kTypes.end()) {
      r.type = type_it->second;
      continue;
    }
    bool read = true;  // false: a value is missing, the rest of the line cannot be read
    if (nh && (o == "via" || o == "dev" || o == "weight" || o == "onlink" || o == "realms")) {
      // After `nexthop`, these belong to that next hop.
      if (o == "onlink")
        nh->onlink = true;
      else if (o == "via")
        read = line.read_gateway(nh->via);
      else if (o == "dev")
        read = line.read_text(nh->dev);
      else if (o == "weight")
        read = line.read_into(nh->weight, integer_in<uint32_t>(1, 256, "nexthop weight"));
      else
        read = line.read_text(nh->realms);
    } else if (o == "to") {
      read = line.read_into(r.destination, [&](const Token& v, ParseContext& c) {
        auto p = token_prefix(v, c);
        have_dst = have_dst || p.has_value();
        return p;
      });
    } else if (o == "src") {
      read = line.read_into(r.src, token_address);
    } else if (o == "from") {
      read = line.read_into(r.from, token_prefix);
    } else if (o == "via" || o == "gw") {
      read = line.read_gateway(r.via);
    } else if (o == "or") {
      read = line.read_into(r.or_via, token_address);
    } else if (o == "dev" || o == "oif") {
      read = line.read_text(r.dev);
    } else if (o == "scope") {
      read = line.read_into(r.scope, scope_of);
    } else if (o == "table") {
      read = line.read_into(r.table, table_of);
    } else if (o == "metric" || o == "priority" || o == "preference") {
      read = line.read_into(r.metric, integer_in<uint32_t>(0, UINT32_MAX, o));
    } else if (o == "protocol" || o == "proto") {
      read = line.read_into(r.protocol, protocol_of);
    } else if (o == "tos" || o == "dsfield") {
      read = line.read_into(r.tos, integer_in<uint8_t>(0, 255, o));
    } else if (o == "realms" || o == "realm") {
      read = line.read_text(r.realms);
    } else if (std::find(kMetrics.begin(), kMetrics.end(), o) != kMetrics.end()) {
      // `METRIC [lock] VALUE`
      bool locked = false;
      const Token* v = line.value("lock", &locked);
      if (!v) return std::nullopt;
      if (locked) r.locked_metrics.push_back(o);
      if (auto x = token_integer(*v, ctx, 0, UINT32_MAX, o))
        r.metrics[o] = uint32_t(*x);
      else
        line.ok = false;
    } else if (o == "congctl") {
      const Token* v = line.value("lock", &r.congctl_lock);
      if (!v) return std::nullopt;
      r.congctl = v->text;
    } else if (o == "features") {
      read = line.read([&](const Token& v) {
        if (v.text == "ecn") {
          r.features_ecn = true;
          return true;
        }
        ctx.diag.error(v.loc, "unknown route feature `" + v.text + "` (only `ecn`)");
        return false;
      });
    } else if (o == "pref") {
      read = line.read([&](const Token& v) {
        if (v.text == "medium") {
          r.pref = 0;
        } else if (v.text == "high") {
          r.pref = 1;
        } else if (v.text == "low") {
          r.pref = 3;
        } else {
          ctx.diag.error(v.loc, "`pref` must be low, medium or high", {}, token_width(v));
          return false;
        }
        return true;
      });
    } else if (o == "vrf") {
      read = line.read_text(r.vrf);
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
      read = line.read_text(r.track_group);
    } else if (o == "encap" || o == "expires" || o == "ttl-propagate") {
      ctx.diag.error(t.loc, "route option `" + o + "` is not supported by vigil", {},
                     token_width(t));
      return std::nullopt;  // its arguments follow, and are not route options
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
    if (!read) return std::nullopt;
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
      line.ok = false;
    }
  };
  check(r.via, "via");
  check(r.src, "src");
  check(r.or_via, "or");
  if (!line.ok) return std::nullopt;
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
  OptionLine line(n, ctx);
  Rule r;
  r.loc = n.loc();
  const auto prefix_or_all = [&](std::optional<IpPrefix>& field) {
    return line.read([&](const Token& v) {
      if (v.text == "all") return true;
      field = token_prefix(v, ctx);
      return field.has_value();
    });
  };
  for (line.at = 0; line.at < line.words.size(); ++line.at) {
    const Token& t = *line.words[line.at];
    const std::string& o = t.text;
    bool read = true;  // false: a value is missing, the rest of the line cannot be read
    if (o == "not") {
      r.invert = true;
    } else if (o == "from") {
      read = prefix_or_all(r.from);
    } else if (o == "to") {
      read = prefix_or_all(r.to);
    } else if (o == "table" || o == "lookup") {
      read = line.read_into(r.table, table_of);
    } else if (o == "goto") {
      read = line.read_into(r.goto_target, integer_in<uint32_t>(0, UINT32_MAX, o));
      r.action = RuleAction::Goto;
    } else if (o == "preference" || o == "priority" || o == "order" || o == "pref" || o == "prio") {
      read = line.read_into(r.preference, integer_in<uint32_t>(0, UINT32_MAX, o));
    } else if (o == "iif" || o == "dev") {
      read = line.read_text(r.iif);
    } else if (o == "oif") {
      read = line.read_text(r.oif);
    } else if (o == "tos" || o == "dsfield") {
      read = line.read_into(r.tos, integer_in<uint8_t>(0, 255, o));
    } else if (o == "fwmark") {
      // `fwmark MARK[/MASK]`
      read = line.read([&](const Token& v) {
        const auto halves = split_value(v, '/');
        bool valid = true;
        if (halves) {
          const auto mask = token_integer(halves->second, ctx, 0, UINT32_MAX, "fwmark mask");
          if (mask) r.fwmask = static_cast<uint32_t>(*mask);
          valid = mask.has_value();
        }
        const auto mark = token_integer(halves ? halves->first : v, ctx, 0, UINT32_MAX, "fwmark");
        if (mark) r.fwmark = static_cast<uint32_t>(*mark);
        return valid && mark.has_value();
      });
    } else if (o == "realms") {
      read = line.read_text(r.realms);
    } else if (o == "uidrange") {
      // `uidrange FIRST-LAST`
      read = line.read([&](const Token& v) {
        const auto halves = split_value(v, '-');
        if (!halves) {
          ctx.diag.error(v.loc, "uidrange must be FIRST-LAST", {}, token_width(v));
          return false;
        }
        auto lo = token_integer(halves->first, ctx, 0, UINT32_MAX, "uidrange");
        auto hi = token_integer(halves->second, ctx, 0, UINT32_MAX, "uidrange");
        if (!lo || !hi) return false;
        r.uidrange = {uint32_t(*lo), uint32_t(*hi)};
        return true;
      });
    } else if (o == "l3mdev") {
      r.l3mdev = true;
    } else if (o == "protocol" || o == "proto") {
      read = line.read_into(r.protocol, protocol_of);
    } else if (o == "ip_proto" || o == "ipproto") {
      read = line.read_into(r.ip_proto, ip_protocol_of);
    } else if (o == "sport") {
      read = line.read_into(r.sport, port_range);
    } else if (o == "dport") {
      read = line.read_into(r.dport, port_range);
    } else if (o == "suppress_prefixlength") {
      read = line.read_into(r.suppress_prefixlength, integer_in<uint32_t>(0, 128, o));
    } else if (o == "suppress_ifgroup") {
      read = line.read_into(r.suppress_ifgroup, integer_in<uint32_t>(0, UINT32_MAX, o));
    } else if (o == "blackhole" || o == "unreachable" || o == "prohibit" || o == "nop" ||
               o == "type") {
      // The action, alone or as `type ACTION`.
      const Token* action = o == "type" ? line.value() : &t;
      if (!action) return std::nullopt;
      if (auto a = rule_action_of(action->text)) {
        r.action = *a;
      } else {
        ctx.diag.error(t.loc, "unknown rule type `" + action->text + "`");
        line.ok = false;
      }
    } else if (o == "inet6") {
      r.inet6 = true;
    } else if (o == "no_track" && !is_static) {
      r.no_track = true;
    } else if (o == "track_group" && is_static) {
      read = line.read_text(r.track_group);
    } else {
      unknown_option(t, "rule", kOptions, ctx);
      return std::nullopt;
    }
    if (!read) return std::nullopt;
  }
  bool ok = line.ok;
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
