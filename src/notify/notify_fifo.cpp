#include "notify/notify_fifo.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace vigil::notify {

std::unique_ptr<NotifyFifo> NotifyFifo::open(const std::string& path, std::string& error,
                                             std::optional<uid_t> owner_uid,
                                             std::optional<gid_t> owner_gid) {
  bool created = false;
  if (::mkfifo(path.c_str(), 0600) == 0) {
    created = true;
    if ((owner_uid || owner_gid) &&
        ::chown(path.c_str(), owner_uid.value_or(static_cast<uid_t>(-1)),
                owner_gid.value_or(static_cast<gid_t>(-1))) != 0) {
      error = fmt::format("cannot chown notify FIFO {}: {}", path, std::strerror(errno));
      ::unlink(path.c_str());
      return nullptr;
    }
  } else if (errno != EEXIST) {
    error = fmt::format("cannot create notify FIFO {}: {}", path, std::strerror(errno));
    return nullptr;
  }
  // Read-write: a FIFO opened only for writing fails with ENXIO while no reader exists.
  int fd = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    error = fmt::format("cannot open notify FIFO {}: {}", path, std::strerror(errno));
    if (created) ::unlink(path.c_str());
    return nullptr;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode)) {
    error = fmt::format("notify FIFO {} exists and is not a FIFO", path);
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<NotifyFifo>(new NotifyFifo(path, fd, created));
}

NotifyFifo::~NotifyFifo() {
  if (fd_ >= 0) ::close(fd_);
  if (created_) ::unlink(path_.c_str());
}

bool NotifyFifo::write_line(std::string_view line) {
  while (true) {
    ssize_t n = ::write(fd_, line.data(), line.size());
    if (n == static_cast<ssize_t>(line.size())) return true;
    if (n < 0 && errno == EINTR) continue;
    // Full pipe (EAGAIN): nobody is reading. Partial writes only happen beyond PIPE_BUF.
    ++dropped_;
    if (dropped_ == 1 || dropped_ % 100 == 0)
      spdlog::warn("notify FIFO {}: reader not keeping up, {} line(s) dropped", path_, dropped_);
    return false;
  }
}

}  // namespace vigil::notify
