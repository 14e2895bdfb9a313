// The fast path of an nftables apply: a service whose only change is in its destinations'
// weights or presence (a real server dies, comes back, or changes weight) needs no rendering
// and no libnftables run. Its pick-map element changes come straight from its slot map
// (slot_map.h) and go as one raw netlink batch. A destination that leaves keeps its chain
// (nothing reaches it any more), so one that comes back needs only its elements again; the
// next full render of the service drops chains that no destination needs.
#pragma once

#include <optional>

#include "lb/desired_state.h"
#include "lb/nft/nft_model.h"
#include "lb/nft/slot_map.h"

namespace vigil::lb::nft {

struct WeightUpdate {
  PickUpdate pick;  // the service's element changes (may be empty)
  SlotMap slots;    // the service's slot map afterwards
};

// `fragment` and `slots` are what the kernel holds for `before`. nullopt when `after` differs
// in anything but weights and presence of destinations, uses persistence (its service chain
// names each destination), or a joining destination has no identical chain in `fragment`: the
// service is then re-rendered.
std::optional<WeightUpdate> weight_update(const Service& before, const Service& after,
                                          const Model& fragment, const SlotMap& slots,
                                          const DeviceResolver& device_of);

// `fragment`'s pick map with `update` applied (the model stays what the kernel holds).
void apply_pick_update(Model& fragment, const PickUpdate& update);

}  // namespace vigil::lb::nft
