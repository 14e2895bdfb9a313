#include "daemon/lb_probe.h"

#include "lb/ipvs/ipvs_data_plane.h"

namespace vigil::daemon {

bool lvs_backend_available(const Options& options, std::string& error) {
  if (options.vrrp_only || options.lb != LbBackend::Ipvs) return true;
  auto plane = lb::ipvs::IpvsDataPlane::create();
  if (plane) return true;
  error = plane.error().message;
  return false;
}

}  // namespace vigil::daemon
