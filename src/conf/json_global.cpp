#include "conf/json_common.h"

namespace vigil::conf::json_detail {
namespace {

json tuning(const ProcessTuning& p) {
  return {{"priority", j(p.nice_priority)},         {"no_swap", p.no_swap},
          {"cpu_affinity", p.cpu_affinity},         {"rt_priority", j(p.rt_priority)},
          {"rlimit_rttime_us", j(p.rlimit_rttime)}, {"process_name", j(p.process_name)}};
}

json bufs(const NetlinkBufs& b) {
  return {{"cmd_rcv_bufs", j(b.cmd_rcv_bufs)},
          {"cmd_rcv_bufs_force", b.cmd_rcv_bufs_force},
          {"monitor_rcv_bufs", j(b.monitor_rcv_bufs)},
          {"monitor_rcv_bufs_force", b.monitor_rcv_bufs_force}};
}

json opt_fifo(const std::optional<NotifyFifo>& f) {
  return f ? j(*f) : json(nullptr);
}

}  // namespace

json global_json(const GlobalDefs& g) {
  static const char* kFlush[] = {"no", "all", "vs"};
  static const char* kRx[] = {"default", "mtu", "advert", "size"};
  json sync = nullptr;
  if (g.lvs_sync_daemon) {
    const auto& d = *g.lvs_sync_daemon;
    sync = {{"interface", d.interface}, {"vrrp_instance", j(d.vrrp_instance)},
            {"id", j(d.sync_id)},       {"maxlen", j(d.maxlen)},
            {"port", j(d.port)},        {"ttl", j(d.ttl)},
            {"group", j(d.group)}};
  }
  json smtp = nullptr;
  if (g.smtp_server) smtp = {{"host", g.smtp_server->host}, {"port", g.smtp_server->port}};
  const auto& f = g.firewall;
  return {
      {"net_namespace", j(g.net_namespace)},
      {"net_namespace_ipvs", j(g.net_namespace_ipvs)},
      {"namespace_with_ipsets", g.namespace_with_ipsets},
      {"instance", j(g.instance)},
      {"use_pid_dir", g.use_pid_dir},
      {"linkbeat_use_polling", g.linkbeat_use_polling},
      {"child_wait_time_s", j(g.child_wait_time)},
      {"tmp_config_directory", j(g.tmp_config_directory)},
      {"config_save_dir", j(g.config_save_dir)},
      {"process_names", g.process_names},
      {"process_name", j(g.process_name)},
      {"reload_check_config", j(g.reload_check_config)},
      {"include_check", j(g.include_check)},
      {"reload_time_file", j(g.reload_time_file)},
      {"reload_repeat", g.reload_repeat},
      {"reload_file", j(g.reload_file)},
      {"data_use_instance", g.data_use_instance},
      {"random_seed", j(g.random_seed)},
      {"umask", j(g.umask)},
      {"startup_script", j(g.startup_script)},
      {"startup_script_timeout_s", j(g.startup_script_timeout)},
      {"shutdown_script", j(g.shutdown_script)},
      {"shutdown_script_timeout_s", j(g.shutdown_script_timeout)},
      {"notification_email", g.notification_email},
      {"notification_email_from", j(g.notification_email_from)},
      {"smtp_server", smtp},
      {"smtp_helo_name", j(g.smtp_helo_name)},
      {"smtp_connect_timeout_s", j(g.smtp_connect_timeout)},
      {"smtp_alert", j(g.smtp_alert)},
      {"smtp_alert_vrrp", j(g.smtp_alert_vrrp)},
      {"smtp_alert_checker", j(g.smtp_alert_checker)},
      {"checker_log_all_failures", g.checker_log_all_failures},
      {"no_email_faults", g.no_email_faults},
      {"no_checker_emails", g.no_checker_emails},
      {"rs_init_notifies", g.rs_init_notifies},
      {"router_id", j(g.router_id)},
      {"vrrp_mcast_group4", j(g.vrrp_mcast_group4)},
      {"vrrp_mcast_group6", j(g.vrrp_mcast_group6)},
      {"default_interface", g.default_interface},
      {"vrrp_garp_master_delay_s", j(g.vrrp_garp_master_delay)},
      {"vrrp_garp_master_repeat", g.vrrp_garp_master_repeat},
      {"vrrp_garp_lower_prio_delay_s", j(g.vrrp_garp_lower_prio_delay)},
      {"vrrp_garp_lower_prio_repeat", j(g.vrrp_garp_lower_prio_repeat)},
      {"vrrp_garp_master_refresh_s", j(g.vrrp_garp_master_refresh)},
      {"vrrp_garp_master_refresh_repeat", g.vrrp_garp_master_refresh_repeat},
      {"vrrp_garp_interval_us", j(g.vrrp_garp_interval)},
      {"vrrp_gna_interval_us", j(g.vrrp_gna_interval)},
      {"vrrp_min_garp", g.vrrp_min_garp},
      {"vrrp_garp_extra_if_all", g.vrrp_garp_extra_if_all},
      {"vrrp_garp_extra_if_s", j(g.vrrp_garp_extra_if)},
      {"vrrp_down_timer_adverts", g.vrrp_down_timer_adverts},
      {"vrrp_lower_prio_no_advert", j(g.vrrp_lower_prio_no_advert)},
      {"vrrp_higher_prio_send_advert", j(g.vrrp_higher_prio_send_advert)},
      {"vrrp_version", g.vrrp_version},
      {"vrrp_check_unicast_src", g.vrrp_check_unicast_src},
      {"vrrp_skip_check_adv_addr", g.vrrp_skip_check_adv_addr},
      {"vrrp_strict", g.vrrp_strict},
      {"vrrp_notify_priority_changes", g.vrrp_notify_priority_changes},
      {"disable_local_igmp", g.disable_local_igmp},
      {"firewall",
       {{"nftables_table", j(f.nftables_table)},
        {"nftables_priority", f.nftables_priority},
        {"nftables_counters", f.nftables_counters},
        {"nftables_ifindex", f.nftables_ifindex},
        {"nftables_ipvs_table", j(f.nftables_ipvs_table)},
        {"nftables_ipvs_priority", f.nftables_ipvs_priority},
        {"nftables_ipvs_start_fwmark", f.nftables_ipvs_start_fwmark},
        {"iptables", f.iptables},
        {"iptables_in_chain", f.iptables_in_chain},
        {"iptables_out_chain", j(f.iptables_out_chain)},
        {"ipsets", f.ipsets}}},
      {"vrrp_startup_delay_us", j(g.vrrp_startup_delay)},
      {"log_unknown_vrids", g.log_unknown_vrids},
      {"vmac_prefix", g.vmac_prefix},
      {"vmac_addr_prefix", j(g.vmac_addr_prefix)},
      {"vrrp_rx_bufs_policy", kRx[int(g.vrrp_rx_bufs_policy)]},
      {"vrrp_rx_bufs_size", g.vrrp_rx_bufs_size},
      {"vrrp_rx_bufs_multiplier", g.vrrp_rx_bufs_multiplier},
      {"dynamic_interfaces", g.dynamic_interfaces},
      {"allow_if_changes", g.allow_if_changes},
      {"lvs_sync_daemon", sync},
      {"lvs_timeouts",
       {{"tcp_s", j(g.lvs_timeouts.tcp)},
        {"tcpfin_s", j(g.lvs_timeouts.tcpfin)},
        {"udp_s", j(g.lvs_timeouts.udp)}}},
      {"lvs_flush", g.lvs_flush},
      {"lvs_flush_on_stop", kFlush[int(g.lvs_flush_on_stop)]},
      {"max_auto_priority", j(g.max_auto_priority)},
      {"min_auto_priority_delay_us", j(g.min_auto_priority_delay)},
      {"vrrp_process", tuning(g.vrrp_process)},
      {"checker_process", tuning(g.checker_process)},
      {"bfd_process", tuning(g.bfd_process)},
      {"vrrp_netlink", bufs(g.vrrp_netlink)},
      {"lvs_netlink", bufs(g.lvs_netlink)},
      {"process_monitor_rcv_bufs", j(g.process_monitor_rcv_bufs)},
      {"process_monitor_rcv_bufs_force", g.process_monitor_rcv_bufs_force},
      {"snmp_socket", j(g.snmp_socket)},
      {"enable_snmp_vrrp", g.enable_snmp_vrrp},
      {"enable_snmp_checker", g.enable_snmp_checker},
      {"enable_snmp_rfcv2", g.enable_snmp_rfcv2},
      {"enable_snmp_rfcv3", g.enable_snmp_rfcv3},
      {"enable_traps", g.enable_traps},
      {"enable_dbus", g.enable_dbus},
      {"dbus_service_name", j(g.dbus_service_name)},
      {"script_user", j(g.script_user)},
      {"script_group", j(g.script_group)},
      {"enable_script_security", g.enable_script_security},
      {"notify_fifo", opt_fifo(g.notify_fifo)},
      {"vrrp_notify_fifo", opt_fifo(g.vrrp_notify_fifo)},
      {"lvs_notify_fifo", opt_fifo(g.lvs_notify_fifo)},
      {"fifo_write_vrrp_states_on_reload", g.fifo_write_vrrp_states_on_reload},
      {"vigil_metrics_listen", j(g.vigil_metrics_listen)},
      {"vigil_control_socket", j(g.vigil_control_socket)},
  };
}

}  // namespace vigil::conf::json_detail
