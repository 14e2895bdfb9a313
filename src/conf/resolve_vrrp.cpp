// Values of vrrp_instance that default to global_defs or depend on other keywords, filled in
// the way keepalived 2.2.7 does, so the engine reads one plain value per setting.
#include <net/if.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "conf/parse_internal.h"

namespace vigil::conf::detail {
namespace {

Family instance_family(const VrrpInstance& vi) {
  if (!vi.vips.empty()) return vi.vips.front().address.address.family();
  if (vi.src_ip) return vi.src_ip->family();
  if (!vi.unicast_peers.empty()) return vi.unicast_peers.front().address.family();
  if (vi.mcast_dst_ip) return vi.mcast_dst_ip->family();
  if (vi.native_ipv6) return Family::V6;
  return Family::V4;
}

// An unnamed use_vmac VMAC gets keepalived's PREFIX.VRID, or, when an earlier instance or an
// explicit name already has that, PREFIX1.VRID, PREFIX2.VRID, ... (the numbering address VMACs
// use, vrrp/vmac_plan.h): two instances with the same VRID on different interfaces, or of both
// families on one, must not plan one macvlan. Plain name kept when nothing under IFNAMSIZ is free.
void name_unnamed_vmacs(Config& c) {
  std::unordered_set<std::string> taken;
  for (const auto& vi : c.vrrp_instances)
    if (vi.vmac && vi.vmac->name) taken.insert(*vi.vmac->name);
  const std::string& prefix = c.global.vmac_prefix;
  for (auto& vi : c.vrrp_instances) {
    if (!vi.vmac || vi.vmac->name) continue;
    const std::string suffix = "." + std::to_string(vi.vrid);
    std::string name = prefix + suffix;
    for (int i = 1; taken.contains(name) && i < 1000; ++i) {
      std::string numbered = prefix + std::to_string(i) + suffix;
      if (numbered.size() >= IFNAMSIZ) {
        name = prefix + suffix;
        break;
      }
      name = std::move(numbered);
    }
    taken.insert(name);
    vi.vmac->name = std::move(name);
  }
}

}  // namespace

void resolve_vrrp_defaults(Config& c, ParseContext&) {
  const GlobalDefs& g = c.global;
  // Indexed once: generated configurations can hold tens of thousands of instances.
  std::unordered_multimap<std::string_view, VrrpInstance*> by_name;
  if (!c.sync_groups.empty())
    for (auto& vi : c.vrrp_instances) by_name.emplace(vi.name, &vi);
  for (const auto& sg : c.sync_groups)
    for (const auto& m : sg.members) {
      auto [first, last] = by_name.equal_range(m.name);
      for (auto it = first; it != last; ++it)
        if (!it->second->sync_group) it->second->sync_group = sg.name;
    }

  name_unnamed_vmacs(c);
  for (auto& vi : c.vrrp_instances) {
    const auto& gv = vi.given;
    vi.family = instance_family(vi);
    vi.version = gv.version.value_or(vi.family == Family::V6 ? 3 : g.vrrp_version);
    vi.strict_mode = gv.strict_mode.value_or(g.vrrp_strict);
    vi.accept = gv.accept.value_or(vi.strict_mode ? vi.priority == 255 : true);
    vi.skip_check_adv_addr = gv.skip_check_adv_addr.value_or(g.vrrp_skip_check_adv_addr);
    bool ttl_check = false;
    for (const auto& p : vi.unicast_peers) ttl_check |= p.min_ttl || p.max_ttl;
    vi.check_unicast_src = gv.check_unicast_src.value_or(g.vrrp_check_unicast_src) || ttl_check;
    vi.lower_prio_no_advert =
        gv.lower_prio_no_advert.value_or(g.vrrp_lower_prio_no_advert.value_or(vi.strict_mode));
    vi.higher_prio_send_advert =
        gv.higher_prio_send_advert.value_or(g.vrrp_higher_prio_send_advert.value_or(false));

    // vrrp_min_garp: one message per burst and no second burst, unless overridden.
    Seconds master_delay = g.vrrp_min_garp ? Seconds(0) : g.vrrp_garp_master_delay;
    uint32_t master_repeat = g.vrrp_min_garp ? 1 : g.vrrp_garp_master_repeat;
    vi.garp_master_delay = gv.garp_master_delay.value_or(master_delay);
    vi.garp_master_repeat = gv.garp_master_repeat.value_or(master_repeat);
    vi.garp_lower_prio_delay = gv.garp_lower_prio_delay.value_or(
        g.vrrp_garp_lower_prio_delay.value_or(vi.garp_master_delay));
    vi.garp_lower_prio_repeat = gv.garp_lower_prio_repeat.value_or(
        g.vrrp_garp_lower_prio_repeat.value_or(vi.garp_master_repeat));
    vi.garp_master_refresh = gv.garp_master_refresh.value_or(g.vrrp_garp_master_refresh);
    vi.garp_master_refresh_repeat =
        gv.garp_master_refresh_repeat.value_or(g.vrrp_garp_master_refresh_repeat);
    if (!gv.garp_extra_if) vi.garp_extra_if_all = g.vrrp_garp_extra_if_all;
    vi.garp_extra_if = gv.garp_extra_if.value_or(g.vrrp_garp_extra_if);
    vi.down_timer_adverts = gv.down_timer_adverts.value_or(g.vrrp_down_timer_adverts);

    vi.smtp_alert =
        vi.notify->smtp_alert.value_or(g.smtp_alert_vrrp.value_or(g.smtp_alert.value_or(false)));
    if (g.vrrp_notify_priority_changes && !vi.notify->priority_changes)
      vi.notify.mut().priority_changes = true;
    if (!vi.mcast_dst_ip && vi.unicast_peers.empty())
      vi.mcast_dst_ip = vi.family == Family::V6 ? g.vrrp_mcast_group6 : g.vrrp_mcast_group4;
  }
}

}  // namespace vigil::conf::detail
