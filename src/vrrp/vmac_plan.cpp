#include "vrrp/vmac_plan.h"

#include <net/if.h>

#include <algorithm>

#include "vrrp/reconfigure.h"
#include "vrrp/vmac.h"
#include "vrrp/vmac_setup.h"

namespace vigil::vrrp {

std::optional<AddressVmacKey> address_vmac_key(const conf::VrrpInstance& ic,
                                               const std::string& interface,
                                               const conf::VirtualAddress& v) {
  if (!ic.use_vmac_addr && !v.use_vmac) return std::nullopt;
  AddressVmacKey key{v.dev.value_or(interface), v.address.address.family()};
  const bool own_link = key.base == interface && key.family == ic.family;
  // On the instance's interface and family the address already has the right MAC: on the
  // instance's VMAC when there is one, else (use_vmac_addr alone) on the interface itself.
  if (own_link && (ic.vmac || !v.use_vmac)) return std::nullopt;
  return key;
}

namespace {

// keepalived's naming: the family's plain name first, then numbered ones.
std::string free_vmac_name(const std::string& prefix, Family family, uint8_t vrid,
                           const std::set<std::string>& taken) {
  const std::string suffix = "." + std::to_string(vrid);
  auto usable = [&](const std::string& n) { return n.size() < IFNAMSIZ && !taken.contains(n); };
  std::string name = prefix + (family == Family::V6 ? "6" : "") + suffix;
  if (usable(name)) return name;
  for (int i = 1; i < 1000; ++i) {
    name = prefix + std::to_string(i) + suffix;
    if (name.size() >= IFNAMSIZ) break;
    if (usable(name)) return name;
  }
  return {};
}

}  // namespace

std::vector<AddressVmacPlan> plan_address_vmacs(const conf::VrrpInstance& ic,
                                                const std::string& interface,
                                                const std::string& prefix,
                                                std::set<std::string>& taken) {
  std::vector<AddressVmacPlan> plans;
  auto visit = [&](const std::vector<conf::VirtualAddress>& vips) {
    for (const auto& v : vips) {
      auto key = address_vmac_key(ic, interface, v);
      if (!key) continue;
      if (std::any_of(plans.begin(), plans.end(),
                      [&](const AddressVmacPlan& p) { return p.key == *key; }))
        continue;
      AddressVmacPlan p{*key, free_vmac_name(prefix, key->family, ic.vrid, taken),
                        virtual_mac(key->family, ic.vrid)};
      if (!p.name.empty()) taken.insert(p.name);
      plans.push_back(std::move(p));
    }
  };
  visit(ic.vips);
  visit(ic.excluded_vips);
  return plans;
}

std::set<std::string> instance_vmac_names(const conf::Config& config) {
  std::set<std::string> names;
  for (const auto& ic : config.vrrp_instances)
    if (ic.vmac) names.insert(vmac_name(ic));
  return names;
}

std::map<std::string, std::vector<AddressVmacPlan>> plan_all_address_vmacs(
    const conf::Config& config) {
  std::map<std::string, std::vector<AddressVmacPlan>> all;
  std::set<std::string> taken = instance_vmac_names(config);
  const std::string prefix = address_vmac_prefix(config);
  for (const auto& ic : config.vrrp_instances) {
    auto plans = plan_address_vmacs(ic, effective_interface(config, ic), prefix, taken);
    if (!plans.empty()) all[ic.name] = std::move(plans);
  }
  return all;
}

std::string address_vmac_prefix(const conf::Config& config) {
  return config.global.vmac_addr_prefix.value_or(config.global.vmac_prefix);
}

}  // namespace vigil::vrrp
