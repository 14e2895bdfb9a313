// The shared base of every health checker. A Checker performs ONE check asynchronously on the
// Loop and reports a CheckResult; scheduling, retries, rise/fall and timeouts live in
// CheckerDriver (checker_driver.h), so each checker only knows its protocol.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/address.h"
#include "base/time.h"

namespace vigil::loop {
class Loop;
}

namespace vigil::check {

struct CheckResult {
  bool success = false;
  std::string message;  // what happened, for logs and status ("HTTP status code 503", ...)
  // Dynamic weight (MISC misc_dynamic / FILE dynamic); nullopt keeps the previous one.
  std::optional<int64_t> weight_delta;
};

using CheckDone = std::function<void(CheckResult)>;

// Where a network checker connects and how it originates its packets (keepalived's connection
// options after inheritance: connect_ip/port default to the real server's).
struct CheckTarget {
  IpAddress address;
  uint16_t port = 0;
  std::optional<IpAddress> bindto;
  std::optional<uint16_t> bind_port;
  std::optional<std::string> bind_if;
  std::optional<uint32_t> fwmark;
  Micros timeout{5'000'000};  // connect_timeout

  // "[198.51.100.2]:tcp:80" as keepalived writes services.
  std::string label(std::string_view proto = "tcp") const;
};

class Checker {
 public:
  virtual ~Checker() = default;
  // keepalived's keyword: "TCP_CHECK", "HTTP_GET", ...
  virtual std::string_view kind() const = 0;
  // What is checked, for log lines ("[198.51.100.2]:tcp:80", a script's command line ...).
  virtual std::string target() const = 0;
  // Starts one check; `done` runs exactly once, later, on the loop, unless cancel() comes first.
  virtual void start(CheckDone done) = 0;
  // Abandons the check in flight and releases its resources; `done` will not run.
  virtual void cancel() = 0;
  // How long one check may take before the driver gives up on it.
  virtual Micros timeout() const = 0;
  // The verdict when the timeout passes first (UDP without require_reply: silence is success).
  virtual CheckResult on_timeout() { return {false, "timeout", std::nullopt}; }

  // Set by the driver: lets a checker ask for a check now instead of at the next delay_loop
  // (FILE_CHECK when its file changes).
  void set_run_request(std::function<void()> f) { run_request_ = std::move(f); }

 protected:
  void request_run() const {
    if (run_request_) run_request_();
  }

 private:
  std::function<void()> run_request_;
};

}  // namespace vigil::check
