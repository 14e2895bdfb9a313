#include "vrrp/tracking.h"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>

#include "vrrp/script_exec.h"

namespace vigil::vrrp {

RiseFall::RiseFall(uint32_t rise, uint32_t fall, bool initially_up)
    : rise_(rise ? rise : 1), fall_(fall ? fall : 1), up_(initially_up) {}

bool RiseFall::feed(bool success) {
  if (success == up_) {
    streak_ = 0;
    return false;
  }
  ++streak_;
  if (streak_ >= (up_ ? fall_ : rise_)) {
    up_ = success;
    streak_ = 0;
    return true;
  }
  return false;
}

int64_t read_track_file_value(const std::string& path) {
  std::ifstream in(path);
  if (!in) return 0;
  std::string word;
  in >> word;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
  if (ec != std::errc{}) return 0;
  (void)ptr;
  return v;
}

struct Trackers::Script {
  const conf::VrrpScript* cfg;
  RiseFall status;
  std::unique_ptr<loop::Timer> timer;
  bool running = false;
};

struct Trackers::File {
  const conf::VrrpTrackFile* cfg;
  int64_t value = 0;
};

Trackers::Trackers(loop::Loop& loop, const conf::Config& config, std::function<void()> on_change)
    : loop_(loop), config_(config), on_change_(std::move(on_change)) {}

Trackers::~Trackers() {
  stop();
  inotify_watch_.reset();
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
}

void Trackers::start() {
  for (const auto& s : config_.vrrp_scripts) {
    auto script = std::make_unique<Script>(
        Script{&s, RiseFall(s.rise, s.fall, !s.init_fail), nullptr, false});
    Script* raw = script.get();
    raw->timer = std::make_unique<loop::Timer>(loop_, [this, raw] { run_script(*raw); });
    raw->timer->arm(loop_.now());  // first run at once
    scripts_[s.name] = std::move(script);
  }
  if (!config_.track_files.empty()) {
    inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify_fd_ < 0) spdlog::error("track_file: inotify_init1 failed: {}", strerror(errno));
    for (const auto& f : config_.track_files) {
      auto file = std::make_unique<File>(File{&f, read_track_file_value(f.file)});
      if (inotify_fd_ >= 0) {
        const size_t slash = f.file.find_last_of('/');
        const std::string dir = slash == std::string::npos ? "."
                                : slash == 0               ? "/"
                                                           : f.file.substr(0, slash);
        int wd = inotify_add_watch(
            inotify_fd_, dir.c_str(),
            IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_MODIFY);
        if (wd < 0)
          spdlog::error("track_file {}: cannot watch {}: {}", f.name, dir, strerror(errno));
        else
          watch_dirs_[wd] = dir;
      }
      files_[f.name] = std::move(file);
    }
    if (inotify_fd_ >= 0)
      inotify_watch_ =
          std::make_unique<loop::FdWatch>(loop_, inotify_fd_, [this] { on_inotify(); });
  }
}

void Trackers::stop() {
  stopped_ = true;
  for (auto& [name, s] : scripts_) s->timer->cancel();
}

void Trackers::run_script(Script& s) {
  if (stopped_) return;
  const auto& cfg = *s.cfg;
  s.timer->arm_after(std::chrono::duration_cast<Micros>(cfg.interval));
  if (s.running) return;  // keepalived skips a run while the previous one is still going
  s.running = true;
  Micros timeout = std::chrono::duration_cast<Micros>(cfg.timeout.value_or(cfg.interval));
  ScriptRun run{cfg.script, {}, timeout};
  spawn_script(loop_, config_, run, [this, &s](const loop::ChildResult& r) {
    s.running = false;
    if (stopped_) return;
    bool ok = r.succeeded();
    if (r.timed_out) spdlog::warn("vrrp_script {} timed out", s.cfg->name);
    if (s.status.feed(ok)) {
      spdlog::info("VRRP_Script({}) {}", s.cfg->name, s.status.up() ? "succeeded" : "failed");
      on_change_();
    }
  });
}

void Trackers::on_inotify() {
  alignas(inotify_event) char buf[4096];
  while (::read(inotify_fd_, buf, sizeof buf) > 0) {
  }
  bool changed = false;
  for (auto& [name, f] : files_) {
    int64_t v = read_track_file_value(f->cfg->file);
    if (v != f->value) {
      spdlog::info("track_file {}: value {} -> {}", name, f->value, v);
      f->value = v;
      changed = true;
    }
  }
  if (changed) on_change_();
}

std::optional<bool> Trackers::script_up(const std::string& name) const {
  auto it = scripts_.find(name);
  if (it == scripts_.end()) return std::nullopt;
  return it->second->status.up();
}

std::optional<int64_t> Trackers::file_value(const std::string& name) const {
  auto it = files_.find(name);
  if (it == files_.end()) return std::nullopt;
  return it->second->value;
}

}  // namespace vigil::vrrp
