#include "control/client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "base/unix_address.h"
#include "control/protocol.h"

namespace vigil::control {

namespace {

ClientResult fail(ClientResult::Error e, std::string message) {
  ClientResult r;
  r.error = e;
  r.message = std::move(message);
  return r;
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

ClientResult send_request(const std::string& socket_path, const nlohmann::json& request,
                          int timeout_ms) {
  using Error = ClientResult::Error;
  sockaddr_un addr{};
  socklen_t addr_len = 0;
  if (!unix_path_address(socket_path, addr, addr_len))
    return fail(Error::Io, "control socket path '" + socket_path + "' is empty or too long");
  Fd s{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (s.fd < 0) return fail(Error::Io, std::string("socket: ") + std::strerror(errno));
  if (::connect(s.fd, reinterpret_cast<const sockaddr*>(&addr), addr_len) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ECONNREFUSED)
      return fail(Error::NotRunning,
                  "vigild is not running (nothing answers on " + socket_path + ")");
    if (err == EACCES || err == EPERM)
      return fail(Error::PermissionDenied,
                  "permission denied on " + socket_path +
                      " (run as root or as a member of the socket's group)");
    return fail(Error::Io, "cannot connect to " + socket_path + ": " + std::strerror(err));
  }
  const std::string line = reply_line(request);
  size_t off = 0;
  while (off < line.size()) {
    ssize_t n = ::send(s.fd, line.data() + off, line.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(Error::Io, std::string("send: ") + std::strerror(errno));
    off += static_cast<size_t>(n);
  }
  std::string buffer;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto nl = buffer.find('\n');
    if (nl != std::string::npos) {
      buffer.resize(nl);
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) return fail(Error::Io, "no reply from vigild within the timeout");
    pollfd p{s.fd, POLLIN, 0};
    int pr = ::poll(&p, 1, static_cast<int>(left));
    if (pr < 0 && errno == EINTR) continue;
    if (pr <= 0) continue;
    char chunk[65536];
    ssize_t n = ::recv(s.fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(Error::Io, std::string("recv: ") + std::strerror(errno));
    if (n == 0) {
      if (buffer.empty()) return fail(Error::Io, "vigild closed the connection without a reply");
      break;
    }
    buffer.append(chunk, static_cast<size_t>(n));
  }
  ClientResult r;
  r.reply = nlohmann::json::parse(buffer, nullptr, false);
  if (r.reply.is_discarded() || !r.reply.is_object())
    return fail(Error::BadReply, "vigild sent a reply that is not a JSON object");
  if (r.reply.value("ok", false) == false && r.reply.value("error", "") == "permission denied")
    return fail(Error::PermissionDenied, "vigild refused the connection: permission denied");
  return r;
}

}  // namespace vigil::control
