// vrrp_instance blocks.
#include "conf/parse_keywords.h"

namespace vigil::conf::detail {
namespace {

using M = VrrpInstance;

void parse_authentication(const Node& n, M& m, ParseContext& ctx) {
  if (!ctx.expect_block(n)) return;
  for (const auto& c : n.children) {
    if (c.keyword.text == "auth_type") {
      if (!ctx.expect_args(c, 1, 1)) continue;
      if (auto t = ctx.choice<AuthType>(c, 0, {{"PASS", AuthType::Pass}, {"AH", AuthType::Ah}}))
        m.auth_type = *t;
    } else if (c.keyword.text == "auth_pass") {
      if (!ctx.expect_args(c, 1, 1)) continue;
      m.auth_pass = c.args[0].text;
      m.auth_pass_loc = c.args[0].loc;
    } else {
      report_unknown_keyword(ctx, c, "authentication", {"auth_type", "auth_pass"});
    }
  }
}

void parse_unicast_peers(const Node& n, M& m, ParseContext& ctx) {
  if (!ctx.expect_block(n)) return;
  for (const auto& c : n.children) {
    UnicastPeer p;
    p.loc = c.loc();
    auto a = token_address(c.keyword, ctx);
    if (!a) continue;
    p.address = *a;
    bool ok = true;
    for (size_t i = 0; i < c.args.size(); ++i) {
      const Token& t = c.args[i];
      if ((t.text == "min_ttl" || t.text == "max_ttl") && i + 1 < c.args.size()) {
        auto v = token_integer(c.args[++i], ctx, 0, 255, t.text);
        if (!v)
          ok = false;
        else
          (t.text == "min_ttl" ? p.min_ttl : p.max_ttl) = uint8_t(*v);
      } else {
        auto s = suggest(t.text, {"min_ttl", "max_ttl"});
        ctx.diag.error(t.loc, "unexpected `" + t.text + "` in unicast_peer",
                       s.empty() ? "" : "did you mean `" + s + "`?");
        ok = false;
        break;
      }
    }
    if (p.min_ttl && p.max_ttl && *p.min_ttl > *p.max_ttl) {
      ctx.diag.error(c.loc(), "unicast_peer " + c.keyword.text + ": min_ttl is above max_ttl");
      ok = false;
    }
    if (ok) m.unicast_peers.push_back(p);
  }
}

bool looks_like_mac(const std::string& s) {
  if (s.size() != 14 && s.size() != 17) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i % 3 == 2) {
      if (s[i] != ':') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

void parse_use_vmac(const Node& n, M& m, ParseContext& ctx) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 2)) return;
  Vmac v;
  for (const auto& a : n.args) {
    if (looks_like_mac(a.text)) {
      v.mac = a.text;
    } else if (!v.name) {
      if (a.text.size() > 15) {
        ctx.diag.error(a.loc,
                       "use_vmac: interface name `" + a.text + "` is longer than 15 characters");
        return;
      }
      v.name = a.text;
    } else {
      ctx.diag.error(a.loc, "use_vmac: `" + a.text + "` is not a MAC address");
      return;
    }
  }
  m.vmac = v;
}

void parse_use_ipvlan(const Node& n, M& m, ParseContext& ctx) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 3)) return;
  Ipvlan v;
  for (const auto& a : n.args) {
    if (a.text == "bridge")
      v.mode = IpvlanMode::Bridge;
    else if (a.text == "private")
      v.mode = IpvlanMode::Private;
    else if (a.text == "vepa")
      v.mode = IpvlanMode::Vepa;
    else if (auto p = IpPrefix::parse(a.text))
      v.address = p;
    else if (!v.name)
      v.name = a.text;
    else {
      ctx.diag.error(a.loc, "use_ipvlan: unexpected `" + a.text + "`");
      return;
    }
  }
  m.ipvlan.mut() = v;
}

void parse_src_ip(const Node& n, M& m, ParseContext& ctx) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
  if (auto a = ctx.address(n, 0)) m.src_ip = a;
}

const KeywordTable<M>& instance_table() {
  static const KeywordTable<M> table = [] {
    std::vector<Keyword<M>> k = {
      KWS(M, "state", if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
          m.state_loc = n.args[0].loc;
          if (auto s = ctx.choice<VrrpState>(
                  n, 0, {{"MASTER", VrrpState::Master}, {"BACKUP", VrrpState::Backup}}))
              m.initial_state = *s),
      KWS(
          M, "interface", if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
          if (n.args[0].text.size() > 15) {
            ctx.diag.error(n.args[0].loc,
                           "interface name `" + n.args[0].text + "` is longer than 15 characters");
            return;
          } m.interface = n.args[0].text),
      KWS(M, "vrf", set_string(n, ctx, m.vrf)),
      KWS(M, "use_vmac", parse_use_vmac(n, m, ctx)),
      KWS(M, "use_vmac_addr", set_flag(n, ctx, m.use_vmac_addr)),
      KWS(M, "vmac_xmit_base", set_flag(n, ctx, m.vmac_xmit_base)),
      KWS(M, "use_ipvlan", parse_use_ipvlan(n, m, ctx)),
      KWSD(M, "native_ipv6", "virtual_ipaddress", set_flag(n, ctx, m.native_ipv6)),
      KWS(M, "dont_track_primary", set_flag(n, ctx, m.dont_track_primary)),
      KWS(M, "mcast_src_ip", parse_src_ip(n, m, ctx)),
      KWS(M, "unicast_src_ip", parse_src_ip(n, m, ctx)),
      KWS(
          M, "mcast_dst_ip", if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
          auto a = ctx.address(n, 0); if (!a) return; if (!a->is_multicast()) {
            ctx.diag.error(n.args[0].loc,
                           "mcast_dst_ip `" + n.args[0].text + "` is not a multicast address");
            return;
          } m.mcast_dst_ip = a),
      KWS(M, "track_src_ip", set_flag(n, ctx, m.track_src_ip)),
      KWS(M, "version", if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
          if (auto v = ctx.integer(n, 0, 2, 3)) m.given.version = int(*v)),
      KWS(M, "check_unicast_src", set_bool(n, ctx, m.given.check_unicast_src)),
      KWS(M, "unicast_peer", parse_unicast_peers(n, m, ctx)),
      KWS(M, "unicast_fault_no_peer", set_flag(n, ctx, m.unicast_fault_no_peer)),
      KWS(M, "unicast_ttl", set_int(n, ctx, m.unicast_ttl, 1, 255)),
      KWS(
          M, "old_unicast_checksum",
          if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 1)) return;
          if (n.args.empty()) {
            m.old_unicast_checksum = OldChecksum::On;
            return;
          } if (auto v = ctx.choice<OldChecksum>(n, 0, {{"never", OldChecksum::Never}}))
              m.old_unicast_checksum = *v),
      KWS(M, "garp_master_delay", set_seconds(n, ctx, m.given.garp_master_delay, 0, 255)),
      KWS(M, "garp_master_repeat", set_int(n, ctx, m.given.garp_master_repeat, 0, 255)),
      KWS(M, "garp_lower_prio_delay", set_seconds(n, ctx, m.given.garp_lower_prio_delay, 0, 255)),
      KWS(M, "garp_lower_prio_repeat", set_int(n, ctx, m.given.garp_lower_prio_repeat, 0, 255)),
      KWS(M, "garp_master_refresh", set_seconds(n, ctx, m.given.garp_master_refresh, 0, 86400)),
      KWS(M, "garp_master_refresh_repeat",
          set_int(n, ctx, m.given.garp_master_refresh_repeat, 1, 255)),
      KWS(
          M, "garp_extra_if", if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 2)) return;
          size_t i = 0; if (n.args[0].text == "all") {
            m.garp_extra_if_all = true;
            ++i;
          } if (auto v = ctx.integer(n, i, 0, 86400)) m.given.garp_extra_if = Seconds(*v)),
      KWS(M, "down_timer_adverts", set_int(n, ctx, m.given.down_timer_adverts, 1, 100)),
      KWS(M, "lower_prio_no_advert", set_bool(n, ctx, m.given.lower_prio_no_advert)),
      KWS(M, "higher_prio_send_advert", set_bool(n, ctx, m.given.higher_prio_send_advert)),
      KWS(
          M, "virtual_router_id", if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
          m.vrid_loc = n.args[0].loc; if (auto v = ctx.integer(n, 0, 1, 255)) {
            m.vrid = uint8_t(*v);
            m.given.vrid = true;
          }),
      KWS(M, "priority", if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
          m.priority_loc = n.args[0].loc;
          if (auto v = ctx.integer(n, 0, 1, 255)) m.priority = uint8_t(*v)),
      KWS(
          M, "advert_int", if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
          m.advert_int_loc = n.args[0].loc;
          // The version decides the allowed range; checked in validate_vrrp.
          if (auto v = ctx.decimal(n, 0, 0.01, 255, 2)) {
            m.advert_int_seconds = *v;
            m.advert_interval = seconds_to_micros(*v);
          }),
      KWS(M, "authentication", parse_authentication(n, m, ctx)),
      KWS(M, "virtual_ipaddress", parse_address_block(n, m.vips, ctx, false)),
      KWS(M, "virtual_ipaddress_excluded", parse_address_block(n, m.excluded_vips, ctx, false)),
      KWS(M, "promote_secondaries", set_flag(n, ctx, m.promote_secondaries)),
      KWS(M, "virtual_routes", parse_route_block(n, m.routes, ctx, false)),
      KWS(M, "virtual_rules", parse_rule_block(n, m.rules, ctx, false)),
      KWS(M, "accept", set_flag(n, ctx, m.accept); m.given.accept = true),
      KWS(M, "no_accept", set_flag(n, ctx, m.accept); m.accept = false; m.given.accept = false),
      KWS(M, "nopreempt", set_flag(n, ctx, m.nopreempt)),
      KWS(M, "preempt", if (ctx.expect_args(n, 0, 0)) m.nopreempt = false),
      KWS(M, "preempt_delay", set_micros(n, ctx, m.preempt_delay, 0, 1000);
          m.given.preempt_delay = true),
      KWS(M, "skip_check_adv_addr", set_bool(n, ctx, m.given.skip_check_adv_addr)),
      KWS(M, "strict_mode", set_bool(n, ctx, m.given.strict_mode)),
      KWS(
          M, "debug", if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 1)) return;
          if (n.args.empty()) {
            m.debug = 0;
            return;
          } set_int(n, ctx, m.debug, 0, 4)),
      KWS(M, "notify_master_rx_lower_pri",
          m.notify.mut().master_rx_lower_pri = parse_script_command(n, ctx)),
      KWS(M, "kernel_rx_buf_size", set_int(n, ctx, m.kernel_rx_buf_size, 1, UINT32_MAX)),
      KWSD(M, "linkbeat_use_polling", "linkbeat_interfaces",
           set_flag(n, ctx, m.linkbeat_use_polling)),
      KWSD(M, "lvs_sync_daemon_interface", "lvs_sync_daemon (in global_defs)",
           set_string(n, ctx, m.lvs_sync_daemon_interface)),
    };
    add_notify_keywords(k);
    add_tracking_keywords(k);
    return KeywordTable<M>("vrrp_instance", std::move(k));
  }();
  return table;
}

}  // namespace

void parse_vrrp_instance(const Node& n, VrrpInstance& vi, ParseContext& ctx) {
  vi.loc = n.loc();
  if (!ctx.expect_args(n, 1, 1)) return;
  vi.name = n.args[0].text;
  if (!ctx.expect_block(n)) return;
  instance_table().apply(n.children, vi, ctx);
}

}  // namespace vigil::conf::detail
