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

namespace {

using LeftoverAddressList = std::vector<netlink::AddressInfo>;

bool leftover_held(const LeftoverAddressList& present, int ifindex, const IpAddress& address) {
  for (const auto& a : present)
    if (a.ifindex == ifindex && a.prefix.address == address) return true;
  return false;
}

// One instance whose VIPs `found` (resolved, still present) were left: removes them, then its
// virtual routes and rules (`routes`, may be null).
void remove_instance_leftovers(netlink::AddressOps& ops, const std::string& name,
                               const std::vector<netlink::AddressSpec>& found,
                               const conf::VrrpInstance* routes, int vif,
                               const IfindexOf& ifindex_of, std::string_view why) {
  spdlog::info("({}) removing virtual addresses {}", name, why);
  for (const auto& spec : found) {
    auto r = ops.del_address(spec);
    if (!r && r.error().code != EADDRNOTAVAIL)
      spdlog::error("({}) cannot remove {}: {}", name, spec.prefix.to_string(), r.error().message);
  }
  if (routes && (!routes->routes.empty() || !routes->rules.empty()))
    apply_virtual_routes(ops, *routes, vif, ifindex_of, false);
}

IfindexOf leftover_ifindex_by_name(netlink::AddressOps& ops) {
  return [&ops](const std::string& name) -> std::optional<int> {
    auto link = ops.link_by_name(name);
    if (!link) return std::nullopt;
    return link->ifindex;
  };
}

}  // namespace

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
  for (const auto& ic : config.vrrp_instances) {
    if (scope.keep_address_owners && ic.priority == kPriorityOwner) continue;
    const int vif = scope.vip_ifindex(ic);
    std::vector<netlink::AddressSpec> found;
    auto collect = [&](const std::vector<conf::VirtualAddress>& vips) {
      for (const auto& v : vips) {
        const int ifindex = scope.address_ifindex ? scope.address_ifindex(ic, v)
                            : v.dev               ? scope.ifindex_of(*v.dev).value_or(0)
                                                  : vif;
        if (ifindex != 0 && leftover_held(*present, ifindex, v.address.address))
          found.push_back(address_spec_from(v, ifindex));
      }
    };
    collect(ic.vips);
    collect(ic.excluded_vips);
    if (found.empty()) continue;
    remove_instance_leftovers(ops, ic.name, found, &ic, vif, scope.ifindex_of, why);
    cleaned.push_back(ic.name);
  }
  return cleaned;
}

std::vector<LeftoverInstance> describe_leftovers(const conf::Config& config) {
  // use_vmac_addr / per-address use_vmac: the VMAC names the worker gave, as it planned them.
  const auto plans = plan_all_address_vmacs(config);
  std::vector<LeftoverInstance> out;
  out.reserve(config.vrrp_instances.size());
  for (const auto& ic : config.vrrp_instances) {
    LeftoverInstance li;
    li.name = ic.name;
    li.address_owner = ic.priority == kPriorityOwner;
    const std::string interface = effective_interface(config, ic);
    li.vip_link = ic.vmac ? vmac_name(ic) : interface;
    const auto plan = plans.find(ic.name);
    auto describe = [&](const std::vector<conf::VirtualAddress>& vips) {
      for (const auto& v : vips) {
        std::string address_vmac;
        if (plan != plans.end()) {
          if (auto key = address_vmac_key(ic, interface, v)) {
            for (const auto& p : plan->second)
              if (p.key == *key && !p.name.empty()) {
                address_vmac = p.name;
                break;
              }
          }
        }
        li.addresses.push_back(
            {std::move(address_vmac), v.dev ? *v.dev : li.vip_link, address_spec_from(v, 0)});
      }
    };
    describe(ic.vips);
    describe(ic.excluded_vips);
    if (!ic.routes.empty() || !ic.rules.empty()) {
      auto routes = std::make_shared<conf::VrrpInstance>();
      routes->name = ic.name;
      routes->routes = ic.routes;
      routes->rules = ic.rules;
      li.routes = std::move(routes);
    }
    li.addresses.shrink_to_fit();
    out.push_back(std::move(li));
  }
  return out;
}

std::vector<std::string> remove_leftover_addresses(netlink::AddressOps& ops,
                                                   const std::vector<LeftoverInstance>& instances,
                                                   std::string_view why, bool keep_address_owners) {
  std::vector<std::string> cleaned;
  auto present = ops.list_addresses(0, std::nullopt);
  if (!present) {
    spdlog::error("cannot list addresses to remove VIPs {}: {}", why, present.error().message);
    return cleaned;
  }
  const IfindexOf ifindex_of = leftover_ifindex_by_name(ops);
  for (const auto& li : instances) {
    if (keep_address_owners && li.address_owner) continue;
    std::vector<netlink::AddressSpec> found;
    for (const auto& a : li.addresses) {
      std::optional<int> vmac;
      if (!a.address_vmac.empty()) vmac = ifindex_of(a.address_vmac);
      const int ifindex = vmac ? *vmac : ifindex_of(a.link).value_or(0);
      if (ifindex == 0 || !leftover_held(*present, ifindex, a.spec.prefix.address)) continue;
      found.push_back(a.spec);
      found.back().ifindex = ifindex;
    }
    if (found.empty()) continue;
    const int vif = li.routes ? ifindex_of(li.vip_link).value_or(0) : 0;
    remove_instance_leftovers(ops, li.name, found, li.routes.get(), vif, ifindex_of, why);
    cleaned.push_back(li.name);
  }
  return cleaned;
}

}  // namespace vigil::vrrp
