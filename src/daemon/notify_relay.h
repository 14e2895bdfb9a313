// The supervisor's private sd_notify socket. Workers are started with NOTIFY_SOCKET naming
// it (an abstract unix datagram socket), so their READY=1 / STATUS= messages come to the
// parent, which alone talks to systemd (daemon/sd_notify.h): READY=1 tells it a worker is up,
// STATUS= lines are passed on. The sender's pid comes from the kernel (SO_PASSCRED), so a
// message is always attributed to the right worker.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>

namespace vigil::loop {
class Loop;
class FdWatch;
}  // namespace vigil::loop

namespace vigil::daemon {

class NotifyRelay {
 public:
  // One call per datagram: the sender's pid and the text ("READY=1\nSTATUS=...").
  using OnMessage = std::function<void(pid_t pid, const std::string& message)>;
  static std::unique_ptr<NotifyRelay> open(loop::Loop& loop, OnMessage on_message,
                                           std::string& error);
  ~NotifyRelay();
  NotifyRelay(const NotifyRelay&) = delete;
  NotifyRelay& operator=(const NotifyRelay&) = delete;

  // The NOTIFY_SOCKET value for the workers ("@vigild-notify-...").
  const std::string& socket_name() const { return name_; }

 private:
  NotifyRelay(int fd, std::string name, OnMessage on_message);
  void on_readable();

  int fd_ = -1;
  std::string name_;
  OnMessage on_message_;
  std::unique_ptr<loop::FdWatch> watch_;
};

}  // namespace vigil::daemon
