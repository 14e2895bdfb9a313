#include "control/server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

#include "base/unix_address.h"
#include "loop/fd_watch.h"
#include "loop/loop.h"

namespace vigil::control {

namespace {

// How long one reply may take to be written before the peer is dropped: a client that stops
// reading must not stall the loop.
constexpr int kWriteBoundMs = 1000;

bool fill_address(const std::string& path, sockaddr_un& addr, socklen_t& len, std::string& error) {
  if (unix_path_address(path, addr, len)) return true;
  error = "control socket path '" + path + "' is empty or too long";
  return false;
}

std::string errno_text(const std::string& what, int err) {
  return what + ": " + std::strerror(err);
}

// A daemon already answers on `path`?
bool someone_listening(const sockaddr_un& addr, socklen_t len) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  bool live = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), len) == 0;
  ::close(fd);
  return live;
}

bool write_all(int fd, const std::string& data) {
  size_t off = 0;
  int waited_ms = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n > 0) {
      off += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && waited_ms < kWriteBoundMs) {
      pollfd p{fd, POLLOUT, 0};
      const int step = 50;
      ::poll(&p, 1, step);
      waited_ms += step;
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace

struct ControlServer::Connection {
  int fd = -1;
  uint64_t serial = 0;  // fds are reused: a late reply must not reach a newer connection
  std::string buffer;
  bool closing = false;
  bool busy = false;         // a request is being answered
  bool in_dispatch = false;  // inside dispatch_(): a reply now must not recurse
  bool eof = false;          // the peer closed its side: close once the pending reply is out
  std::unique_ptr<loop::FdWatch> watch;
  ~Connection() {
    watch.reset();
    if (fd >= 0) ::close(fd);
  }
};

int ControlServer::bind_socket(ControlServerOptions& options, gid_t& socket_gid,
                               std::string& error) {
  sockaddr_un addr{};
  socklen_t addr_len = 0;
  if (!fill_address(options.path, addr, addr_len, error)) return -1;
  // The default lives in /run/vigil: create that one directory level if needed.
  if (auto slash = options.path.find_last_of('/'); slash != std::string::npos && slash > 0) {
    const std::string dir = options.path.substr(0, slash);
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      error = errno_text("cannot create " + dir, errno);
      return -1;
    }
  }
  struct stat st {};
  if (::lstat(options.path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      error = options.path + " exists and is not a socket";
      return -1;
    }
    if (someone_listening(addr, addr_len)) {
      error = "another daemon already answers on " + options.path;
      return -1;
    }
    ::unlink(options.path.c_str());  // stale, from a daemon that died
  }
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = errno_text("socket", errno);
    return -1;
  }
  // bind() creates the file with the umask applied: make it no wider than the wanted mode
  // from the start, so no one else can connect in the window before chmod.
  const mode_t old_mask = ::umask(0777 & ~options.mode);
  const int rc = ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), addr_len);
  const int bind_errno = errno;
  ::umask(old_mask);
  if (rc != 0) {
    error = errno_text("cannot bind " + options.path, bind_errno);
    ::close(fd);
    return -1;
  }
  ::chmod(options.path.c_str(), options.mode);
  if (options.group && ::chown(options.path.c_str(), static_cast<uid_t>(-1), *options.group) != 0)
    spdlog::warn("cannot give {} to group {}: {}", options.path, *options.group,
                 std::strerror(errno));
  socket_gid = ::getegid();
  if (::stat(options.path.c_str(), &st) == 0) socket_gid = st.st_gid;
  if (::listen(fd, 16) != 0) {
    error = errno_text("listen on " + options.path, errno);
    ::close(fd);
    ::unlink(options.path.c_str());
    return -1;
  }
  return fd;
}

std::unique_ptr<ControlServer> ControlServer::open(loop::Loop& loop,
                                                   const CommandRegistry& registry,
                                                   ControlServerOptions options,
                                                   std::string& error) {
  return open_async(
      loop, [&registry](const std::string& line, ReplyFn reply) { reply(registry.dispatch(line)); },
      std::move(options), error);
}

std::unique_ptr<ControlServer> ControlServer::open_async(loop::Loop& loop, AsyncDispatch dispatch,
                                                         ControlServerOptions options,
                                                         std::string& error) {
  gid_t socket_gid = 0;
  int fd = bind_socket(options, socket_gid, error);
  if (fd < 0) return nullptr;
  return std::unique_ptr<ControlServer>(
      new ControlServer(loop, std::move(dispatch), std::move(options), fd, socket_gid));
}

ControlServer::ControlServer(loop::Loop& loop, AsyncDispatch dispatch, ControlServerOptions options,
                             int fd, gid_t socket_gid)
    : loop_(loop),
      dispatch_(std::move(dispatch)),
      options_(std::move(options)),
      fd_(fd),
      socket_gid_(socket_gid) {
  watch_ = std::make_unique<loop::FdWatch>(loop_, fd_, [this] { on_accept(); });
}

ControlServer::~ControlServer() {
  *alive_ = false;
  connections_.clear();
  watch_.reset();
  if (fd_ >= 0) ::close(fd_);
  ::unlink(options_.path.c_str());
}

bool ControlServer::peer_allowed(int fd) const {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return false;
  return cred.uid == 0 || cred.uid == ::geteuid() || cred.gid == socket_gid_;
}

void ControlServer::on_accept() {
  for (;;) {
    int cfd = ::accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (cfd < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        spdlog::warn("control socket accept: {}", std::strerror(errno));
      return;
    }
    if (!peer_allowed(cfd)) {
      write_all(cfd, reply_line(error_reply("permission denied")));
      ::close(cfd);
      continue;
    }
    if (connections_.size() >= options_.max_connections) {
      write_all(cfd, reply_line(error_reply("too many control connections")));
      ::close(cfd);
      continue;
    }
    auto conn = std::make_unique<Connection>();
    conn->fd = cfd;
    conn->serial = next_serial_++;
    conn->watch = std::make_unique<loop::FdWatch>(loop_, cfd, [this, cfd] { on_readable(cfd); });
    connections_[cfd] = std::move(conn);
  }
}

void ControlServer::close_later(int fd) {
  auto it = connections_.find(fd);
  if (it == connections_.end() || it->second->closing) return;
  it->second->closing = true;
  it->second->watch.reset();  // no more callbacks; the fd closes with the Connection
  loop_.post([this, fd] { connections_.erase(fd); });
}

void ControlServer::on_readable(int fd) {
  auto it = connections_.find(fd);
  if (it == connections_.end() || it->second->closing) return;
  Connection& c = *it->second;
  char chunk[4096];
  for (;;) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n > 0) {
      c.buffer.append(chunk, static_cast<size_t>(n));
      // One line may not exceed the bound; queued lines behind a slow answer are bounded too.
      if (c.buffer.size() > 4 * kMaxRequestBytes ||
          (c.buffer.size() > kMaxRequestBytes && c.buffer.find('\n') == std::string::npos)) {
        write_all(fd, reply_line(error_reply("request too large")));
        close_later(fd);
        return;
      }
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    // EOF or error: answer what is pending first when the peer only closed its side.
    c.eof = true;
    c.watch.reset();
    break;
  }
  dispatch_pending(fd);
}

void ControlServer::dispatch_pending(int fd) {
  for (;;) {
    auto it = connections_.find(fd);
    if (it == connections_.end() || it->second->closing) return;
    Connection& c = *it->second;
    if (c.busy) return;
    size_t nl = c.buffer.find('\n');
    if (nl == std::string::npos) {
      if (c.eof) close_later(fd);
      return;
    }
    std::string line = c.buffer.substr(0, nl);
    c.buffer.erase(0, nl + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    c.busy = true;
    c.in_dispatch = true;
    const uint64_t serial = c.serial;
    std::weak_ptr<bool> alive = alive_;
    dispatch_(line, [this, alive, fd, serial](nlohmann::json reply) {
      if (alive.expired()) return;
      answer(fd, serial, reply);
    });
    it = connections_.find(fd);
    if (it == connections_.end()) return;
    it->second->in_dispatch = false;
    // Answered asynchronously later: answer() resumes the queue.
  }
}

void ControlServer::answer(int fd, uint64_t serial, const nlohmann::json& reply) {
  auto it = connections_.find(fd);
  if (it == connections_.end() || it->second->serial != serial || it->second->closing) return;
  Connection& c = *it->second;
  c.busy = false;
  if (!write_all(fd, reply_line(reply))) {
    close_later(fd);
    return;
  }
  // A reply given inside dispatch_() returns to dispatch_pending's loop; a later one resumes
  // the queue here.
  if (!c.in_dispatch) dispatch_pending(fd);
}

}  // namespace vigil::control
