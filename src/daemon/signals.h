// The daemon's signals, keepalived-compatible: what each one asks for, and the numbers
// `--signum=SIGFUNC` prints (STOP=SIGTERM, RELOAD=SIGHUP, DATA=SIGUSR1, STATS=SIGUSR2,
// JSON=SIGRTMIN+2, STATS_CLEAR=SIGRTMAX-1, as keepalived 2.2.7 reports on this platform).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace vigil::daemon {

enum class SignalAction { Stop, Reload, DumpData, DumpStats, ClearStats, DumpJson };

// SIGFUNC names are upper case, as keepalived accepts them.
std::optional<int> signum_for(std::string_view sigfunc);
std::optional<SignalAction> action_for_signal(int signo);
// Every signal the daemon handles (SIGINT stops too, as for keepalived in the foreground).
std::vector<int> daemon_signals();

}  // namespace vigil::daemon
