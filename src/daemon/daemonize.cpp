#include "daemon/daemonize.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

namespace vigil::daemon {

std::optional<Detached> Detached::detach(std::string& error) {
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) < 0) {
    error = fmt::format("pipe: {}", std::strerror(errno));
    return std::nullopt;
  }
  pid_t first = ::fork();
  if (first < 0) {
    error = fmt::format("fork: {}", std::strerror(errno));
    return std::nullopt;
  }
  if (first > 0) {
    // The original process: reap the intermediate child, then wait for the verdict.
    ::close(pipefd[1]);
    while (::waitpid(first, nullptr, 0) < 0 && errno == EINTR) {
    }
    std::string report;
    char buf[512];
    ssize_t n;
    while ((n = ::read(pipefd[0], buf, sizeof buf)) != 0) {
      if (n < 0 && errno != EINTR) break;
      if (n > 0) report.append(buf, static_cast<size_t>(n));
    }
    int status = report.empty() ? 1 : static_cast<unsigned char>(report[0]);
    if (report.size() > 1) {
      report.erase(0, 1);
      report += '\n';
      ssize_t ignored = ::write(STDERR_FILENO, report.data(), report.size());
      (void)ignored;
    }
    ::_exit(status);
  }
  ::close(pipefd[0]);
  ::setsid();
  pid_t second = ::fork();
  if (second < 0) ::_exit(1);
  if (second > 0) ::_exit(0);  // the daemon is not a session leader: it can't regain a tty
  if (::chdir("/") != 0) {
    // "/" always exists; nothing sensible to do otherwise.
  }
  int devnull = ::open("/dev/null", O_RDWR);
  if (devnull >= 0) {
    ::dup2(devnull, 0);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    if (devnull > 2) ::close(devnull);
  }
  return Detached(pipefd[1]);
}

Detached::Detached(Detached&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

Detached& Detached::operator=(Detached&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

Detached::~Detached() {
  if (fd_ >= 0) ::close(fd_);
}

void Detached::report(int status, std::string_view message) {
  if (fd_ < 0) return;
  std::string text(1, static_cast<char>(static_cast<unsigned char>(status)));
  text.append(message);
  ssize_t ignored = ::write(fd_, text.data(), text.size());
  (void)ignored;
  ::close(fd_);
  fd_ = -1;
}

}  // namespace vigil::daemon
