#include "daemon/signals.h"

#include <csignal>

namespace vigil::daemon {

namespace {

struct SigFunc {
  std::string_view name;
  SignalAction action;
};

constexpr SigFunc kSigFuncs[] = {
    {"STOP", SignalAction::Stop},
    {"RELOAD", SignalAction::Reload},
    {"DATA", SignalAction::DumpData},
    {"STATS", SignalAction::DumpStats},
    {"STATS_CLEAR", SignalAction::ClearStats},
    {"JSON", SignalAction::DumpJson},
};

int signal_of(SignalAction action) {
  switch (action) {
    case SignalAction::Stop:
      return SIGTERM;
    case SignalAction::Reload:
      return SIGHUP;
    case SignalAction::DumpData:
      return SIGUSR1;
    case SignalAction::DumpStats:
      return SIGUSR2;
    case SignalAction::ClearStats:
      return SIGRTMAX - 1;
    case SignalAction::DumpJson:
      return SIGRTMIN + 2;
  }
  return SIGTERM;
}

}  // namespace

std::optional<int> signum_for(std::string_view sigfunc) {
  for (const auto& f : kSigFuncs)
    if (f.name == sigfunc) return signal_of(f.action);
  return std::nullopt;
}

std::optional<SignalAction> action_for_signal(int signo) {
  if (signo == SIGINT) return SignalAction::Stop;
  for (const auto& f : kSigFuncs)
    if (signal_of(f.action) == signo) return f.action;
  return std::nullopt;
}

std::vector<int> daemon_signals() {
  std::vector<int> out{SIGINT};
  for (const auto& f : kSigFuncs) out.push_back(signal_of(f.action));
  return out;
}

}  // namespace vigil::daemon
