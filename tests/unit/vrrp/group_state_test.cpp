#include "vrrp/group_state.h"

#include <gtest/gtest.h>

#include <vector>

namespace vigil::vrrp {
namespace {

std::optional<State> change(std::vector<State> members, State current) {
  return group_state_change(members, current);
}

TEST(GroupState, MasterOnlyOnceEveryMemberIsMaster) {
  EXPECT_EQ(change({State::Master, State::Backup}, State::Backup), std::nullopt);
  EXPECT_EQ(change({State::Master, State::Master}, State::Backup), State::Master);
  EXPECT_EQ(change({State::Master, State::Master}, State::Master), std::nullopt);
}

TEST(GroupState, BackupFromInitialize) {
  EXPECT_EQ(change({State::Initialize, State::Backup}, State::Initialize), std::nullopt);
  EXPECT_EQ(change({State::Backup, State::Backup}, State::Initialize), State::Backup);
}

TEST(GroupState, OneMemberInFaultMakesTheGroupFault) {
  EXPECT_EQ(change({State::Master, State::Fault}, State::Master), State::Fault);
  EXPECT_EQ(change({State::Fault, State::Fault}, State::Fault), std::nullopt);
  // Leaving Fault: only when every member agrees again.
  EXPECT_EQ(change({State::Backup, State::Master}, State::Fault), std::nullopt);
  EXPECT_EQ(change({State::Backup, State::Backup}, State::Fault), State::Backup);
}

TEST(GroupState, StopIsNotAGroupState) {
  EXPECT_EQ(change({State::Stop, State::Stop}, State::Master), std::nullopt);
}

TEST(GroupState, EmptyGroupReportsNothing) {
  EXPECT_EQ(change({}, State::Initialize), std::nullopt);
}

}  // namespace
}  // namespace vigil::vrrp
