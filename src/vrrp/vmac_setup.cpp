#include "vrrp/vmac_setup.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <fstream>

#include "netlink/addresses.h"
#include "netlink/links.h"

namespace vigil::vrrp {

std::optional<VmacConfig> vmac_config_from(const conf::VrrpInstance& ic, int parent_ifindex,
                                           std::string& error) {
  VmacConfig c;
  c.parent_ifindex = parent_ifindex;
  c.vrid = ic.vrid;
  c.family = ic.family;
  c.ipv4_only = ic.family == Family::V4;
  if (!ic.vmac) return c;
  c.name = ic.vmac->name;
  if (ic.vmac->mac) {
    std::string text = *ic.vmac->mac;
    const auto colons =
        std::count(text.begin(), text.end(), ':') + std::count(text.begin(), text.end(), '-');
    if (colons == 4) text += ":" + fmt::format("{:02x}", ic.vrid);
    auto mac = netlink::MacAddress::parse(text);
    if (!mac) {
      error = "bad use_vmac MAC address '" + *ic.vmac->mac + "'";
      return std::nullopt;
    }
    c.mac = *mac;
  }
  return c;
}

std::string vmac_name(const conf::VrrpInstance& ic) {
  return ic.vmac && ic.vmac->name ? *ic.vmac->name : default_vmac_name(ic.vrid);
}

void VmacManager::set_sysctl(const std::string& path, const std::string& value) {
  std::string old;
  {
    std::ifstream in(path);
    if (!in || !(in >> old)) {
      spdlog::warn("cannot read {}", path);
      return;
    }
  }
  if (old == value) return;
  std::ofstream out(path);
  out << value << "\n";
  out.flush();
  if (!out) {
    spdlog::warn("cannot set {} to {}", path, value);
    return;
  }
  saved_.emplace_back(path, old);
}

std::optional<int> VmacManager::create(const conf::VrrpInstance& ic, int parent_ifindex,
                                       const std::string& parent_name) {
  std::string error;
  auto cfg = vmac_config_from(ic, parent_ifindex, error);
  if (!cfg) {
    spdlog::error("({}) {}", ic.name, error);
    return std::nullopt;
  }
  cfg->name = vmac_name(ic);
  return create_link(*cfg, ic.name, parent_name);
}

std::optional<int> VmacManager::create_for_addresses(const conf::VrrpInstance& ic,
                                                     const AddressVmacPlan& plan,
                                                     int parent_ifindex) {
  if (plan.name.empty()) {
    spdlog::error("({}) no free interface name for a VMAC on {}", ic.name, plan.key.base);
    return std::nullopt;
  }
  VmacConfig c;
  c.parent_ifindex = parent_ifindex;
  c.vrid = ic.vrid;
  c.family = plan.key.family;
  c.ipv4_only = plan.key.family == Family::V4;
  c.name = plan.name;
  c.mac = plan.mac;
  return create_link(c, ic.name, plan.key.base);
}

std::optional<int> VmacManager::create_link(const VmacConfig& cfg, const std::string& owner,
                                            const std::string& parent_name) {
  const std::string name = cfg.name.value_or(default_vmac_name(cfg.vrid));
  const netlink::MacAddress mac = cfg.mac.value_or(virtual_mac(cfg.family, cfg.vrid));
  int ifindex = 0;
  auto made = create_vmac(sock_, cfg);
  if (made) {
    ifindex = *made;
    created_.emplace_back(ifindex, name);
  } else if (made.error().code == EEXIST) {
    // Left behind by a daemon that was killed: adopt it when it is what we would create.
    auto link = netlink::get_link(sock_, name);
    if (!link || link->kind != "macvlan" || link->mac != mac ||
        link->parent_ifindex != cfg.parent_ifindex) {
      spdlog::error("({}) interface {} exists and is not this instance's VMAC", owner, name);
      return std::nullopt;
    }
    ifindex = link->ifindex;
    // Adopted: from an earlier run, or our own when a reload restarts its instance.
    if (std::none_of(created_.begin(), created_.end(),
                     [&](const auto& c) { return c.first == ifindex; }))
      created_.emplace_back(ifindex, name);
    (void)netlink::set_link_up(sock_, ifindex, true);
  } else {
    spdlog::error("({}) cannot create VMAC {} on {}: {}", owner, name, parent_name,
                  made.error().message);
    return std::nullopt;
  }
  spdlog::info("({}) VMAC {} ({}) on {}", owner, name, mac.to_string(), parent_name);
  if (cfg.family == Family::V4) {
    const std::string vm = "/proc/sys/net/ipv4/conf/" + name + "/";
    set_sysctl(vm + "arp_ignore", "1");
    set_sysctl(vm + "accept_local", "1");
    set_sysctl(vm + "rp_filter", "0");
    const std::string base = "/proc/sys/net/ipv4/conf/" + parent_name + "/";
    set_sysctl(base + "arp_ignore", "1");
    set_sysctl(base + "arp_filter", "1");
    // ARP requests the base interface sends (for a client the VIP answers) must not carry a
    // VIP as sender address, or the LAN re-learns the VIP at the base MAC.
    set_sysctl(base + "arp_announce", "2");
  }
  return ifindex;
}

void VmacManager::add_link_local(int vmac_ifindex, const IpAddress& link_local,
                                 const std::string& name) {
  netlink::AddressSpec spec;
  spec.ifindex = vmac_ifindex;
  spec.prefix = IpPrefix{link_local, 64};
  spec.scope = netlink::Scope::Link;
  spec.nodad = true;
  spec.preferred_lft = 0;
  auto r = netlink::add_address(sock_, spec);
  if (!r && r.error().code != EEXIST)
    spdlog::warn("({}) cannot add {} to its VMAC: {}", name, link_local.to_string(),
                 r.error().message);
}

void VmacManager::remove_unused(const std::set<int>& in_use) {
  std::erase_if(created_, [&](const std::pair<int, std::string>& c) {
    if (in_use.contains(c.first)) return false;
    spdlog::info("removing VMAC {}: no longer configured", c.second);
    auto r = delete_vmac(sock_, c.first);
    if (!r && r.error().code != ENODEV)
      spdlog::warn("cannot delete VMAC {}: {}", c.second, r.error().message);
    return true;
  });
}

void VmacManager::remove_all() {
  for (const auto& [ifindex, name] : created_) {
    auto r = delete_vmac(sock_, ifindex);
    if (!r && r.error().code != ENODEV)
      spdlog::warn("cannot delete VMAC {}: {}", name, r.error().message);
  }
  created_.clear();
  // Newest first, so a value changed twice ends at the original one.
  for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
    std::ofstream out(it->first);
    out << it->second << "\n";
  }
  saved_.clear();
}

}  // namespace vigil::vrrp
