#include "vrrp/leftover_addresses.h"

#include <cerrno>
#include <map>
#include <memory>

#include <spdlog/spdlog.h>

#include "vrrp/conf_convert.h"
#include "vrrp/fsm_types.h"
#include "vrrp/reconfigure.h"
#include "vrrp/vmac_plan.h"
#include "vrrp/vmac_setup.h"

namespace vigil::vrrp {

std::vector<std::string> remove_leftover_addresses(netlink::AddressOps& ops,
                                                   const conf::Config& config,
                                                   const LeftoverScope& scope,
                                                   std::string_view why) {
  std::vector<std::string> cleaned;
  auto present = ops.list_addresses(0, std::nullopt);
  if (!present) {
    spdlog::error("cannot list addresses to remove VIPs {}: {}", why, present.error().message);
    return cleaned;
  }
  auto held = [&](int ifindex, const IpAddress& address) {
    for (const auto& a : *present)
      if (a.ifindex == ifindex && a.prefix.address == address) return true;
    return false;
  };
  for (const auto& ic : config.vrrp_instances) {
    if (scope.keep_address_owners && ic.priority == kPriorityOwner) continue;
    const int vif = scope.vip_ifindex(ic);
    std::vector<netlink::AddressSpec> found;
    auto collect = [&](const std::vector<conf::VirtualAddress>& vips) {
      for (const auto& v : vips) {
        const int ifindex = scope.address_ifindex ? scope.address_ifindex(ic, v)
                            : v.dev               ? scope.ifindex_of(*v.dev).value_or(0)
                                                  : vif;
        if (ifindex != 0 && held(ifindex, v.address.address))
          found.push_back(address_spec_from(v, ifindex));
      }
    };
    collect(ic.vips);
    collect(ic.excluded_vips);
    if (found.empty()) continue;
    spdlog::info("({}) removing virtual addresses {}", ic.name, why);
    for (const auto& spec : found) {
      auto r = ops.del_address(spec);
      if (!r && r.error().code != EADDRNOTAVAIL)
        spdlog::error("({}) cannot remove {}: {}", ic.name, spec.prefix.to_string(),
                      r.error().message);
    }
    if (!ic.routes.empty() || !ic.rules.empty())
      apply_virtual_routes(ops, ic, vif, scope.ifindex_of, false);
    cleaned.push_back(ic.name);
  }
  return cleaned;
}

LeftoverScope leftover_scope_by_name(netlink::AddressOps& ops, const conf::Config& config) {
  LeftoverScope scope;
  scope.ifindex_of = [&ops](const std::string& name) -> std::optional<int> {
    auto link = ops.link_by_name(name);
    if (!link) return std::nullopt;
    return link->ifindex;
  };
  scope.vip_ifindex = [&config, of = scope.ifindex_of](const conf::VrrpInstance& ic) {
    return of(ic.vmac ? vmac_name(ic) : effective_interface(config, ic)).value_or(0);
  };
  // use_vmac_addr / per-address use_vmac: the VMAC names the worker gave, as it planned them.
  auto plans = std::make_shared<const std::map<std::string, std::vector<AddressVmacPlan>>>(
      plan_all_address_vmacs(config));
  if (!plans->empty()) {
    scope.address_ifindex = [&config, plans, of = scope.ifindex_of, vif = scope.vip_ifindex](
                                const conf::VrrpInstance& ic, const conf::VirtualAddress& v) {
      auto it = plans->find(ic.name);
      auto key = address_vmac_key(ic, effective_interface(config, ic), v);
      if (key && it != plans->end()) {
        for (const auto& p : it->second)
          if (p.key == *key && !p.name.empty())
            if (auto ifindex = of(p.name)) return *ifindex;
      }
      return v.dev ? of(*v.dev).value_or(0) : vif(ic);
    };
  }
  return scope;
}

}  // namespace vigil::vrrp
