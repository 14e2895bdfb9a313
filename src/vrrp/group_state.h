// The state of a vrrp_sync_group as its notify scripts and FIFO lines report it: Fault as soon
// as one member is in Fault; Master or Backup once every member is there (keepalived reports
// STOP for instances only). Between those (members still moving) the group keeps the state it
// had.
#pragma once

#include <optional>
#include <span>

#include "vrrp/fsm_types.h"

namespace vigil::vrrp {

// The group's new state when it changed from `current` (nullopt: no change to report).
std::optional<State> group_state_change(std::span<const State> members, State current);

}  // namespace vigil::vrrp
