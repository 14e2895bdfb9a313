// The control socket: a unix stream socket served on the Loop. Each connection sends request
// lines and gets one reply line per request (control/protocol.h). The socket is created with
// mode 0660; peers are accepted only when SO_PEERCRED says root, the daemon's own user, or the
// socket file's group. Nothing here blocks the loop for long: reads are non-blocking, a reply
// that the peer does not take within a short bound drops the connection.
//
// Two ways to answer: a CommandRegistry (each line answered at once), or an AsyncDispatch
// whose reply comes later from another loop callback (the supervisor's relay to its workers,
// daemon/control_relay.h). A connection's requests are answered in order: the next line of a
// connection is dispatched only once the previous one was answered.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "control/commands.h"

namespace vigil::loop {
class Loop;
class FdWatch;
}  // namespace vigil::loop

namespace vigil::control {

inline constexpr const char* kDefaultControlSocket = "/run/vigil/vigild.ctl";

struct ControlServerOptions {
  std::string path = kDefaultControlSocket;
  std::optional<gid_t> group;  // chown the socket to this group (default: the daemon's)
  size_t max_connections = 16;
  mode_t mode = 0660;  // 0600 for the workers' private sockets
};

// Answers one request line: calls `reply` exactly once, now or from a later loop callback.
using ReplyFn = std::function<void(nlohmann::json)>;
using AsyncDispatch = std::function<void(const std::string& line, ReplyFn reply)>;

class ControlServer {
 public:
  // Binds and listens; on failure returns null and sets `error`. A stale socket file left by
  // a dead daemon is replaced; a live one (something answers connect()) is an error.
  static std::unique_ptr<ControlServer> open(loop::Loop& loop, const CommandRegistry& registry,
                                             ControlServerOptions options, std::string& error);
  // The same, answering through `dispatch`.
  static std::unique_ptr<ControlServer> open_async(loop::Loop& loop, AsyncDispatch dispatch,
                                                   ControlServerOptions options,
                                                   std::string& error);
  ~ControlServer();  // closes every connection and removes the socket file
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  const std::string& path() const { return options_.path; }

 private:
  struct Connection;
  ControlServer(loop::Loop& loop, AsyncDispatch dispatch, ControlServerOptions options, int fd,
                gid_t socket_gid);
  static int bind_socket(ControlServerOptions& options, gid_t& socket_gid, std::string& error);
  void on_accept();
  void on_readable(int fd);
  void dispatch_pending(int fd);
  void answer(int fd, uint64_t serial, const nlohmann::json& reply);
  void close_later(int fd);
  bool peer_allowed(int fd) const;

  loop::Loop& loop_;
  AsyncDispatch dispatch_;
  ControlServerOptions options_;
  uint64_t next_serial_ = 1;
  // Replies that arrive after the server is gone find this expired.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  int fd_ = -1;
  gid_t socket_gid_ = 0;
  std::unique_ptr<loop::FdWatch> watch_;
  std::map<int, std::unique_ptr<Connection>> connections_;
};

}  // namespace vigil::control
