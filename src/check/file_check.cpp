#include "check/file_check.h"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "check/real_server_state.h"
#include "loop/loop.h"

namespace vigil::check {

CheckResult FileCheck::read_now() const {
  std::string text;
  {
    // A missing file reads as 0, as keepalived's track_file does; a small regular file read
    // once per delay_loop does not block the loop noticeably.
    std::ifstream in(options_.path);
    char buf[64];
    if (in.read(buf, sizeof(buf)) || in.gcount() > 0)
      text.assign(buf, static_cast<size_t>(in.gcount()));
  }
  int64_t value = parse_track_file_value(text);
  FileOutcome o = file_value_outcome(value, options_.weight, options_.reverse, options_.dynamic);
  CheckResult r;
  r.success = o.success;
  r.weight_delta = o.weight_delta;
  r.message = "FILE_CHECK " + target() + " value " + std::to_string(value) +
              (o.success ? " success." : " failed.");
  return r;
}

FileCheck::~FileCheck() {
  inotify_watch_.reset();
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
}

void FileCheck::watch_file() {
  if (inotify_fd_ >= 0) return;
  inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ < 0) {
    spdlog::warn("FILE_CHECK {}: inotify: {}; reading it each delay_loop only", target(),
                 std::strerror(errno));
    return;
  }
  std::filesystem::path p(options_.path);
  std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
  if (::inotify_add_watch(inotify_fd_, dir.c_str(),
                          IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM) < 0)
    spdlog::warn("FILE_CHECK {}: cannot watch {}: {}; reading it each delay_loop only", target(),
                 dir, std::strerror(errno));
  inotify_watch_ = std::make_unique<loop::FdWatch>(loop_, inotify_fd_, [this] { on_inotify(); });
}

void FileCheck::on_inotify() {
  alignas(inotify_event) char buf[4096];
  const std::string name = std::filesystem::path(options_.path).filename().string();
  bool ours = false;
  ssize_t n;
  while ((n = ::read(inotify_fd_, buf, sizeof(buf))) > 0) {
    for (ssize_t off = 0; off < n;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(buf + off);
      if (ev->len > 0 && name == ev->name) ours = true;
      off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
    }
  }
  if (ours) request_run();
}

void FileCheck::start(CheckDone done) {
  watch_file();
  loop_.post(
      [this, alive = std::weak_ptr<bool>(alive_), gen = generation_, done = std::move(done)] {
        if (!alive.expired() && gen == generation_) done(read_now());
      });
}

}  // namespace vigil::check
