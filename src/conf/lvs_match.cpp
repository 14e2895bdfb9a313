#include "conf/lvs_match.h"

#include <map>
#include <tuple>

namespace vigil::conf {
namespace {

using VsIdentity = std::tuple<VirtualServerKind, IpAddress, std::optional<uint16_t>, uint32_t,
                              std::string, LvsProtocol>;

VsIdentity vs_identity(const VirtualServer& vs) {
  return {vs.kind, vs.address, vs.port, vs.fwmark, vs.group, effective_protocol(vs)};
}

using RsIdentity = std::pair<IpAddress, std::optional<uint16_t>>;

}  // namespace

LvsMatch match_lvs(const LvsConfig& old_lvs, const LvsConfig& new_lvs) {
  // Validation rejects duplicates; should two entries share an identity anyway, each old one
  // is matched at most once (the first unused).
  std::multimap<VsIdentity, size_t> old_vs;
  for (size_t i = 0; i < old_lvs.virtual_servers.size(); ++i)
    old_vs.emplace(vs_identity(old_lvs.virtual_servers[i]), i);
  LvsMatch m;
  const auto& nvs = new_lvs.virtual_servers;
  m.vs_from.resize(nvs.size());
  m.rs_from.resize(nvs.size());
  for (size_t v = 0; v < nvs.size(); ++v) {
    m.rs_from[v].resize(nvs[v].real_servers.size());
    auto it = old_vs.find(vs_identity(nvs[v]));
    if (it == old_vs.end()) continue;
    const size_t ov = it->second;
    old_vs.erase(it);
    m.vs_from[v] = ov;
    std::multimap<RsIdentity, size_t> old_rs;
    const auto& ors = old_lvs.virtual_servers[ov].real_servers;
    for (size_t r = 0; r < ors.size(); ++r)
      old_rs.emplace(RsIdentity{ors[r].address, ors[r].port}, r);
    const auto& nrs = nvs[v].real_servers;
    for (size_t r = 0; r < nrs.size(); ++r) {
      auto rit = old_rs.find(RsIdentity{nrs[r].address, nrs[r].port});
      if (rit == old_rs.end()) continue;
      m.rs_from[v][r] = rit->second;
      old_rs.erase(rit);
    }
  }
  return m;
}

bool same_checker_inputs(const VirtualServer& old_vs, const RealServer& old_rs,
                         const HealthChecker& old_hc, const VirtualServer& new_vs,
                         const RealServer& new_rs, const HealthChecker& new_hc) {
  if (!(old_hc == new_hc)) return false;
  if (resolve_checker_timing(old_vs, old_rs, old_hc) !=
      resolve_checker_timing(new_vs, new_rs, new_hc))
    return false;
  // check::make_checkers reads these beyond the checker block itself.
  return old_rs.address == new_rs.address && old_rs.port == new_rs.port &&
         old_vs.port == new_vs.port && old_rs.virtualhost == new_rs.virtualhost &&
         old_vs.virtualhost == new_vs.virtualhost &&
         // A dynamic MISC_CHECK starts from the configured weight; other checkers ignore it.
         (new_hc.kind != CheckerKind::Misc || old_rs.weight == new_rs.weight);
}

}  // namespace vigil::conf
