// The nftables back end: renders the DesiredState (nft_model.h) and applies the difference to
// the last applied state through libnftables, in vigil's own tables only.
#pragma once

#include <memory>
#include <optional>

#include "lb/data_plane.h"
#include "lb/nft/libnft.h"
#include "lb/nft/nft_model.h"

namespace vigil::lb::nft {

class NftDataPlane : public DataPlane {
 public:
  // `device_of` finds the interface towards a DR destination; default: the kernel's route.
  explicit NftDataPlane(DeviceResolver device_of = {});

  Result<void> apply(const DesiredState& state) override;
  void remove_all() override;
  std::string name() const override { return "nftables"; }

  // The batch of the last apply (inspection in tests and debug logs).
  const Batch& last_batch() const { return last_batch_; }
  NftContext& context() { return ctx_; }

 private:
  DeviceResolver device_of_;
  NftContext ctx_;
  std::optional<Model> applied_;  // what the kernel holds; nullopt: unknown, rebuild
  Batch last_batch_;
};

}  // namespace vigil::lb::nft
