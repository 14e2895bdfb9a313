// virtual_server and real_server keyword tables, and the LVS top-level dispatcher.
#include "conf/parse_lvs.h"

#include <algorithm>
#include <bit>

#include "conf/parse_lvs_sections.h"
#include "conf/parse_lvs_util.h"

namespace vigil::conf {
namespace {

using namespace lvs_detail;

const KeywordTable<RealServer>& real_server_table() {
  static const KeywordTable<RealServer> table = [] {
    using K = Keyword<RealServer>;
    std::vector<K> k = {
        {"weight",
         [](const Node& n, RealServer& rs, ParseContext& ctx) {
           if (!ctx.expect_args(n, 1, 1)) return;
           if (auto v = u32(ctx, n, 0, 0, 2147483647)) rs.weight = *v;
         }},
        {"lvs_method",
         [](const Node& n, RealServer& rs, ParseContext& ctx) {
           if (auto f = forwarding(ctx, n)) rs.forwarding = f;
         }},
        {"lb_kind",
         [](const Node& n, RealServer& rs, ParseContext& ctx) {
           if (auto f = forwarding(ctx, n)) rs.forwarding = f;
         }},
        {"notify_up",
         [](const Node& n, RealServer& rs, ParseContext& ctx) {
           if (auto s = script(ctx, n)) rs.notify_up.mut() = s;
         }},
        {"notify_down",
         [](const Node& n, RealServer& rs, ParseContext& ctx) {
           if (auto s = script(ctx, n)) rs.notify_down.mut() = s;
         }},
        {"uthreshold",
         [](const Node& n, RealServer& rs, ParseContext& ctx) {
           if (!ctx.expect_args(n, 1, 1)) return;
           if (auto v = u32(ctx, n, 0)) rs.uthreshold = v;
         }},
        {"lthreshold",
         [](const Node& n, RealServer& rs, ParseContext& ctx) {
           if (!ctx.expect_args(n, 1, 1)) return;
           if (auto v = u32(ctx, n, 0)) rs.lthreshold = v;
         }},
        {"smtp_alert",
         [](const Node& n, RealServer& rs, ParseContext& ctx) {
           if (auto v = flag(ctx, n)) rs.smtp_alert = v;
         }},
        {"virtualhost",
         [](const Node& n, RealServer& rs, ParseContext& ctx) {
           if (ctx.expect_args(n, 1, 1)) rs.virtualhost = n.args[0].text;
         }},
        {"snmp_name",
         [](const Node& n, RealServer& rs, ParseContext& ctx) {
           if (ctx.expect_args(n, 1, 1)) rs.snmp_name = n.args[0].text;
         }},
        {"inhibit_on_failure",
         [](const Node& n, RealServer& rs, ParseContext& ctx) {
           if (auto v = flag(ctx, n)) rs.inhibit_on_failure = v;
         }},
    };
    add_timing_keywords<RealServer>(
        k, [](RealServer& rs) -> CheckTimingOptions& { return rs.timing; }, 1);
    for (auto name : checker_keywords())
      k.push_back({name, [](const Node& n, RealServer& rs, ParseContext& ctx) {
                     parse_checker(n, rs, ctx);
                   }});
    return KeywordTable<RealServer>("real_server", std::move(k));
  }();
  return table;
}

// "IP [PORT]" of real_server / sorry_server, starting at args[0].
bool address_and_port(const Node& n, IpAddress& addr, std::optional<uint16_t>& port,
                      ParseContext& ctx) {
  if (!ctx.expect_args(n, 1, 2)) return false;
  auto a = ctx.address(n, 0);
  if (!a) return false;
  addr = *a;
  if (n.args.size() > 1) {
    auto p = ctx.port(n, 1, true);
    if (!p) return false;
    port = p;
  }
  return true;
}

void parse_real_server(const Node& n, VirtualServer& vs, ParseContext& ctx) {
  RealServer rs;
  rs.loc = n.loc();
  if (!address_and_port(n, rs.address, rs.port, ctx)) return;
  real_server_table().apply(n.children, rs, ctx);
  vs.real_servers.push_back(std::move(rs));
}

// persistence_granularity: a dotted IPv4 netmask or a prefix length.
std::optional<uint8_t> granularity(const Node& n, ParseContext& ctx) {
  if (!ctx.expect_args(n, 1, 1)) return std::nullopt;
  const Token& t = n.args[0];
  if (t.text.find('.') == std::string::npos && t.text.find(':') == std::string::npos) {
    auto v = ctx.integer(n, 0, 1, 128);
    if (!v) return std::nullopt;
    return static_cast<uint8_t>(*v);
  }
  auto a = IpAddress::parse(t.text);
  if (a && a->is_v4()) {
    uint32_t m = a->v4_host_order();
    if (m != 0 && (~m & (~m + 1)) == 0) return static_cast<uint8_t>(std::popcount(m));
  }
  ctx.diag.error(t.loc, "`persistence_granularity`: `" + t.text +
                            "` is not a netmask (e.g. 255.255.255.0) or prefix length");
  return std::nullopt;
}

const KeywordTable<VirtualServer>& virtual_server_table() {
  static const KeywordTable<VirtualServer> table = [] {
    using K = Keyword<VirtualServer>;
    auto set_bit = [](bool VirtualServer::*member) {
      return [member](const Node& n, VirtualServer& vs, ParseContext& ctx) {
        if (bare(ctx, n)) vs.*member = true;
      };
    };
    std::vector<K> k = {
        {"lvs_sched",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (auto s = scheduler(ctx, n)) vs.scheduler = s;
         }},
        // keepalived 2.2.7 accepts the older names silently; so do we (see docs/configuration.md).
        {"lb_algo",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (auto s = scheduler(ctx, n)) vs.scheduler = s;
         }},
        {"lvs_method",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (auto f = forwarding(ctx, n)) vs.forwarding = f;
         }},
        {"lb_kind",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (auto f = forwarding(ctx, n)) vs.forwarding = f;
         }},
        {"flag-1", set_bit(&VirtualServer::flag_1)},
        {"flag-2", set_bit(&VirtualServer::flag_2)},
        {"flag-3", set_bit(&VirtualServer::flag_3)},
        {"sh-fallback", set_bit(&VirtualServer::flag_1)},
        {"sh-port", set_bit(&VirtualServer::flag_2)},
        {"mh-fallback", set_bit(&VirtualServer::flag_1)},
        {"mh-port", set_bit(&VirtualServer::flag_2)},
        {"hashed", set_bit(&VirtualServer::flag_2), "sh-port"},
        {"ops", set_bit(&VirtualServer::ops)},
        {"persistence_engine",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (ctx.expect_args(n, 1, 1)) vs.persistence_engine = n.args[0].text;
         }},
        {"persistence_timeout",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (!ctx.expect_args(n, 0, 1)) return;
           if (n.args.empty()) {
             vs.persistence_timeout = kDefaultPersistenceTimeout;
           } else if (n.args[0].text == "0") {
             // Old tutorials write 0 for "no persistence"; keepalived 2.2.7 rejects the value
             // and carries on without persistence, which is what 0 meant.
             ctx.diag.warning(n.args[0].loc,
                              "`persistence_timeout 0` means no persistence; leave the line out");
             vs.persistence_timeout.reset();
           } else if (auto v = u32(ctx, n, 0, 1, 2678400)) {
             vs.persistence_timeout = v;
           }
         }},
        {"persistence_granularity",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (auto g = granularity(n, ctx)) vs.persistence_granularity = g;
         }},
        {"protocol",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (!ctx.expect_args(n, 1, 1)) return;
           vs.protocol = ctx.choice<LvsProtocol>(
               n, 0,
               {{"TCP", LvsProtocol::Tcp}, {"UDP", LvsProtocol::Udp}, {"SCTP", LvsProtocol::Sctp}},
               true);
         }},
        {"ha_suspend", set_bit(&VirtualServer::ha_suspend)},
        {"smtp_alert",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (auto v = flag(ctx, n)) vs.smtp_alert = v;
         }},
        {"virtualhost",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (ctx.expect_args(n, 1, 1)) vs.virtualhost = n.args[0].text;
         }},
        {"snmp_name",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (ctx.expect_args(n, 1, 1)) vs.snmp_name = n.args[0].text;
         }},
        {"omega",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (auto v = flag(ctx, n)) vs.omega = *v;
         }},
        {"quorum",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (!ctx.expect_args(n, 1, 1)) return;
           if (auto v = u32(ctx, n, 0, 1)) vs.quorum = *v;
         }},
        {"hysteresis",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (!ctx.expect_args(n, 1, 1)) return;
           if (auto v = u32(ctx, n, 0)) vs.hysteresis = *v;
         }},
        {"quorum_up",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (auto s = script(ctx, n)) vs.quorum_up = s;
         }},
        {"quorum_down",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (auto s = script(ctx, n)) vs.quorum_down = s;
         }},
        {"ip_family",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (!ctx.expect_args(n, 1, 1)) return;
           vs.ip_family = ctx.choice<Family>(n, 0, {{"inet", Family::V4}, {"inet6", Family::V6}});
         }},
        {"sorry_server",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           SorryServer s;
           s.loc = n.loc();
           if (address_and_port(n, s.address, s.port, ctx)) vs.sorry_server = s;
         }},
        {"sorry_server_inhibit",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (auto v = flag(ctx, n)) vs.sorry_server_inhibit = *v;
         }},
        {"sorry_server_lvs_method",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (auto f = forwarding(ctx, n)) vs.sorry_server_forwarding = f;
         }},
        {"inhibit_on_failure",
         [](const Node& n, VirtualServer& vs, ParseContext& ctx) {
           if (auto v = flag(ctx, n)) vs.inhibit_on_failure = v;
         }},
        {"real_server", parse_real_server},
        // Obsolete keepalived 1.x keyword still found in tutorials (and the seed's era);
        // keepalived 2.2.7 ignores it as unknown, so do we, with a warning instead of an error.
        {"nat_mask",
         [](const Node& n, VirtualServer&, ParseContext& ctx) {
           if (!ctx.expect_args(n, 1, 1)) return;
           ctx.diag.warning(n.loc(), "`nat_mask` is obsolete and ignored", {},
                            unsigned(n.keyword.text.size()));
         }},
    };
    add_timing_keywords<VirtualServer>(
        k, [](VirtualServer& vs) -> CheckTimingOptions& { return vs.timing; }, 1);
    return KeywordTable<VirtualServer>("virtual_server", std::move(k));
  }();
  return table;
}

// sh-* flags only mean something to the sh scheduler and mh-* to mh (the kernel reads the same
// bits as other schedulers' private flags), so a flag given with another lb_algo is almost
// certainly a mistake; keepalived warns too. The flag stays set: flag-1/flag-2 are passed on as
// written.
void warn_scheduler_flags(const Node& n, const VirtualServer& vs, ParseContext& ctx) {
  LvsScheduler sched = effective_scheduler(vs);
  for (const Node& c : n.children) {
    const std::string& k = c.keyword.text;
    std::optional<LvsScheduler> wants;
    if (k == "sh-port" || k == "sh-fallback" || k == "hashed")
      wants = LvsScheduler::Sh;
    else if (k == "mh-port" || k == "mh-fallback")
      wants = LvsScheduler::Mh;
    if (!wants || *wants == sched) continue;
    ctx.diag.warning(c.loc(), "`" + k + "` applies only to lb_algo `" +
                                  std::string(to_string(*wants)) + "`; this virtual_server uses `" +
                                  std::string(to_string(sched)) + "`, so it has no effect");
  }
}

void parse_virtual_server(const Node& n, LvsConfig& lvs, ParseContext& ctx) {
  VirtualServer vs;
  vs.loc = n.loc();
  if (!ctx.expect_args(n, 1, 2)) return;
  const std::string& first = n.args[0].text;
  if (first == "fwmark") {
    vs.kind = VirtualServerKind::Fwmark;
    if (!ctx.expect_args(n, 2, 2)) return;
    auto m = u32(ctx, n, 1, 1);
    if (!m) return;
    vs.fwmark = *m;
  } else if (first == "group") {
    vs.kind = VirtualServerKind::Group;
    if (!ctx.expect_args(n, 2, 2)) return;
    vs.group = n.args[1].text;
  } else {
    auto a = ctx.address(n, 0);
    if (!a) return;
    vs.address = *a;
    if (n.args.size() > 1) {
      auto p = ctx.port(n, 1, true);
      if (!p) return;
      vs.port = p;
    }
  }
  if (!ctx.expect_block(n)) return;
  // Sized once: grown one real_server at a time, a 789-server block moved its 600-byte
  // entries ten times over (a quarter of a 37,205-real-server load).
  vs.real_servers.reserve(
      static_cast<size_t>(std::count_if(n.children.begin(), n.children.end(), [](const Node& c) {
        return c.keyword.text == "real_server";
      })));
  virtual_server_table().apply(n.children, vs, ctx);
  warn_scheduler_flags(n, vs, ctx);
  lvs.virtual_servers.push_back(std::move(vs));
}

}  // namespace

const std::vector<std::string_view>& lvs_section_keywords() {
  static const std::vector<std::string_view> names = {"virtual_server", "virtual_server_group",
                                                      "bfd_instance", "SSL"};
  return names;
}

bool parse_lvs_section(const Node& n, LvsConfig& lvs, ParseContext& ctx) {
  const std::string& k = n.keyword.text;
  if (k == "virtual_server") {
    parse_virtual_server(n, lvs, ctx);
  } else if (k == "virtual_server_group") {
    lvs_detail::parse_virtual_server_group(n, lvs, ctx);
  } else if (k == "bfd_instance") {
    lvs_detail::parse_bfd_instance(n, lvs, ctx);
  } else if (k == "SSL") {
    lvs_detail::parse_ssl(n, lvs, ctx);
  } else {
    return false;
  }
  return true;
}

}  // namespace vigil::conf
