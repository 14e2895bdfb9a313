#include "vrrp/reconfigure.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "conf/load.h"

namespace vigil::vrrp {
namespace {

using nlohmann::json;

// Instance settings a running virtual router takes without leaving (JSON keys of the model).
constexpr std::array kInPlaceKeys = {
    "priority",
    "advert_int_us",
    "state",
    "nopreempt",
    "preempt_delay_us",
    "higher_prio_send_advert",
    "lower_prio_no_advert",
    "down_timer_adverts",
    "notify",
    "smtp_alert",
    "track",
    "garp_master_delay_s",
    "garp_master_repeat",
    "garp_lower_prio_delay_s",
    "garp_lower_prio_repeat",
    "garp_master_refresh_s",
    "garp_master_refresh_repeat",
    "garp_extra_if_all",
    "garp_extra_if_s",
    "virtual_ipaddress",
    "virtual_ipaddress_excluded",
    "accept",
    "skip_check_adv_addr",
    "strict_mode",
    "debug",
    "sync_group",
};

bool in_place_key(const std::string& key) {
  return std::find(kInPlaceKeys.begin(), kInPlaceKeys.end(), key) != kInPlaceKeys.end();
}

// name -> JSON object of each element of a JSON array of named objects.
std::vector<std::pair<std::string, const json*>> by_name(const json& array) {
  std::vector<std::pair<std::string, const json*>> out;
  for (const auto& e : array) out.emplace_back(e.at("name").get<std::string>(), &e);
  return out;
}

const json* find(const std::vector<std::pair<std::string, const json*>>& v,
                 const std::string& name) {
  for (const auto& [n, p] : v)
    if (n == name) return p;
  return nullptr;
}

// The keys whose values differ between two JSON objects (either side may lack a key).
std::vector<std::string> differing_keys(const json& a, const json& b) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : a.items())
    if (!b.contains(k) || b.at(k) != v) keys.push_back(k);
  for (const auto& [k, v] : b.items())
    if (!a.contains(k)) keys.push_back(k);
  return keys;
}

// Generic comparison of two named lists. `classify` turns the differing keys of a kept
// element into InPlace or Restart.
template <class Classify>
std::vector<ItemDiff> diff_lists(const json& old_array, const json& new_array, Classify classify) {
  const auto olds = by_name(old_array);
  const auto news = by_name(new_array);
  std::vector<ItemDiff> out;
  for (const auto& [name, nj] : news) {
    ItemDiff d;
    d.name = name;
    if (const json* oj = find(olds, name)) {
      d.fields = differing_keys(*oj, *nj);
      d.change = d.fields.empty() ? Change::Unchanged : classify(d.fields);
    } else {
      d.change = Change::Added;
    }
    out.push_back(std::move(d));
  }
  for (const auto& [name, oj] : olds)
    if (!find(news, name)) out.push_back({name, Change::Removed, {}});
  return out;
}

const ItemDiff* find_diff(const std::vector<ItemDiff>& v, std::string_view name) {
  for (const auto& d : v)
    if (d.name == name) return &d;
  return nullptr;
}

json address_json(const conf::VirtualAddress& a) {
  // Reuse the model's JSON through a one-address config; it is the single definition of
  // "all attributes of a virtual address".
  conf::Config c;
  conf::VrrpInstance i;
  i.name = "x";
  i.vips.push_back(a);
  c.vrrp_instances.push_back(std::move(i));
  return conf::vrrp_to_json(c)["vrrp_instances"][0]["virtual_ipaddress"][0];
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
  std::vector<json> olds, news;
  for (const auto& a : old_list) olds.push_back(address_json(a));
  for (const auto& a : new_list) news.push_back(address_json(a));
  AddressDelta d;
  for (size_t i = 0; i < olds.size(); ++i)
    if (std::find(news.begin(), news.end(), olds[i]) == news.end()) d.removed.push_back(i);
  for (size_t i = 0; i < news.size(); ++i)
    if (std::find(olds.begin(), olds.end(), news[i]) == olds.end()) d.added.push_back(i);
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
  const json oj = conf::vrrp_to_json(old_config);
  const json nj = conf::vrrp_to_json(new_config);
  ConfigDiff d;
  d.instances = diff_lists(
      oj["vrrp_instances"], nj["vrrp_instances"], [](const std::vector<std::string>& keys) {
        bool restart =
            std::any_of(keys.begin(), keys.end(), [](const auto& k) { return !in_place_key(k); });
        return restart ? Change::Restart : Change::InPlace;
      });
  // Global settings an instance inherits at run time rather than through its own fields.
  for (auto& id : d.instances) {
    if (id.change == Change::Removed || id.change == Change::Added) continue;
    const conf::VrrpInstance* o = nullptr;
    const conf::VrrpInstance* n = nullptr;
    for (const auto& i : old_config.vrrp_instances)
      if (i.name == id.name) o = &i;
    for (const auto& i : new_config.vrrp_instances)
      if (i.name == id.name) n = &i;
    if (!o || !n) continue;
    if (effective_interface(old_config, *o) != effective_interface(new_config, *n)) {
      id.fields.push_back("default_interface");
      id.change = Change::Restart;
    }
    if (advert_destinations(old_config, *o) != advert_destinations(new_config, *n)) {
      id.fields.push_back("vrrp_mcast_group");
      id.change = Change::Restart;
    }
  }
  d.sync_groups = diff_lists(oj["vrrp_sync_groups"], nj["vrrp_sync_groups"],
                             [](const auto&) { return Change::InPlace; });
  d.scripts = diff_lists(oj["vrrp_scripts"], nj["vrrp_scripts"],
                         [](const auto&) { return Change::Restart; });
  d.track_files =
      diff_lists(oj["track_files"], nj["track_files"], [](const auto&) { return Change::Restart; });
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
