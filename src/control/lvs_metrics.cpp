// The LVS part of /metrics (render_lvs_metrics in control/metrics.h): virtual servers, real
// servers and their checkers, from the checker worker's LvsStatus.
#include <fmt/format.h>

#include "check/latency_histogram.h"
#include "control/exposition.h"
#include "control/metrics.h"

namespace vigil::control {

namespace {

std::string vs_labels(const VirtualServerStatus& vs) {
  return fmt::format("virtual_server=\"{}\"", escape_label(vs.name));
}

std::string rs_labels(const VirtualServerStatus& vs, const RealServerStatus& rs) {
  return fmt::format("{},real_server=\"{}\"", vs_labels(vs), escape_label(rs.name));
}

// `index` tells apart two checkers of the same kind on one real server.
std::string checker_labels(const VirtualServerStatus& vs, const RealServerStatus& rs,
                           const check::CheckerStatus& c, size_t index) {
  return fmt::format("{},checker=\"{}\",index=\"{}\"", rs_labels(vs, rs), escape_label(c.kind),
                     index);
}

}  // namespace

std::string render_lvs_metrics(const LvsStatus& status) {
  Exposition w;
  auto per_vs = [&](std::string_view name, std::string_view type, std::string_view help,
                    auto value_of) {
    w.family(name, type, help);
    for (const auto& vs : status) w.sample(name, vs_labels(vs), static_cast<double>(value_of(vs)));
  };
  auto per_rs = [&](std::string_view name, std::string_view help, auto value_of) {
    w.family(name, "gauge", help);
    for (const auto& vs : status)
      for (const auto& rs : vs.real_servers)
        w.sample(name, rs_labels(vs, rs), static_cast<double>(value_of(rs)));
  };
  auto per_checker = [&](std::string_view name, std::string_view type, std::string_view help,
                         auto value_of) {
    w.family(name, type, help);
    for (const auto& vs : status)
      for (const auto& rs : vs.real_servers)
        for (size_t i = 0; i < rs.checkers.size(); ++i)
          w.sample(name, checker_labels(vs, rs, rs.checkers[i], i),
                   static_cast<double>(value_of(rs.checkers[i])));
  };
  using VS = VirtualServerStatus;
  using RS = RealServerStatus;
  using CS = check::CheckerStatus;
  per_vs("vigil_virtual_server_quorum_up", "gauge", "1 while the virtual server has its quorum",
         [](const VS& v) { return v.quorum_up ? 1 : 0; });
  per_vs("vigil_virtual_server_live_weight", "gauge",
         "Sum of the weights of the virtual server's live real servers",
         [](const VS& v) { return v.live_weight; });
  per_rs("vigil_real_server_up", "1 while the real server's checkers say it is up",
         [](const RS& r) { return r.up ? 1 : 0; });
  per_rs("vigil_real_server_weight", "Weight of the real server (configured or dynamic)",
         [](const RS& r) { return r.weight; });
  per_rs("vigil_real_server_drained", "1 while an operator drained the real server",
         [](const RS& r) { return r.drained ? 1 : 0; });
  per_checker("vigil_checker_up", "gauge", "1 while the checker reports its real server up",
              [](const CS& c) { return c.up ? 1 : 0; });
  per_checker("vigil_checker_checks_total", "counter", "Checks completed",
              [](const CS& c) { return c.runs; });
  per_checker("vigil_checker_failures_total", "counter", "Checks that failed",
              [](const CS& c) { return c.failures; });
  const std::string_view hist = "vigil_checker_duration_seconds";
  w.family(hist, "histogram", "How long checks took, failed and timed-out ones included");
  for (const auto& vs : status)
    for (const auto& rs : vs.real_servers)
      for (size_t i = 0; i < rs.checkers.size(); ++i) {
        const auto& h = rs.checkers[i].latency;
        w.histogram(
            hist, checker_labels(vs, rs, rs.checkers[i], i), check::LatencyHistogram::kBounds,
            [&h](size_t b) { return h.cumulative(b); }, h.count(), h.sum_seconds());
      }
  return w.take();
}

}  // namespace vigil::control
