#include "control/service_status.h"

#include <fmt/format.h>

namespace vigil::control {

std::string service_status_line(const vrrp::RouterStatus& status) {
  size_t master = 0, backup = 0, fault = 0, other = 0;
  for (const auto& st : status.instances) {
    switch (st.state) {
      case vrrp::State::Master:
        ++master;
        break;
      case vrrp::State::Backup:
        ++backup;
        break;
      case vrrp::State::Fault:
        ++fault;
        break;
      default:
        ++other;
        break;
    }
  }
  const size_t n = status.instances.size();
  std::string line =
      fmt::format("{} instance{}: {} master, {} backup", n, n == 1 ? "" : "s", master, backup);
  if (fault) line += fmt::format(", {} fault", fault);
  if (other) line += fmt::format(", {} starting or stopped", other);
  return line;
}

}  // namespace vigil::control
