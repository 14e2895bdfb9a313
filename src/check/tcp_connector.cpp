#include "check/tcp_connector.h"

#include <netinet/in.h>

#include <cerrno>
#include <cstring>

#include "loop/loop.h"

namespace vigil::check {

void TcpConnector::start(const CheckTarget& target, std::function<void(std::string)> done) {
  cancel();
  done_ = std::move(done);
  std::string error;
  fd_.reset(open_checker_socket(target, SOCK_STREAM, IPPROTO_TCP, error));
  if (!fd_) {
    // Report from the loop, never inside the caller.
    loop_.post([this, alive = std::weak_ptr<bool>(alive_), gen = generation_, error] {
      if (!alive.expired() && gen == generation_) finish(error);
    });
    return;
  }
  sockaddr_storage sa;
  socklen_t len = to_sockaddr(target.address, target.port, sa);
  int rc = ::connect(fd_.get(), reinterpret_cast<sockaddr*>(&sa), len);
  if (rc < 0 && errno != EINPROGRESS) {
    std::string err = std::strerror(errno);
    loop_.post([this, alive = std::weak_ptr<bool>(alive_), gen = generation_, err] {
      if (!alive.expired() && gen == generation_) finish(err);
    });
    return;
  }
  watch_ = std::make_unique<IoWatch>(loop_, fd_.get(), [this](bool, bool) { on_writable(); });
  watch_->want(false, true);
}

void TcpConnector::on_writable() {
  int err = socket_error(fd_.get());
  watch_->want(false, false);
  finish(err == 0 ? std::string() : std::string(std::strerror(err)));
}

void TcpConnector::finish(std::string error) {
  auto done = std::move(done_);
  done_ = nullptr;
  if (!error.empty()) {
    watch_.reset();
    fd_.reset();
  }
  if (done) done(std::move(error));
}

void TcpConnector::cancel() {
  ++generation_;
  done_ = nullptr;
  watch_.reset();
  fd_.reset();
}

}  // namespace vigil::check
