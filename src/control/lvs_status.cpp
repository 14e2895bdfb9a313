#include "control/lvs_status.h"

namespace vigil::control {

using nlohmann::json;

json lvs_status_to_json(const LvsStatus& status) {
  json out = json::array();
  for (const auto& vs : status) {
    json rss = json::array();
    for (const auto& rs : vs.real_servers) {
      json checkers = json::array();
      for (const auto& c : rs.checkers)
        checkers.push_back(
            {{"kind", c.kind},
             {"up", c.up},
             {"runs", c.runs},
             {"failures", c.failures},
             {"last_result", c.last_result},
             {"last_latency_s", c.last_latency
                                    ? json(static_cast<double>(c.last_latency->count()) / 1e6)
                                    : json(nullptr)}});
      rss.push_back({{"name", rs.name},
                     {"up", rs.up},
                     {"weight", rs.weight},
                     {"drained", rs.drained},
                     {"checkers", checkers}});
    }
    out.push_back({{"name", vs.name},
                   {"quorum_up", vs.quorum_up},
                   {"live_weight", vs.live_weight},
                   {"real_servers", rss}});
  }
  return out;
}

}  // namespace vigil::control
