#include "vrrp/reconfigure.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace vigil::vrrp {
namespace {

using conf::VrrpInstance;

// One instance setting as the reload log names it, and whether a running virtual router takes
// a change of it in place (see reconfigure.h for why).
struct InstanceField {
  const char* name;
  bool in_place;
  bool (*same)(const VrrpInstance&, const VrrpInstance&);
};

#define VIGIL_RECONF_FIELD(name, member, in_place)                                        \
  InstanceField {                                                                         \
    name, in_place,                                                                       \
        [](const VrrpInstance& a, const VrrpInstance& b) { return a.member == b.member; } \
  }

// Only consulted once two instances differ (their operator==), to name what differs and
// classify it. A difference none of these names (a model field added later) is reported as
// "other settings" and restarts the instance: a new field is safe by default.
const InstanceField kInstanceFields[] = {
    // Restart: identity on the wire, the socket, the interfaces it makes.
    VIGIL_RECONF_FIELD("interface", interface, false),
    VIGIL_RECONF_FIELD("vrf", vrf, false),
    VIGIL_RECONF_FIELD("virtual_router_id", vrid, false),
    VIGIL_RECONF_FIELD("version", version, false),
    VIGIL_RECONF_FIELD("family", family, false),
    VIGIL_RECONF_FIELD("authentication", auth_type, false),
    VIGIL_RECONF_FIELD("authentication", auth_pass, false),
    VIGIL_RECONF_FIELD("virtual_routes", routes, false),
    VIGIL_RECONF_FIELD("virtual_rules", rules, false),
    VIGIL_RECONF_FIELD("promote_secondaries", promote_secondaries, false),
    VIGIL_RECONF_FIELD("use_vmac", vmac, false),
    VIGIL_RECONF_FIELD("use_vmac_addr", use_vmac_addr, false),
    VIGIL_RECONF_FIELD("vmac_xmit_base", vmac_xmit_base, false),
    VIGIL_RECONF_FIELD("use_ipvlan", ipvlan, false),
    VIGIL_RECONF_FIELD("native_ipv6", native_ipv6, false),
    VIGIL_RECONF_FIELD("dont_track_primary", dont_track_primary, false),
    VIGIL_RECONF_FIELD("linkbeat_use_polling", linkbeat_use_polling, false),
    VIGIL_RECONF_FIELD("src_ip", src_ip, false),
    VIGIL_RECONF_FIELD("mcast_dst_ip", mcast_dst_ip, false),
    VIGIL_RECONF_FIELD("track_src_ip", track_src_ip, false),
    VIGIL_RECONF_FIELD("unicast_peers", unicast_peers, false),
    VIGIL_RECONF_FIELD("unicast_fault_no_peer", unicast_fault_no_peer, false),
    VIGIL_RECONF_FIELD("unicast_ttl", unicast_ttl, false),
    VIGIL_RECONF_FIELD("check_unicast_src", check_unicast_src, false),
    VIGIL_RECONF_FIELD("old_unicast_checksum", old_unicast_checksum, false),
    VIGIL_RECONF_FIELD("kernel_rx_buf_size", kernel_rx_buf_size, false),
    VIGIL_RECONF_FIELD("lvs_sync_daemon_interface", lvs_sync_daemon_interface, false),
    // In place.
    VIGIL_RECONF_FIELD("priority", priority, true),
    VIGIL_RECONF_FIELD("advert_int_us", advert_interval, true),
    VIGIL_RECONF_FIELD("advert_int", advert_int_seconds, true),
    VIGIL_RECONF_FIELD("state", initial_state, true),
    VIGIL_RECONF_FIELD("nopreempt", nopreempt, true),
    VIGIL_RECONF_FIELD("preempt_delay_us", preempt_delay, true),
    VIGIL_RECONF_FIELD("higher_prio_send_advert", higher_prio_send_advert, true),
    VIGIL_RECONF_FIELD("lower_prio_no_advert", lower_prio_no_advert, true),
    VIGIL_RECONF_FIELD("down_timer_adverts", down_timer_adverts, true),
    VIGIL_RECONF_FIELD("notify", notify, true),
    VIGIL_RECONF_FIELD("smtp_alert", smtp_alert, true),
    VIGIL_RECONF_FIELD("track", tracking, true),
    VIGIL_RECONF_FIELD("garp_master_delay_s", garp_master_delay, true),
    VIGIL_RECONF_FIELD("garp_master_repeat", garp_master_repeat, true),
    VIGIL_RECONF_FIELD("garp_lower_prio_delay_s", garp_lower_prio_delay, true),
    VIGIL_RECONF_FIELD("garp_lower_prio_repeat", garp_lower_prio_repeat, true),
    VIGIL_RECONF_FIELD("garp_master_refresh_s", garp_master_refresh, true),
    VIGIL_RECONF_FIELD("garp_master_refresh_repeat", garp_master_refresh_repeat, true),
    VIGIL_RECONF_FIELD("garp_extra_if_all", garp_extra_if_all, true),
    VIGIL_RECONF_FIELD("garp_extra_if_s", garp_extra_if, true),
    VIGIL_RECONF_FIELD("virtual_ipaddress", vips, true),
    VIGIL_RECONF_FIELD("virtual_ipaddress_excluded", excluded_vips, true),
    VIGIL_RECONF_FIELD("accept", accept, true),
    VIGIL_RECONF_FIELD("skip_check_adv_addr", skip_check_adv_addr, true),
    VIGIL_RECONF_FIELD("strict_mode", strict_mode, true),
    VIGIL_RECONF_FIELD("debug", debug, true),
    VIGIL_RECONF_FIELD("sync_group", sync_group, true),
};

#undef VIGIL_RECONF_FIELD

// Names the differing settings of two instances that compare unequal, and classifies them.
void classify_instance(const VrrpInstance& o, const VrrpInstance& n, ItemDiff& d) {
  bool restart = false;
  for (const InstanceField& f : kInstanceFields) {
    if (f.same(o, n)) continue;
    if (d.fields.empty() || d.fields.back() != f.name) d.fields.emplace_back(f.name);
    restart = restart || !f.in_place;
  }
  if (d.fields.empty()) {
    d.fields.emplace_back("other settings");
    restart = true;
  }
  d.change = restart ? Change::Restart : Change::InPlace;
}

// Generic comparison of two named lists by the model's operator==. `on_changed` classifies a
// kept element that differs.
template <class List, class OnChanged>
std::vector<ItemDiff> diff_lists(const List& olds, const List& news, OnChanged on_changed) {
  using T = typename List::value_type;
  std::unordered_map<std::string_view, const T*> old_by_name, new_by_name;
  old_by_name.reserve(olds.size());
  new_by_name.reserve(news.size());
  for (const T& o : olds) old_by_name.emplace(o.name, &o);
  for (const T& n : news) new_by_name.emplace(n.name, &n);
  std::vector<ItemDiff> out;
  out.reserve(news.size());
  for (const T& n : news) {
    ItemDiff d;
    d.name = n.name;
    auto it = old_by_name.find(n.name);
    if (it == old_by_name.end())
      d.change = Change::Added;
    else if (!(*it->second == n))
      on_changed(*it->second, n, d);
    out.push_back(std::move(d));
  }
  for (const T& o : olds)
    if (!new_by_name.count(o.name)) out.push_back({o.name, Change::Removed, {}});
  return out;
}

auto every_change_is(Change c) {
  return [c](const auto&, const auto&, ItemDiff& d) { d.change = c; };
}

const ItemDiff* find_diff(const std::vector<ItemDiff>& v, std::string_view name) {
  for (const auto& d : v)
    if (d.name == name) return &d;
  return nullptr;
}

}  // namespace

std::string_view to_string(Change c) {
  switch (c) {
    case Change::Unchanged:
      return "unchanged";
    case Change::InPlace:
      return "changed in place";
    case Change::Restart:
      return "restarted";
    case Change::Removed:
      return "removed";
    case Change::Added:
      return "added";
  }
  return "?";
}

AddressDelta address_delta(const std::vector<conf::VirtualAddress>& old_list,
                           const std::vector<conf::VirtualAddress>& new_list) {
  AddressDelta d;
  for (size_t i = 0; i < old_list.size(); ++i)
    if (std::find(new_list.begin(), new_list.end(), old_list[i]) == new_list.end())
      d.removed.push_back(i);
  for (size_t i = 0; i < new_list.size(); ++i)
    if (std::find(old_list.begin(), old_list.end(), new_list[i]) == old_list.end())
      d.added.push_back(i);
  return d;
}

std::string effective_interface(const conf::Config& config, const conf::VrrpInstance& ic) {
  return ic.interface.value_or(config.global.default_interface);
}

std::vector<IpAddress> advert_destinations(const conf::Config& config,
                                           const conf::VrrpInstance& ic) {
  std::vector<IpAddress> out;
  if (ic.unicast_peers.empty()) {
    out.push_back(ic.mcast_dst_ip.value_or(ic.family == Family::V4
                                               ? config.global.vrrp_mcast_group4
                                               : config.global.vrrp_mcast_group6));
  } else {
    for (const auto& p : ic.unicast_peers) out.push_back(p.address);
  }
  return out;
}

ConfigDiff diff_configs(const conf::Config& old_config, const conf::Config& new_config) {
  ConfigDiff d;
  d.instances = diff_lists(old_config.vrrp_instances, new_config.vrrp_instances,
                           [&](const VrrpInstance& o, const VrrpInstance& n, ItemDiff& id) {
                             classify_instance(o, n, id);
                           });
  // Global settings an instance inherits at run time rather than through its own fields.
  std::unordered_map<std::string_view, const VrrpInstance*> old_by_name;
  old_by_name.reserve(old_config.vrrp_instances.size());
  for (const auto& i : old_config.vrrp_instances) old_by_name.emplace(i.name, &i);
  size_t index = 0;  // d.instances starts with the new instances, in their order
  for (const auto& n : new_config.vrrp_instances) {
    ItemDiff& id = d.instances[index++];
    if (id.change == Change::Added) continue;
    const VrrpInstance& o = *old_by_name.at(n.name);
    if (effective_interface(old_config, o) != effective_interface(new_config, n)) {
      id.fields.emplace_back("default_interface");
      id.change = Change::Restart;
    }
    if (advert_destinations(old_config, o) != advert_destinations(new_config, n)) {
      id.fields.emplace_back("vrrp_mcast_group");
      id.change = Change::Restart;
    }
  }
  d.sync_groups =
      diff_lists(old_config.sync_groups, new_config.sync_groups, every_change_is(Change::InPlace));
  d.scripts = diff_lists(old_config.vrrp_scripts, new_config.vrrp_scripts,
                         every_change_is(Change::Restart));
  d.track_files =
      diff_lists(old_config.track_files, new_config.track_files, every_change_is(Change::Restart));
  return d;
}

const ItemDiff* ConfigDiff::instance(std::string_view name) const {
  return find_diff(instances, name);
}
const ItemDiff* ConfigDiff::script(std::string_view name) const {
  return find_diff(scripts, name);
}
const ItemDiff* ConfigDiff::track_file(std::string_view name) const {
  return find_diff(track_files, name);
}

bool ConfigDiff::empty() const {
  for (const auto* list : {&instances, &sync_groups, &scripts, &track_files})
    for (const auto& d : *list)
      if (d.change != Change::Unchanged) return false;
  return true;
}

std::string ConfigDiff::summary() const {
  size_t n[5] = {};
  for (const auto& d : instances) ++n[static_cast<size_t>(d.change)];
  return fmt::format(
      "{} unchanged, {} changed in place, {} restarted, {} removed, {} added instance(s)", n[0],
      n[1], n[2], n[3], n[4]);
}

}  // namespace vigil::vrrp
