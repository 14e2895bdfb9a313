#include "daemon/pidfile.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>

#include <fmt/format.h>

namespace vigil::daemon {

namespace {

void ensure_parent_dir(const std::string& path) {
  auto parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::error_code ignored;  // a real problem shows up when the file is opened
  std::filesystem::create_directories(parent, ignored);
}

}  // namespace

std::optional<pid_t> read_pid_file(const std::string& path) {
  std::ifstream in(path);
  long pid = 0;
  if (!(in >> pid) || pid <= 0 || pid > 0x3fffffff) return std::nullopt;
  return static_cast<pid_t>(pid);
}

bool process_exists(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno != EPERM) return false;
  // /proc/PID/stat is "pid (comm) state ...": the state follows the last ')', as comm may
  // hold any character.
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto paren = stat.rfind(')');
  if (paren == std::string::npos || paren + 2 >= stat.size()) return true;  // unknown: alive
  const char state = stat[paren + 2];
  return state != 'Z' && state != 'X';
}

std::optional<PidFile> PidFile::create(const std::string& path, pid_t pid, std::string& error) {
  ensure_parent_dir(path);
  for (int attempt = 0; attempt < 2; ++attempt) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd >= 0) {
      ::fchmod(fd, 0644);  // whatever the umask says
      std::string text = fmt::format("{}\n", pid);
      bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
      ::close(fd);
      if (!ok) {
        error = fmt::format("cannot write pid file {}: {}", path, std::strerror(errno));
        ::unlink(path.c_str());
        return std::nullopt;
      }
      return PidFile(path, pid);
    }
    if (errno != EEXIST) {
      error = fmt::format("cannot create pid file {}: {}", path, std::strerror(errno));
      return std::nullopt;
    }
    auto other = read_pid_file(path);
    if (other && *other != pid && process_exists(*other)) {
      error = fmt::format("pid file {} names a running process (pid {}); already running?", path,
                          *other);
      return std::nullopt;
    }
    // Stale (dead pid, our own pid, or garbage): replace it.
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      error = fmt::format("cannot remove stale pid file {}: {}", path, std::strerror(errno));
      return std::nullopt;
    }
  }
  error = fmt::format("pid file {} keeps reappearing; another instance starting?", path);
  return std::nullopt;
}

PidFile::PidFile(PidFile&& other) noexcept
    : path_(std::move(other.path_)), pid_(std::exchange(other.pid_, -1)) {}

PidFile& PidFile::operator=(PidFile&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::move(other.path_);
    pid_ = std::exchange(other.pid_, -1);
  }
  return *this;
}

PidFile::~PidFile() {
  remove();
}

void PidFile::remove() {
  if (pid_ <= 0) return;
  if (read_pid_file(path_) == pid_) ::unlink(path_.c_str());
  pid_ = -1;
}

}  // namespace vigil::daemon
