// systemd service notifications (Type=notify). All calls are no-ops when not started by
// systemd (no NOTIFY_SOCKET), so they can be made unconditionally.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "base/time.h"

namespace vigil::loop {
class Loop;
class Timer;
}  // namespace vigil::loop

namespace vigil::daemon {

void notify_ready();
void notify_stopping();
void notify_reloading();  // follow with notify_ready() once the reload is done
void notify_status(std::string_view status);
// The watchdog interval systemd expects pings at (WatchdogSec=), if enabled.
std::optional<Micros> watchdog_interval();
void notify_watchdog();
// With WatchdogSec= set: pings the watchdog at half the interval from a loop Timer, so a
// stuck loop stops the pings and systemd restarts the daemon. Null when not enabled.
std::unique_ptr<loop::Timer> start_watchdog(loop::Loop& loop);

}  // namespace vigil::daemon
