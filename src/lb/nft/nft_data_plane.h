// The nftables back end: keeps the rendering of each service (nft_model.h) and, on apply,
// re-renders only the services that differ from the last applied state; the difference runs
// through libnftables (objects, rules, dispatch elements) and a raw nf_tables netlink batch
// (pick-map elements, set_elements.h), in vigil's own tables only.
#pragma once

#include <map>
#include <memory>
#include <optional>

#include "lb/data_plane.h"
#include "lb/nft/libnft.h"
#include "lb/nft/nft_model.h"
#include "lb/nft/set_elements.h"
#include "lb/nft/slot_map.h"

namespace vigil::lb::nft {

class NftDataPlane : public DataPlane {
 public:
  // `device_of` finds the interface towards a DR destination; default: the kernel's route.
  explicit NftDataPlane(DeviceResolver device_of = {});

  Result<void> apply(const DesiredState& state) override;
  Result<void> apply_changed(const DesiredState& state,
                             const std::vector<ServiceKey>& changed) override;
  void remove_all() override;
  std::string name() const override { return "nftables"; }

  // The batch of the last apply (inspection in tests and debug logs); empty after a
  // successful rebuild (it held the whole ruleset as JSON).
  const Batch& last_batch() const { return last_batch_; }
  // How many services the last apply rendered (all on a rebuild, else the changed ones; none
  // when only weights and presence of destinations changed).
  size_t last_rendered() const { return last_rendered_; }
  NftContext& context() { return ctx_; }

 private:
  Result<void> rebuild(const DesiredState& state);
  Result<void> apply_with(const DesiredState& state, const std::vector<ServiceKey>* hint);
  // `hint`: the only services that may differ (nullptr: compare all).
  Result<void> update(const DesiredState& state, const std::vector<ServiceKey>* hint);
  // True when every changed service took the weight-update fast path (weight_update.h).
  Result<bool> update_weights(const std::map<ServiceKey, const Service*>& changed);
  Result<void> run(const Batch& batch);

  DeviceResolver device_of_;
  NftContext ctx_;
  std::optional<SetElementSocket> elements_;
  // What the kernel holds, per service: the service and its rendering. Unknown (rebuild on
  // the next apply) until both exist after a successful apply.
  bool known_ = false;
  std::map<ServiceKey, Service> services_;
  struct Fragment {
    Model model;    // render_service()
    Model shared;   // shared_part(model): what the skeleton needs, small
    SlotMap slots;  // the pick map's assignment (slot_map.h)
  };
  static Fragment fragment(Model model, SlotMap slots);
  std::map<ServiceKey, Fragment> fragments_;
  Batch last_batch_;
  size_t last_rendered_ = 0;
  size_t last_changed_ = 0;  // services that differed (all on a rebuild)
  int64_t rendered_at_ = 0;  // monotonic us when the batch was ready (timing log)
  bool ran_ = false;         // this apply ran a batch (rendered_at_ is its)
};

}  // namespace vigil::lb::nft
