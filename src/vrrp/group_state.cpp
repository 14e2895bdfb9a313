#include "vrrp/group_state.h"

#include <algorithm>

namespace vigil::vrrp {

std::optional<State> group_state_change(std::span<const State> members, State current) {
  if (members.empty()) return std::nullopt;
  State next = current;
  if (std::any_of(members.begin(), members.end(), [](State s) { return s == State::Fault; })) {
    next = State::Fault;
  } else {
    const State first = members.front();
    const bool all_same =
        std::all_of(members.begin(), members.end(), [&](State s) { return s == first; });
    // STOP is reported for instances only (keepalived).
    if (all_same && first != State::Initialize && first != State::Stop) next = first;
  }
  if (next == current) return std::nullopt;
  return next;
}

}  // namespace vigil::vrrp
