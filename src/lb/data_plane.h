// The data-plane back-end interface: reconciles the kernel to a DesiredState. Implementations:
// nft/ (nftables through libnftables, works wherever nftables does) and ipvs/ (IPVS over
// generic netlink). Both touch only the objects vigil created, never other tables/services.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lb/desired_state.h"
#include "netlink/result.h"

namespace vigil::lb {

using netlink::Error;
using netlink::Result;

class DataPlane {
 public:
  virtual ~DataPlane() = default;
  // Makes the kernel match `state`, changing only what differs from the last applied state.
  // After a failure the next apply rebuilds vigil's objects from scratch.
  virtual Result<void> apply(const DesiredState& state) = 0;
  // The same when the caller knows that only the services with these keys (present in
  // `state` or not) may differ from the last state it applied: a back end may then look at
  // those alone. The default compares everything.
  virtual Result<void> apply_changed(const DesiredState& state,
                                     const std::vector<ServiceKey>& changed) {
    (void)changed;
    return apply(state);
  }
  // Removes every object vigil made (and nothing else).
  virtual void remove_all() = 0;
  virtual std::string name() const = 0;
};

enum class DataPlaneKind { Auto, Ipvs, Nft };

// "auto" | "ipvs" | "nft" (also "nftables"); nullopt otherwise.
std::optional<DataPlaneKind> parse_data_plane_kind(std::string_view text);

// Auto: IPVS when the kernel has it (the "IPVS" generic netlink family resolves), else
// nftables. Ipvs on a kernel without IPVS: an Error saying so.
Result<std::unique_ptr<DataPlane>> make_data_plane(DataPlaneKind kind);

}  // namespace vigil::lb
