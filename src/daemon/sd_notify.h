// systemd service notifications (Type=notify). All calls are no-ops when not started by
// systemd (no NOTIFY_SOCKET), so they can be made unconditionally.
#pragma once

#include <optional>
#include <string_view>

#include "base/time.h"

namespace vigil::daemon {

void notify_ready();
void notify_stopping();
void notify_reloading();  // follow with notify_ready() once the reload is done
void notify_status(std::string_view status);
// The watchdog interval systemd expects pings at (WatchdogSec=), if enabled.
std::optional<Micros> watchdog_interval();
void notify_watchdog();

}  // namespace vigil::daemon
