// global_defs and the root-level daemon keywords.
#include <algorithm>

#include "conf/parse_values.h"

namespace vigil::conf::detail {
namespace {

using G = GlobalDefs;
#define KW(name, ...)                                                 \
  Keyword<G> {                                                        \
    name, [](const Node& n, G& g, ParseContext& ctx) { __VA_ARGS__; } \
  }
#define KWD(name, current, ...)                                                \
  Keyword<G> {                                                                 \
    name, [](const Node& n, G& g, ParseContext& ctx) { __VA_ARGS__; }, current \
  }

void parse_tuning_affinity(const Node& n, ProcessTuning& p, ParseContext& ctx) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, SIZE_MAX)) return;
  p.cpu_affinity.clear();
  for (size_t i = 0; i < n.args.size(); ++i)
    if (auto v = ctx.integer(n, i, 0, 4095)) p.cpu_affinity.push_back(int(*v));
}

void parse_fifo_script(const Node& n, std::optional<NotifyFifo>& f, ParseContext& ctx) {
  auto s = parse_script_command(n, ctx);
  if (s.empty()) return;
  if (!f) f.emplace();
  f->script = std::move(s);
}

void parse_lvs_sync_daemon(const Node& n, G& g, ParseContext& ctx) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, SIZE_MAX)) return;
  LvsSyncDaemon d;
  d.loc = n.loc();
  d.interface = n.args[0].text;
  size_t i = 1;
  bool ok = true;
  // `inst` may be omitted: the second word is then the instance name.
  if (i < n.args.size() && n.args[i].text == "inst") ++i;
  static const std::vector<std::string_view> kOpts = {"id", "maxlen", "port", "ttl", "group"};
  if (i < n.args.size() && std::find(kOpts.begin(), kOpts.end(), n.args[i].text) == kOpts.end()) {
    d.vrrp_instance = n.args[i].text;
    ++i;
  }
  for (; i < n.args.size(); ++i) {
    const Token& t = n.args[i];
    if (i + 1 >= n.args.size()) {
      ctx.diag.error(t.loc, "`" + t.text + "` needs a value");
      return;
    }
    const Token& v = n.args[++i];
    if (t.text == "id") {
      if (auto x = token_integer(v, ctx, 0, 255, "id"))
        d.sync_id = uint8_t(*x);
      else
        ok = false;
    } else if (t.text == "maxlen") {
      if (auto x = token_integer(v, ctx, 1, 65507, "maxlen"))
        d.maxlen = uint16_t(*x);
      else
        ok = false;
    } else if (t.text == "port") {
      if (auto x = token_integer(v, ctx, 1, 65535, "port"))
        d.port = uint16_t(*x);
      else
        ok = false;
    } else if (t.text == "ttl") {
      if (auto x = token_integer(v, ctx, 1, 255, "ttl"))
        d.ttl = uint8_t(*x);
      else
        ok = false;
    } else if (t.text == "group") {
      if (auto a = token_address(v, ctx))
        d.group = a;
      else
        ok = false;
    } else {
      auto s = suggest(t.text, kOpts);
      ctx.diag.error(t.loc, "unknown lvs_sync_daemon option `" + t.text + "`",
                     s.empty() ? "" : "did you mean `" + s + "`?");
      ok = false;
    }
  }
  if (ok) g.lvs_sync_daemon = d;
}

void parse_lvs_timeouts(const Node& n, G& g, ParseContext& ctx) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 2, 6)) return;
  for (size_t i = 0; i + 1 < n.args.size(); i += 2) {
    const std::string& k = n.args[i].text;
    auto v = token_integer(n.args[i + 1], ctx, 1, 86400 * 31, k);
    if (!v) continue;
    if (k == "tcp")
      g.lvs_timeouts.tcp = Seconds(*v);
    else if (k == "tcpfin")
      g.lvs_timeouts.tcpfin = Seconds(*v);
    else if (k == "udp")
      g.lvs_timeouts.udp = Seconds(*v);
    else
      ctx.diag.error(n.args[i].loc, "unknown lvs_timeouts protocol `" + k + "`",
                     "use tcp, tcpfin or udp");
  }
  if (n.args.size() % 2)
    ctx.diag.error(n.args.back().loc, "`" + n.args.back().text + "` needs a value");
}

void parse_umask(const Node& n, G& g, ParseContext& ctx) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, SIZE_MAX)) return;
  // NUMBER (decimal, 0x hex or leading-0 octal) or BITS joined with '|'.
  std::string text;
  for (auto& a : n.args) text += a.text;
  if (!text.empty() && std::isdigit(static_cast<unsigned char>(text[0]))) {
    char* end = nullptr;
    unsigned long v = std::strtoul(text.c_str(), &end, 0);
    if (*end || v > 0777) {
      ctx.diag.error(n.args[0].loc, "umask `" + text + "` is not a number 0-0777");
      return;
    }
    g.umask = uint32_t(v);
    return;
  }
  static const std::vector<std::pair<std::string_view, uint32_t>> kBits = {
      {"IRUSR", 0400}, {"IWUSR", 0200}, {"IXUSR", 0100}, {"IRGRP", 040}, {"IWGRP", 020},
      {"IXGRP", 010},  {"IROTH", 04},   {"IWOTH", 02},   {"IXOTH", 01}};
  uint32_t mask = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t bar = text.find('|', pos);
    std::string word = text.substr(pos, bar == std::string::npos ? std::string::npos : bar - pos);
    auto it = std::find_if(kBits.begin(), kBits.end(), [&](auto& b) { return b.first == word; });
    if (it == kBits.end()) {
      ctx.diag.error(n.args[0].loc, "umask: unknown bit `" + word + "`");
      return;
    }
    mask |= it->second;
    if (bar == std::string::npos) break;
    pos = bar + 1;
  }
  g.umask = mask;
}

void parse_metrics_listen(const Node& n, G& g, ParseContext& ctx) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
  const Token& t = n.args[0];
  // ADDR:PORT, [V6ADDR]:PORT
  std::string addr, port;
  if (!t.text.empty() && t.text[0] == '[') {
    auto close = t.text.find("]:");
    if (close != std::string::npos) {
      addr = t.text.substr(1, close - 1);
      port = t.text.substr(close + 2);
    }
  } else {
    auto colon = t.text.rfind(':');
    if (colon != std::string::npos && t.text.find(':') == colon) {
      addr = t.text.substr(0, colon);
      port = t.text.substr(colon + 1);
    }
  }
  auto a = IpAddress::parse(addr);
  Token pt = t;
  pt.text = port;
  if (!a) {
    ctx.diag.error(t.loc, "vigil_metrics_listen: `" + t.text + "` is not ADDRESS:PORT",
                   "e.g. 127.0.0.1:9650 or [::1]:9650");
    return;
  }
  auto p = token_integer(pt, ctx, 1, 65535, "vigil_metrics_listen port");
  if (!p) return;
  g.vigil_metrics_listen = t.text;
  g.vigil_metrics_address = a;
  g.vigil_metrics_port = uint16_t(*p);
}

const KeywordTable<G>& global_table() {
  static const KeywordTable<G> table("global_defs", {
    KW("tmp_config_directory", set_string(n, ctx, g.tmp_config_directory)),
          KW("config_save_dir", set_string(n, ctx, g.config_save_dir)),
          KW("process_names", set_flag(n, ctx, g.process_names)),
          KW("process_name", set_string(n, ctx, g.process_name)),
          KW("vrrp_process_name", set_string(n, ctx, g.vrrp_process.process_name)),
          KW("checker_process_name", set_string(n, ctx, g.checker_process.process_name)),
          KW("bfd_process_name", set_string(n, ctx, g.bfd_process.process_name)),
          KW("startup_script", g.startup_script = parse_script_command(n, ctx)),
          KW("startup_script_timeout", set_seconds(n, ctx, g.startup_script_timeout, 1, 1000)),
          KW("shutdown_script", g.shutdown_script = parse_script_command(n, ctx)),
          KW("shutdown_script_timeout", set_seconds(n, ctx, g.shutdown_script_timeout, 1, 1000)),
          KW("notification_email",
             for (auto& w : block_words(n, ctx)) g.notification_email.push_back(w.name)),
          KW("notification_email_from", set_string(n, ctx, g.notification_email_from)),
          KW("smtp_server",
             if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 2)) return;
             SmtpServer s{n.args[0].text, 25};
             if (n.args.size() > 1) {
               auto p = ctx.port(n, 1);
               if (!p) return;
               s.port = *p;
             } g.smtp_server = s),
          KW("smtp_helo_name", set_string(n, ctx, g.smtp_helo_name)),
          KW("smtp_connect_timeout", set_seconds(n, ctx, g.smtp_connect_timeout, 1, 3600)),
          KW("smtp_alert", set_bool(n, ctx, g.smtp_alert)),
          KW("smtp_alert_vrrp", set_bool(n, ctx, g.smtp_alert_vrrp)),
          KW("smtp_alert_checker", set_bool(n, ctx, g.smtp_alert_checker)),
          KW("checker_log_all_failures", set_bool(n, ctx, g.checker_log_all_failures)),
          KW("no_email_faults", set_flag(n, ctx, g.no_email_faults)),
          KW("no_checker_emails", set_flag(n, ctx, g.no_checker_emails)),
          KW("rs_init_notifies", set_flag(n, ctx, g.rs_init_notifies)),
          KW("router_id", set_string(n, ctx, g.router_id)),
          KWD("lvs_id", "router_id", set_string(n, ctx, g.router_id)),
          KW("vrrp_mcast_group4",
             if (!ctx.expect_args(n, 1, 1)) return; auto a = ctx.address(n, 0); if (!a) return;
             if (!a->is_v4() || !a->is_multicast()) {
               ctx.diag.error(n.args[0].loc, "vrrp_mcast_group4 must be an IPv4 multicast address");
               return;
             } g.vrrp_mcast_group4 = *a),
          KW("vrrp_mcast_group6",
             if (!ctx.expect_args(n, 1, 1)) return; auto a = ctx.address(n, 0); if (!a) return;
             if (!a->is_v6() || !a->is_multicast()) {
               ctx.diag.error(n.args[0].loc, "vrrp_mcast_group6 must be an IPv6 multicast address");
               return;
             } g.vrrp_mcast_group6 = *a),
          KW("default_interface", set_string(n, ctx, g.default_interface)),
          KW("lvs_sync_daemon", parse_lvs_sync_daemon(n, g, ctx)),
          KW("lvs_timeouts", parse_lvs_timeouts(n, g, ctx)),
          KW("lvs_flush", set_flag(n, ctx, g.lvs_flush)),
          KW("lvs_flush_on_stop",
             if (!ctx.expect_args(n, 0, 1)) return;
             if (n.args.empty()) { g.lvs_flush_on_stop = LvsFlushOnStop::All; return; }
             if (auto v = ctx.choice<LvsFlushOnStop>(n, 0, {{"VS", LvsFlushOnStop::VirtualServers}}))
               g.lvs_flush_on_stop = *v),
          KW("vrrp_garp_master_delay", set_seconds(n, ctx, g.vrrp_garp_master_delay, 0, 255)),
          KW("vrrp_garp_master_repeat", set_int(n, ctx, g.vrrp_garp_master_repeat, 0, 255)),
          KW("vrrp_garp_lower_prio_delay",
             set_seconds(n, ctx, g.vrrp_garp_lower_prio_delay, 0, 255)),
          KW("vrrp_garp_lower_prio_repeat",
             set_int(n, ctx, g.vrrp_garp_lower_prio_repeat, 0, 255)),
          KW("vrrp_garp_master_refresh", set_seconds(n, ctx, g.vrrp_garp_master_refresh, 0, 86400)),
          KW("vrrp_garp_master_refresh_repeat",
             set_int(n, ctx, g.vrrp_garp_master_refresh_repeat, 1, 255)),
          KW("vrrp_garp_interval", set_micros(n, ctx, g.vrrp_garp_interval, 0, 1)),
          KW("vrrp_gna_interval", set_micros(n, ctx, g.vrrp_gna_interval, 0, 1)),
          KW("vrrp_min_garp", set_bool(n, ctx, g.vrrp_min_garp)),
          KW("vrrp_garp_extra_if",
             if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 2)) return;
             size_t i = 0; if (n.args[0].text == "all") { g.vrrp_garp_extra_if_all = true; ++i; }
             if (auto v = ctx.integer(n, i, 0, 86400)) g.vrrp_garp_extra_if = Seconds(*v)),
          KW("vrrp_down_timer_adverts", set_int(n, ctx, g.vrrp_down_timer_adverts, 1, 100)),
          KW("vrrp_lower_prio_no_advert", set_bool(n, ctx, g.vrrp_lower_prio_no_advert)),
          KW("vrrp_higher_prio_send_advert", set_bool(n, ctx, g.vrrp_higher_prio_send_advert)),
          KW("vrrp_version", set_int(n, ctx, g.vrrp_version, 2, 3)),
          KW("nftables",
             if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 1)) return;
             g.firewall.nftables_table = n.args.empty() ? "keepalived" : n.args[0].text),
          KW("nftables_priority", set_int(n, ctx, g.firewall.nftables_priority, -32768, 32767)),
          KW("nftables_counters", set_flag(n, ctx, g.firewall.nftables_counters)),
          KW("nftables_ifindex", set_flag(n, ctx, g.firewall.nftables_ifindex)),
          KW("nftables_ipvs",
             if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 1)) return;
             g.firewall.nftables_ipvs_table = n.args.empty() ? "keepalived_ipvs" : n.args[0].text),
          KW("nftables_ipvs_priority",
             set_int(n, ctx, g.firewall.nftables_ipvs_priority, -32768, 32767)),
          KW("nftables_ipvs_start_fwmark",
             set_int(n, ctx, g.firewall.nftables_ipvs_start_fwmark, 1, UINT32_MAX)),
          KW("vrrp_iptables",
             if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 2)) return;
             g.firewall.iptables = true;
             if (n.args.size() > 0) g.firewall.iptables_in_chain = n.args[0].text;
             if (n.args.size() > 1) g.firewall.iptables_out_chain = n.args[1].text;
             else if (n.args.empty()) g.firewall.iptables_out_chain = "OUTPUT"),
          KW("vrrp_ipsets",
             if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 5)) return;
             g.firewall.ipsets.clear();
             for (auto& a : n.args) g.firewall.ipsets.push_back(a.text)),
          KW("disable_local_igmp", set_flag(n, ctx, g.disable_local_igmp)),
          KW("vrrp_check_unicast_src", set_flag(n, ctx, g.vrrp_check_unicast_src)),
          KW("vrrp_skip_check_adv_addr", set_bool(n, ctx, g.vrrp_skip_check_adv_addr)),
          KW("vrrp_strict", set_flag(n, ctx, g.vrrp_strict)),
          KW("vrrp_notify_priority_changes", set_bool(n, ctx, g.vrrp_notify_priority_changes)),
          KW("max_auto_priority",
             if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 1)) return;
             if (n.args.empty()) { g.max_auto_priority = 99; return; }
             set_int(n, ctx, g.max_auto_priority, -1, 99)),
          KW("min_auto_priority_delay",
             if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
             if (auto v = ctx.integer(n, 0, 1, 10000000)) g.min_auto_priority_delay = Micros(*v)),
          KW("vrrp_priority", set_int(n, ctx, g.vrrp_process.nice_priority, -20, 19)),
          KW("checker_priority", set_int(n, ctx, g.checker_process.nice_priority, -20, 19)),
          KW("bfd_priority", set_int(n, ctx, g.bfd_process.nice_priority, -20, 19)),
          KW("vrrp_no_swap", set_flag(n, ctx, g.vrrp_process.no_swap)),
          KW("checker_no_swap", set_flag(n, ctx, g.checker_process.no_swap)),
          KW("bfd_no_swap", set_flag(n, ctx, g.bfd_process.no_swap)),
          KW("vrrp_cpu_affinity", parse_tuning_affinity(n, g.vrrp_process, ctx)),
          KW("checker_cpu_affinity", parse_tuning_affinity(n, g.checker_process, ctx)),
          KW("bfd_cpu_affinity", parse_tuning_affinity(n, g.bfd_process, ctx)),
          KW("vrrp_rt_priority", set_int(n, ctx, g.vrrp_process.rt_priority, 1, 99)),
          KW("checker_rt_priority", set_int(n, ctx, g.checker_process.rt_priority, 1, 99)),
          KW("bfd_rt_priority", set_int(n, ctx, g.bfd_process.rt_priority, 1, 99)),
          KW("vrrp_rlimit_rttime", set_int(n, ctx, g.vrrp_process.rlimit_rttime, 2, UINT32_MAX)),
          KW("checker_rlimit_rttime",
             set_int(n, ctx, g.checker_process.rlimit_rttime, 2, UINT32_MAX)),
          KW("bfd_rlimit_rttime", set_int(n, ctx, g.bfd_process.rlimit_rttime, 2, UINT32_MAX)),
          KWD("vrrp_rlimit_rtime", "vrrp_rlimit_rttime",
              set_int(n, ctx, g.vrrp_process.rlimit_rttime, 2, UINT32_MAX)),
          KWD("checker_rlimit_rtime", "checker_rlimit_rttime",
              set_int(n, ctx, g.checker_process.rlimit_rttime, 2, UINT32_MAX)),
          KWD("bfd_rlimit_rtime", "bfd_rlimit_rttime",
              set_int(n, ctx, g.bfd_process.rlimit_rttime, 2, UINT32_MAX)),
          KW("snmp_socket", set_string(n, ctx, g.snmp_socket)),
          KW("enable_snmp_vrrp", set_flag(n, ctx, g.enable_snmp_vrrp)),
          KWD("enable_snmp_keepalived", "enable_snmp_vrrp", set_flag(n, ctx, g.enable_snmp_vrrp)),
          KW("enable_snmp_checker", set_flag(n, ctx, g.enable_snmp_checker)),
          KW("enable_snmp_rfc",
             set_flag(n, ctx, g.enable_snmp_rfcv2); g.enable_snmp_rfcv3 = g.enable_snmp_rfcv2),
          KW("enable_snmp_rfcv2", set_flag(n, ctx, g.enable_snmp_rfcv2)),
          KW("enable_snmp_rfcv3", set_flag(n, ctx, g.enable_snmp_rfcv3)),
          KW("enable_traps", set_flag(n, ctx, g.enable_traps)),
          KW("enable_dbus", set_flag(n, ctx, g.enable_dbus)),
          KW("dbus_service_name", set_string(n, ctx, g.dbus_service_name)),
          KW("script_user",
             if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 2)) return;
             g.script_user = n.args[0].text;
             if (n.args.size() > 1) g.script_group = n.args[1].text),
          KW("enable_script_security", set_flag(n, ctx, g.enable_script_security)),
          KW("notify_fifo",
             if (auto f = parse_notify_fifo(n, ctx)) {
               auto script = g.notify_fifo ? g.notify_fifo->script : ScriptCommand{};
               g.notify_fifo = *f; g.notify_fifo->script = script;
             }),
          KW("notify_fifo_script", parse_fifo_script(n, g.notify_fifo, ctx)),
          KW("vrrp_notify_fifo",
             if (auto f = parse_notify_fifo(n, ctx)) {
               auto script = g.vrrp_notify_fifo ? g.vrrp_notify_fifo->script : ScriptCommand{};
               g.vrrp_notify_fifo = *f; g.vrrp_notify_fifo->script = script;
             }),
          KW("vrrp_notify_fifo_script", parse_fifo_script(n, g.vrrp_notify_fifo, ctx)),
          KW("lvs_notify_fifo",
             if (auto f = parse_notify_fifo(n, ctx)) {
               auto script = g.lvs_notify_fifo ? g.lvs_notify_fifo->script : ScriptCommand{};
               g.lvs_notify_fifo = *f; g.lvs_notify_fifo->script = script;
             }),
          KW("lvs_notify_fifo_script", parse_fifo_script(n, g.lvs_notify_fifo, ctx)),
          KW("fifo_write_vrrp_states_on_reload",
             set_flag(n, ctx, g.fifo_write_vrrp_states_on_reload)),
          KW("dynamic_interfaces",
             if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 1)) return;
             g.dynamic_interfaces = true;
             if (n.args.size() == 1) {
               if (n.args[0].text == "allow_if_changes") g.allow_if_changes = true;
               else ctx.diag.error(n.args[0].loc, "dynamic_interfaces: expected `allow_if_changes`");
             }),
          KW("vrrp_netlink_cmd_rcv_bufs",
             set_int(n, ctx, g.vrrp_netlink.cmd_rcv_bufs, 1, UINT32_MAX)),
          KW("vrrp_netlink_cmd_rcv_bufs_force",
             set_bool(n, ctx, g.vrrp_netlink.cmd_rcv_bufs_force)),
          KW("vrrp_netlink_monitor_rcv_bufs",
             set_int(n, ctx, g.vrrp_netlink.monitor_rcv_bufs, 1, UINT32_MAX)),
          KW("vrrp_netlink_monitor_rcv_bufs_force",
             set_bool(n, ctx, g.vrrp_netlink.monitor_rcv_bufs_force)),
          KW("lvs_netlink_cmd_rcv_bufs", set_int(n, ctx, g.lvs_netlink.cmd_rcv_bufs, 1, UINT32_MAX)),
          KW("lvs_netlink_cmd_rcv_bufs_force", set_bool(n, ctx, g.lvs_netlink.cmd_rcv_bufs_force)),
          KW("lvs_netlink_monitor_rcv_bufs",
             set_int(n, ctx, g.lvs_netlink.monitor_rcv_bufs, 1, UINT32_MAX)),
          KW("lvs_netlink_monitor_rcv_bufs_force",
             set_bool(n, ctx, g.lvs_netlink.monitor_rcv_bufs_force)),
          KW("process_monitor_rcv_bufs",
             set_int(n, ctx, g.process_monitor_rcv_bufs, 1, UINT32_MAX)),
          KW("process_monitor_rcv_bufs_force",
             set_bool(n, ctx, g.process_monitor_rcv_bufs_force)),
          KW("vrrp_rx_bufs_policy",
             if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
             const std::string& v = n.args[0].text;
             if (v == "MTU") g.vrrp_rx_bufs_policy = RxBufsPolicy::Mtu;
             else if (v == "ADVERT") g.vrrp_rx_bufs_policy = RxBufsPolicy::Advert;
             else if (auto x = ctx.integer(n, 0, 1, UINT32_MAX)) {
               g.vrrp_rx_bufs_policy = RxBufsPolicy::Size;
               g.vrrp_rx_bufs_size = uint32_t(*x);
             }),
          KW("vrrp_rx_bufs_multiplier", set_int(n, ctx, g.vrrp_rx_bufs_multiplier, 1, UINT32_MAX)),
          KW("umask", parse_umask(n, g, ctx)),
          KW("vrrp_startup_delay", set_micros(n, ctx, g.vrrp_startup_delay, 0, 3600)),
          KW("log_unknown_vrids", set_flag(n, ctx, g.log_unknown_vrids)),
          KW("vmac_prefix", set_string(n, ctx, g.vmac_prefix)),
          KW("vmac_addr_prefix", set_string(n, ctx, g.vmac_addr_prefix)),
          KW("random_seed", set_int(n, ctx, g.random_seed, 0, UINT32_MAX)),
          KW("reload_check_config",
             if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 1)) return;
             g.reload_check_config = n.args.empty() ? "" : n.args[0].text),
          KW("include_check",
             if (!ctx.expect_no_block(n)) return; std::string v;
             for (auto& a : n.args) v += (v.empty() ? "" : " ") + a.text;
             g.include_check = v),
          KW("reload_time_file", set_string(n, ctx, g.reload_time_file)),
          KW("reload_repeat", set_flag(n, ctx, g.reload_repeat)),
          KW("reload_file",
             if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 1)) return;
             g.reload_file = n.args.empty() ? "" : n.args[0].text),
          KW("data_use_instance", set_bool(n, ctx, g.data_use_instance)),
          KW("vigil_metrics_listen", parse_metrics_listen(n, g, ctx)),
          KW("vigil_control_socket", set_string(n, ctx, g.vigil_control_socket)),
          // Root-level keywords keepalived also accepts inside global_defs.
          KW("linkbeat_use_polling", set_flag(n, ctx, g.linkbeat_use_polling)),
  });
  return table;
}

const KeywordTable<G>& root_table() {
  static const KeywordTable<G> table("the top level", {
    KW("net_namespace", set_string(n, ctx, g.net_namespace)),
        KW("net_namespace_ipvs", if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 1)) return;
           g.net_namespace_ipvs = n.args.empty() ? "" : n.args[0].text),
        KW("namespace_with_ipsets", set_flag(n, ctx, g.namespace_with_ipsets)),
        KW("instance", set_string(n, ctx, g.instance)),
        KW("use_pid_dir", set_flag(n, ctx, g.use_pid_dir)),
        KW("linkbeat_use_polling", set_flag(n, ctx, g.linkbeat_use_polling)),
        KW("child_wait_time", set_seconds(n, ctx, g.child_wait_time, 1, 3600)),
  });
  return table;
}

}  // namespace

void parse_global_defs(const Node& n, GlobalDefs& g, ParseContext& ctx) {
  if (!ctx.expect_block(n)) return;
  global_table().apply(n.children, g, ctx);
}

bool parse_root_global(const Node& n, GlobalDefs& g, ParseContext& ctx) {
  const auto* k = root_table().find(n.keyword.text);
  if (!k) return false;
  k->handle(n, g, ctx);
  return true;
}

const std::vector<std::string_view>& root_global_keywords() {
  return root_table().names();
}

}  // namespace vigil::conf::detail
