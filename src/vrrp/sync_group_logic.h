// vrrp_sync_group: member instances move together (keepalived semantics). Pure decision
// logic: given every member's state and own fault after one member changed state, which
// members must be pushed, and how. The instance layer feeds the orders to the members'
// state machines (to_event) and calls this again for each transition that produces; the
// orders converge because members already in the target state get none.
//
//   - any member faulty on its own (interface down, weight-0 item failed) puts the whole
//     group into FAULT;
//   - when no member is faulty any more, members held in FAULT by the group leave it
//     (they come up as Backup and the election proceeds);
//   - a member becoming Master pulls the group's Backups to Master;
//   - a member becoming Backup pushes the group's Masters to Backup.
// Members in Initialize or Stop are never pushed.
//
// Fault bookkeeping for the caller: a member's state machine must see FaultOff only when the
// member's own fault has cleared AND the group is no longer faulty (the LeaveFault order says
// so). Call sync_group_follow after every member transition and after every change of a
// member's own fault.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "vrrp/fsm_types.h"

namespace vigil::vrrp {

struct SyncMember {
  State state = State::Initialize;
  // Faulty for reasons of its own (not merely held in FAULT by the group).
  bool own_fault = false;
};

enum class SyncCommand : uint8_t { GoMaster, GoBackup, EnterFault, LeaveFault };

struct SyncOrder {
  size_t member = 0;
  SyncCommand command = SyncCommand::GoBackup;
  bool operator==(const SyncOrder&) const = default;
};

// Whether the group as a whole is in fault (some member is faulty on its own).
bool sync_group_fault(std::span<const SyncMember> members);

// `members` holds the states after member `changed` has transitioned. Out-of-range `changed`
// yields only the fault rules.
std::vector<SyncOrder> sync_group_follow(std::span<const SyncMember> members, size_t changed);

// The state machine event that carries out an order.
Event to_event(SyncCommand command);

}  // namespace vigil::vrrp
