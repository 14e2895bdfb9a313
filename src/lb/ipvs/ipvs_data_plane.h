// The IPVS back end: services and destinations over generic netlink, diff-based. Cannot run
// end to end on kernels without CONFIG_IP_VS (like the CI machines): create() then fails
// with a clear error.
#pragma once

#include <memory>
#include <optional>

#include "lb/data_plane.h"
#include "lb/ipvs/genl_socket.h"

namespace vigil::lb::ipvs {

class IpvsDataPlane : public DataPlane {
 public:
  // Error when the kernel has no IPVS (the "IPVS" generic netlink family does not resolve).
  static Result<std::unique_ptr<IpvsDataPlane>> create();

  Result<void> apply(const DesiredState& state) override;
  void remove_all() override;
  std::string name() const override { return "ipvs"; }

 private:
  IpvsDataPlane(GenlSocket sock, uint16_t family) : sock_(std::move(sock)), family_(family) {}
  GenlSocket sock_;
  uint16_t family_;
  std::optional<DesiredState> applied_;
};

// True when the running kernel has IPVS (its generic netlink family resolves).
bool kernel_has_ipvs();

}  // namespace vigil::lb::ipvs
