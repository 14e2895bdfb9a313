#include "control/relay_client.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>

#include <fmt/format.h>

#include "base/unix_address.h"
#include "control/protocol.h"
#include "loop/fd_watch.h"
#include "loop/loop.h"
#include "loop/timer.h"

namespace vigil::control {

namespace {

// Kept alive by its own watch's callback until finish() hands the watch, the timer and the fd
// to a cleanup task on the loop (a watch must not be destroyed inside its own callback).
struct Pending : std::enable_shared_from_this<Pending> {
  explicit Pending(loop::Loop& l) : loop(l) {}
  loop::Loop& loop;
  int fd = -1;
  std::string buffer;
  RelayDone done;
  std::unique_ptr<loop::FdWatch> watch;
  std::unique_ptr<loop::Timer> timer;

  void finish(std::optional<nlohmann::json> reply, std::string error) {
    if (!done) return;
    RelayDone d = std::move(done);
    done = nullptr;
    // The watch's callback owns this Pending, so the watch must not stay owned by it: move
    // watch, timer and fd into the cleanup task. Run or dropped (a loop destroyed before its
    // next turn drops it), the task frees all three, and with the watch this Pending.
    std::shared_ptr<loop::FdWatch> w = std::move(watch);
    std::shared_ptr<loop::Timer> t = std::move(timer);
    loop.post([w, t, fd = std::exchange(fd, -1)]() mutable {
      w.reset();
      t.reset();
      if (fd >= 0) ::close(fd);
    });
    d(std::move(reply), std::move(error));
  }

  void on_readable() {
    char chunk[8192];
    for (;;) {
      ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n > 0) {
        buffer.append(chunk, static_cast<size_t>(n));
        if (size_t nl = buffer.find('\n'); nl != std::string::npos) {
          auto reply = nlohmann::json::parse(buffer.substr(0, nl), nullptr, false);
          if (reply.is_discarded() || !reply.is_object())
            return finish(std::nullopt, "unreadable reply");
          return finish(std::move(reply), {});
        }
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      return finish(std::nullopt, "closed the connection without a reply");
    }
  }
};

}  // namespace

void relay_request(loop::Loop& loop, const std::string& socket_path, const nlohmann::json& request,
                   Millis timeout, RelayDone done) {
  auto p = std::make_shared<Pending>(loop);
  p->done = std::move(done);
  auto fail_later = [&](std::string error) {
    loop.post([p, error] { p->finish(std::nullopt, error); });
  };
  sockaddr_un addr{};
  socklen_t addr_len = 0;
  if (!unix_path_address(socket_path, addr, addr_len))
    return fail_later("socket path empty or too long");
  p->fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (p->fd < 0) return fail_later(std::string("socket: ") + std::strerror(errno));
  // A unix stream connect completes at once or fails (EAGAIN: the backlog is full).
  if (::connect(p->fd, reinterpret_cast<const sockaddr*>(&addr), addr_len) != 0) {
    const int err = errno;
    return fail_later(err == ENOENT || err == ECONNREFUSED ? std::string("not running")
                                                           : std::strerror(err));
  }
  // The request is small (bounded by kMaxRequestBytes) and the socket buffer is empty: one
  // non-blocking send takes it whole.
  const std::string line = reply_line(request);
  ssize_t n = ::send(p->fd, line.data(), line.size(), MSG_NOSIGNAL);
  if (n != static_cast<ssize_t>(line.size()))
    return fail_later(n < 0 ? std::string(std::strerror(errno)) : "short write");
  Pending* raw = p.get();
  p->watch = std::make_unique<loop::FdWatch>(loop, p->fd, [p] { p->on_readable(); });
  p->timer = std::make_unique<loop::Timer>(loop, [raw, timeout] {
    raw->finish(std::nullopt, fmt::format("no answer within {} ms", timeout.count()));
  });
  p->timer->arm_after(timeout);
}

}  // namespace vigil::control
