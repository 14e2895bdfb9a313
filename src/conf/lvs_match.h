// Which virtual and real servers of a new LVS configuration are the same objects as in the
// running one, for a reload that keeps their checkers, health and pool state. A virtual server
// is the same service when its identity (kind, address, port, fwmark or group, protocol) is; a
// real server is the same when its address and port are, within the same virtual server.
// Settings may differ: the caller compares them to decide what to rebuild.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "conf/model_lvs.h"

namespace vigil::conf {

struct LvsMatch {
  // Per new virtual server: its index in the old configuration, if it was there.
  std::vector<std::optional<size_t>> vs_from;
  // Per new virtual server, per real server: its index in the matched old virtual server's
  // real_servers (always nullopt when the virtual server itself is new).
  std::vector<std::vector<std::optional<size_t>>> rs_from;
};

LvsMatch match_lvs(const LvsConfig& old_lvs, const LvsConfig& new_lvs);

// Everything a health checker is built from (the checker block, its inherited timing, the
// target's address/port defaults, the virtualhost chain, the configured weight a dynamic
// MISC_CHECK starts from) is the same: the running checker can be kept.
bool same_checker_inputs(const VirtualServer& old_vs, const RealServer& old_rs,
                         const HealthChecker& old_hc, const VirtualServer& new_vs,
                         const RealServer& new_rs, const HealthChecker& new_hc);

}  // namespace vigil::conf
