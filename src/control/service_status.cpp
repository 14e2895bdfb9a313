#include "control/service_status.h"

#include <fmt/format.h>

namespace vigil::control {

std::string service_status_line(const vrrp::RouterStatus& status) {
  std::vector<vrrp::State> states;
  states.reserve(status.instances.size());
  for (const auto& st : status.instances) states.push_back(st.state);
  return service_status_line(states);
}

std::string service_status_line(const std::vector<vrrp::State>& states) {
  size_t master = 0, backup = 0, fault = 0, other = 0;
  for (const vrrp::State state : states) {
    switch (state) {
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
  const size_t n = states.size();
  std::string line =
      fmt::format("{} instance{}: {} master, {} backup", n, n == 1 ? "" : "s", master, backup);
  if (fault) line += fmt::format(", {} fault", fault);
  if (other) line += fmt::format(", {} starting or stopped", other);
  return line;
}

}  // namespace vigil::control
