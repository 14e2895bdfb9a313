// The kernel side of track_process: a process renamed and killed is seen through process
// events (or the /proc rescan where the connector is missing), with bounded waits only.
#include "vrrp/process_tracker.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../testing/netns.h"

namespace vigil::vrrp {
namespace {

TEST(ProcessTracker, ReadsOwnProcessInfo) {
  auto info = read_process_info(::getpid());
  ASSERT_TRUE(info);
  EXPECT_FALSE(info->name.empty());
  ASSERT_FALSE(info->cmdline.empty());
  EXPECT_FALSE(read_process_info(-1));
}

TEST(ProcessTracker, FollowsAProcessAppearingAndExiting) {
  VIGIL_REQUIRE_ROOT();  // the process events connector needs CAP_NET_ADMIN
  const std::string name = "vglut" + std::to_string(::getpid() % 100000);
  conf::Config config;
  conf::VrrpTrackProcess tp;
  tp.name = "app";
  tp.process = {name};
  config.track_processes.push_back(tp);

  loop::Loop loop;
  std::optional<bool> wanted;
  ProcessTracker tracker(loop, config, [&] {
    if (wanted && tracker.up("app") == *wanted) loop.stop();
  });
  tracker.start();
  ASSERT_EQ(tracker.up("app"), false);

  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::prctl(PR_SET_NAME, name.c_str());  // a PROC_EVENT_COMM for the tracker
    ::pause();
    ::_exit(0);
  }
  wanted = true;
  const bool seen_up = tracker.up("app") == true || loop.run_for(Millis(10'000));
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  ASSERT_TRUE(seen_up) << "the renamed process was not noticed";
  EXPECT_EQ(tracker.up("app"), true);

  wanted = false;
  const bool seen_down = tracker.up("app") == false || loop.run_for(Millis(10'000));
  ASSERT_TRUE(seen_down) << "the exit was not noticed";
  EXPECT_EQ(tracker.up("app"), false);
  tracker.stop();
}

}  // namespace
}  // namespace vigil::vrrp
