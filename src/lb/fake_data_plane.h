// A recording DataPlane for unit tests of code that drives a back end (the daemon's wiring).
#pragma once

#include <string>
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
  void remove_all() override { ++remove_all_calls; }
  std::string name() const override { return "fake"; }

  std::vector<DesiredState> applied;  // every state passed to apply(), in order
  int remove_all_calls = 0;
  bool fail_next = false;  // the next apply() returns an Error (after recording)
};

}  // namespace vigil::lb
