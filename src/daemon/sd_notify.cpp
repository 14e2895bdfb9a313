#include "daemon/sd_notify.h"

#include <systemd/sd-daemon.h>

#include <ctime>
#include <string>

#include <fmt/format.h>

#include "loop/loop.h"
#include "loop/timer.h"

namespace vigil::daemon {

namespace {

uint64_t monotonic_usec() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

}  // namespace

void notify_ready() {
  sd_notify(0, "READY=1");
}

void notify_stopping() {
  sd_notify(0, "STOPPING=1");
}

void notify_reloading() {
  // systemd >= 253 (Type=notify-reload) wants the reload start time alongside.
  std::string msg = fmt::format("RELOADING=1\nMONOTONIC_USEC={}", monotonic_usec());
  sd_notify(0, msg.c_str());
}

void notify_status(std::string_view status) {
  std::string msg = fmt::format("STATUS={}", status);
  sd_notify(0, msg.c_str());
}

std::optional<Micros> watchdog_interval() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0) return std::nullopt;
  return Micros(static_cast<int64_t>(usec));
}

void notify_watchdog() {
  sd_notify(0, "WATCHDOG=1");
}

std::unique_ptr<loop::Timer> start_watchdog(loop::Loop& loop) {
  auto interval = watchdog_interval();
  if (!interval || interval->count() <= 0) return nullptr;
  const Micros period = *interval / 2;
  // The callback re-arms its own timer; it never runs after the timer is destroyed.
  auto self = std::make_shared<loop::Timer*>(nullptr);
  auto timer = std::make_unique<loop::Timer>(loop, [self, period] {
    notify_watchdog();
    (*self)->arm_after(period);
  });
  *self = timer.get();
  notify_watchdog();
  timer->arm_after(period);
  return timer;
}

}  // namespace vigil::daemon
