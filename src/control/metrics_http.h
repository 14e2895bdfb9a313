// The Prometheus /metrics endpoint (opt-in: global_defs `vigil_metrics_listen ADDR:PORT`).
// libmicrohttpd runs without threads of its own: its epoll fd is watched on the Loop and
// MHD_run() is called from there (and from a Timer for its timeouts), so the page is
// rendered on the loop thread, where reading the Router is safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/address.h"

namespace vigil::loop {
class Loop;
}

namespace vigil::control {

class MetricsServer {
 public:
  using Render = std::function<std::string()>;
  // port 0 picks a free port (see port()). Null and `error` set on failure.
  static std::unique_ptr<MetricsServer> open(loop::Loop& loop, const IpAddress& address,
                                             uint16_t port, Render render, std::string& error);
  // The page comes later: `render` gets a callback to call once with the text, from any later
  // loop callback. Meanwhile the HTTP connection waits suspended and the loop runs on (the
  // supervisor fetches the page from its VRRP worker this way).
  using AsyncRender = std::function<void(std::function<void(std::string)> done)>;
  static std::unique_ptr<MetricsServer> open_async(loop::Loop& loop, const IpAddress& address,
                                                   uint16_t port, AsyncRender render,
                                                   std::string& error);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  uint16_t port() const { return port_; }

 private:
  struct Impl;
  explicit MetricsServer(std::unique_ptr<Impl> impl, uint16_t port);
  static std::unique_ptr<MetricsServer> start(std::unique_ptr<Impl> impl, const IpAddress& address,
                                              uint16_t port, std::string& error);
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
};

}  // namespace vigil::control
