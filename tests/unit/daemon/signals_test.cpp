#include "daemon/signals.h"

#include <csignal>

#include <gtest/gtest.h>

namespace vigil::daemon {
namespace {

TEST(DaemonSignals, EverySigfuncMapsBackToItsAction) {
  struct Case {
    const char* name;
    SignalAction action;
  };
  for (Case c :
       {Case{"STOP", SignalAction::Stop}, Case{"RELOAD", SignalAction::Reload},
        Case{"DATA", SignalAction::DumpData}, Case{"STATS", SignalAction::DumpStats},
        Case{"STATS_CLEAR", SignalAction::ClearStats}, Case{"JSON", SignalAction::DumpJson}}) {
    auto signo = signum_for(c.name);
    ASSERT_TRUE(signo) << c.name;
    EXPECT_EQ(action_for_signal(*signo), c.action) << c.name;
  }
}

TEST(DaemonSignals, ClassicNumbers) {
  EXPECT_EQ(signum_for("STOP"), SIGTERM);
  EXPECT_EQ(signum_for("RELOAD"), SIGHUP);
  EXPECT_EQ(signum_for("DATA"), SIGUSR1);
  EXPECT_EQ(signum_for("STATS"), SIGUSR2);
  EXPECT_FALSE(signum_for("Stop"));
  EXPECT_EQ(action_for_signal(SIGINT), SignalAction::Stop);
  EXPECT_FALSE(action_for_signal(SIGWINCH));
}

TEST(DaemonSignals, DaemonHandlesAllOfThem) {
  auto sigs = daemon_signals();
  for (const char* name : {"STOP", "RELOAD", "DATA", "STATS", "STATS_CLEAR", "JSON"})
    EXPECT_NE(std::find(sigs.begin(), sigs.end(), *signum_for(name)), sigs.end()) << name;
  EXPECT_NE(std::find(sigs.begin(), sigs.end(), SIGINT), sigs.end());
}

}  // namespace
}  // namespace vigil::daemon
