#include "conf/json_common.h"
#include "conf/load.h"
#include "conf/parse_lvs.h"

namespace vigil::conf {
namespace json_detail {
namespace {

json tracking(const Tracking& t) {
  return {{"interfaces", j(t.interfaces)},
          {"scripts", j(t.scripts)},
          {"files", j(t.files)},
          {"processes", j(t.processes)},
          {"bfds", j(t.bfds)}};
}

json notifies(const Notifies& n) {
  return {{"master", j(n.master)},
          {"backup", j(n.backup)},
          {"fault", j(n.fault)},
          {"stop", j(n.stop)},
          {"deleted", n.deleted},
          {"deleted_script", j(n.deleted_script)},
          {"notify", j(n.any)},
          {"master_rx_lower_pri", j(n.master_rx_lower_pri)},
          {"priority_changes", n.priority_changes},
          {"smtp_alert", j(n.smtp_alert)}};
}

json instance(const VrrpInstance& v) {
  static const char* kAuth[] = {"none", "PASS", "AH"};
  static const char* kIpvlan[] = {"bridge", "private", "vepa"};
  static const char* kOld[] = {"off", "on", "never"};
  json peers = json::array();
  for (const auto& p : v.unicast_peers)
    peers.push_back(
        {{"address", j(p.address)}, {"min_ttl", j(p.min_ttl)}, {"max_ttl", j(p.max_ttl)}});
  json vmac = nullptr;
  if (v.vmac) vmac = {{"name", j(v.vmac->name)}, {"mac", j(v.vmac->mac)}};
  json ipvlan = nullptr;
  if (const auto& ipv = *v.ipvlan)
    ipvlan = {
        {"name", j(ipv->name)}, {"address", j(ipv->address)}, {"mode", kIpvlan[int(ipv->mode)]}};
  return {
      {"name", v.name},
      {"state", v.initial_state == VrrpState::Master ? "MASTER" : "BACKUP"},
      {"interface", j(v.interface)},
      {"vrf", j(v.vrf)},
      {"virtual_router_id", v.vrid},
      {"priority", v.priority},
      {"version", v.version},
      {"family", v.family == Family::V4 ? "inet" : "inet6"},
      {"advert_int_us", j(v.advert_interval)},
      {"authentication", {{"type", kAuth[int(v.auth_type)]}, {"pass", v.auth_pass}}},
      {"virtual_ipaddress", j(v.vips)},
      {"virtual_ipaddress_excluded", j(v.excluded_vips)},
      {"virtual_routes", j(v.routes)},
      {"virtual_rules", j(v.rules)},
      {"promote_secondaries", v.promote_secondaries},
      {"use_vmac", vmac},
      {"use_vmac_addr", v.use_vmac_addr},
      {"vmac_xmit_base", v.vmac_xmit_base},
      {"use_ipvlan", ipvlan},
      {"native_ipv6", v.native_ipv6},
      {"dont_track_primary", v.dont_track_primary},
      {"linkbeat_use_polling", v.linkbeat_use_polling},
      {"track", tracking(v.tracking)},
      {"src_ip", j(v.src_ip)},
      {"mcast_dst_ip", j(v.mcast_dst_ip)},
      {"track_src_ip", v.track_src_ip},
      {"unicast_peers", peers},
      {"unicast_fault_no_peer", v.unicast_fault_no_peer},
      {"unicast_ttl", v.unicast_ttl},
      {"check_unicast_src", v.check_unicast_src},
      {"old_unicast_checksum", kOld[int(v.old_unicast_checksum)]},
      {"garp_master_delay_s", j(v.garp_master_delay)},
      {"garp_master_repeat", v.garp_master_repeat},
      {"garp_lower_prio_delay_s", j(v.garp_lower_prio_delay)},
      {"garp_lower_prio_repeat", v.garp_lower_prio_repeat},
      {"garp_master_refresh_s", j(v.garp_master_refresh)},
      {"garp_master_refresh_repeat", v.garp_master_refresh_repeat},
      {"garp_extra_if_all", v.garp_extra_if_all},
      {"garp_extra_if_s", j(v.garp_extra_if)},
      {"down_timer_adverts", v.down_timer_adverts},
      {"lower_prio_no_advert", v.lower_prio_no_advert},
      {"higher_prio_send_advert", v.higher_prio_send_advert},
      {"accept", v.accept},
      {"nopreempt", v.nopreempt},
      {"preempt_delay_us", j(v.preempt_delay)},
      {"skip_check_adv_addr", v.skip_check_adv_addr},
      {"strict_mode", v.strict_mode},
      {"debug", v.debug},
      {"notify", notifies(*v.notify)},
      {"smtp_alert", v.smtp_alert},
      {"kernel_rx_buf_size", j(v.kernel_rx_buf_size)},
      {"lvs_sync_daemon_interface", j(v.lvs_sync_daemon_interface)},
      {"sync_group", j(v.sync_group)},
  };
}

}  // namespace

json vrrp_json(const Config& c) {
  json scripts = json::array();
  for (const auto& s : c.vrrp_scripts)
    scripts.push_back({{"name", s.name},
                       {"script", j(s.script)},
                       {"interval_s", j(s.interval)},
                       {"timeout_s", j(s.timeout)},
                       {"weight", s.weight},
                       {"reverse", s.reverse},
                       {"rise", s.rise},
                       {"fall", s.fall},
                       {"init_fail", s.init_fail}});
  json files = json::array();
  for (const auto& f : c.track_files)
    files.push_back({{"name", f.name},
                     {"file", f.file},
                     {"weight", f.weight},
                     {"reverse", f.reverse},
                     {"init_file", f.init_file},
                     {"init_value", f.init_value},
                     {"init_overwrite", f.init_overwrite}});
  static const char* kMatch[] = {"none", "exact", "partial", "initial"};
  json procs = json::array();
  for (const auto& p : c.track_processes)
    procs.push_back({{"name", p.name},
                     {"process", p.process},
                     {"param_match", kMatch[int(p.param_match)]},
                     {"weight", p.weight},
                     {"reverse", p.reverse},
                     {"quorum", p.quorum},
                     {"quorum_max", p.quorum_max},
                     {"fork_delay_us", j(p.fork_delay)},
                     {"terminate_delay_us", j(p.terminate_delay)},
                     {"full_command", p.full_command}});
  json groups = json::array();
  for (const auto& g : c.sync_groups) {
    json members = json::array();
    for (const auto& m : g.members) members.push_back(m.name);
    groups.push_back({{"name", g.name},
                      {"group", members},
                      {"track", tracking(g.tracking)},
                      {"notify", notifies(*g.notify)},
                      {"global_tracking", g.global_tracking},
                      {"sync_group_tracking_weight", g.sync_group_tracking_weight}});
  }
  json garps = json::array();
  for (const auto& g : c.garp_groups)
    garps.push_back({{"garp_interval_us", j(g.garp_interval)},
                     {"gna_interval_us", j(g.gna_interval)},
                     {"interfaces", g.interfaces}});
  json instances = json::array();
  for (const auto& v : c.vrrp_instances) instances.push_back(instance(v));
  return {{"vrrp_scripts", scripts},    {"track_files", files}, {"vrrp_track_processes", procs},
          {"vrrp_sync_groups", groups}, {"garp_groups", garps}, {"vrrp_instances", instances}};
}

}  // namespace json_detail

nlohmann::json to_json(const Config& c) {
  using namespace json_detail;
  static const char* kLinkbeat[] = {"default", "MII", "ETHTOOL", "IOCTL"};
  json linkbeat = json::array();
  for (const auto& l : c.linkbeat_interfaces)
    linkbeat.push_back({{"name", l.name}, {"type", kLinkbeat[int(l.type)]}});
  json delays = json::array();
  for (const auto& d : c.interface_delays)
    delays.push_back(
        {{"name", d.name}, {"down_delay_us", j(d.down_delay)}, {"up_delay_us", j(d.up_delay)}});
  json tgroups = json::array();
  for (const auto& t : c.track_groups) {
    json members = json::array();
    for (const auto& m : t.instances) members.push_back(m.name);
    tgroups.push_back({{"name", t.name}, {"group", members}});
  }
  json out = {
      {"schema", "vigil-config/1"},
      {"global_defs", global_json(c.global)},
      {"linkbeat_interfaces", linkbeat},
      {"interface_up_down_delays", delays},
      {"track_groups", tgroups},
      {"static_ipaddress", j(c.statics.addresses)},
      {"static_routes", j(c.statics.routes)},
      {"static_rules", j(c.statics.rules)},
  };
  out["vrrp"] = vrrp_json(c);
  out["lvs"] = lvs_to_json(c.lvs);
  return out;
}

nlohmann::json vrrp_to_json(const Config& c) {
  return json_detail::vrrp_json(c);
}

nlohmann::json global_defs_to_json(const GlobalDefs& g) {
  return json_detail::global_json(g);
}

}  // namespace vigil::conf
