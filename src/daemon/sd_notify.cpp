#include "daemon/sd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include <fmt/format.h>

#include "base/unix_address.h"
#include "loop/loop.h"
#include "loop/timer.h"

namespace vigil::daemon {

namespace {

uint64_t monotonic_usec() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

// sd_notify(3)'s protocol, written directly (vigil does not link libsystemd, see
// base/journal.h): one datagram to the unix socket NOTIFY_SOCKET names, a path or, with a
// leading '@', an abstract name. The kernel attaches the sender's credentials, by which
// systemd (and the supervisor's relay) know the sender. No-op without NOTIFY_SOCKET.
void sd_notify_send(std::string_view message) {
  const char* env = std::getenv("NOTIFY_SOCKET");
  if (!env || (env[0] != '/' && env[0] != '@')) return;
  sockaddr_un sa;
  socklen_t len = 0;
  if (!unix_address(env, sa, len)) return;
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  ::sendto(fd, message.data(), message.size(), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&sa), len);
  ::close(fd);
}

}  // namespace

void notify_ready() {
  sd_notify_send("READY=1");
}

void notify_stopping() {
  sd_notify_send("STOPPING=1");
}

void notify_reloading() {
  // systemd >= 253 (Type=notify-reload) wants the reload start time alongside.
  std::string msg = fmt::format("RELOADING=1\nMONOTONIC_USEC={}", monotonic_usec());
  sd_notify_send(msg);
}

void notify_status(std::string_view status) {
  std::string msg = fmt::format("STATUS={}", status);
  sd_notify_send(msg);
}

std::optional<Micros> watchdog_interval() {
  // As sd_watchdog_enabled(3): WATCHDOG_USEC, meant for this process when WATCHDOG_PID (if
  // set) is ours.
  const char* usec_text = std::getenv("WATCHDOG_USEC");
  if (!usec_text) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const unsigned long long usec = std::strtoull(usec_text, &end, 10);
  if (errno != 0 || end == usec_text || *end != '\0' || usec == 0) return std::nullopt;
  if (const char* pid_text = std::getenv("WATCHDOG_PID")) {
    end = nullptr;
    errno = 0;
    const long long pid = std::strtoll(pid_text, &end, 10);
    if (errno != 0 || end == pid_text || *end != '\0' || pid != ::getpid()) return std::nullopt;
  }
  return Micros(static_cast<int64_t>(usec));
}

void notify_watchdog() {
  sd_notify_send("WATCHDOG=1");
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
