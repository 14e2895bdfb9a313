// A recording DataPlane for unit tests of code that drives a back end (the daemon's wiring).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "lb/data_plane.h"

namespace vigil::lb {

class FakeDataPlane : public DataPlane {
 public:
  Result<void> apply(const DesiredState& state) override {
    applied.push_back(state);
    if (fail_next) {
      fail_next = false;
      return Error{0, "fake apply failure"};
    }
    return {};
  }
  Result<void> apply_changed(const DesiredState& state,
                             const std::vector<ServiceKey>& changed) override {
    hinted.emplace_back(applied.size(), changed);
    return apply(state);
  }
  void remove_all() override { ++remove_all_calls; }
  std::string name() const override { return "fake"; }

  std::vector<DesiredState> applied;  // every state passed to apply(), in order
  // apply_changed(): the index in `applied` of its state, and the keys it named.
  std::vector<std::pair<size_t, std::vector<ServiceKey>>> hinted;
  int remove_all_calls = 0;
  bool fail_next = false;  // the next apply() returns an Error (after recording)
};

}  // namespace vigil::lb
