#include "vrrp/sync_group_logic.h"

#include <algorithm>

namespace vigil::vrrp {

bool sync_group_fault(std::span<const SyncMember> members) {
  return std::any_of(members.begin(), members.end(),
                     [](const SyncMember& m) { return m.own_fault; });
}

namespace {

bool pushable(State s) {
  return s == State::Backup || s == State::Master || s == State::Fault;
}

}  // namespace

std::vector<SyncOrder> sync_group_follow(std::span<const SyncMember> members, size_t changed) {
  std::vector<SyncOrder> orders;
  if (sync_group_fault(members)) {
    for (size_t i = 0; i < members.size(); ++i) {
      const State s = members[i].state;
      if (pushable(s) && s != State::Fault) orders.push_back({i, SyncCommand::EnterFault});
    }
    return orders;
  }
  // No member is faulty: release the ones the group was holding down.
  for (size_t i = 0; i < members.size(); ++i)
    if (members[i].state == State::Fault) orders.push_back({i, SyncCommand::LeaveFault});
  if (changed >= members.size()) return orders;

  const State leader = members[changed].state;
  if (leader != State::Master && leader != State::Backup) return orders;
  const State from = leader == State::Master ? State::Backup : State::Master;
  const SyncCommand cmd = leader == State::Master ? SyncCommand::GoMaster : SyncCommand::GoBackup;
  for (size_t i = 0; i < members.size(); ++i)
    if (i != changed && members[i].state == from) orders.push_back({i, cmd});
  return orders;
}

Event to_event(SyncCommand command) {
  switch (command) {
    case SyncCommand::GoMaster:
      return event::ForceMaster{};
    case SyncCommand::GoBackup:
      return event::ForceBackup{};
    case SyncCommand::EnterFault:
      return event::FaultOn{};
    case SyncCommand::LeaveFault:
      return event::FaultOff{};
  }
  return event::FaultOn{};
}

}  // namespace vigil::vrrp
