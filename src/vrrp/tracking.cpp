#include "vrrp/tracking.h"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

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
  int wd = -1;       // the watch on its directory (shared by files in one directory)
  std::string base;  // the file's name in that directory, as inotify events name it
};

namespace {
std::pair<std::string, std::string> split_path(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}
}  // namespace

Trackers::Trackers(loop::Loop& loop, const conf::Config& config, std::function<void()> on_change)
    : loop_(loop), config_(&config), on_change_(std::move(on_change)) {}

Trackers::~Trackers() {
  stop();
  inotify_watch_.reset();
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
}

void Trackers::start() {
  for (const auto& s : config_->vrrp_scripts) start_script(s);
  for (const auto& f : config_->track_files) start_file(f);
}

void Trackers::start_script(const conf::VrrpScript& cfg) {
  auto script = std::make_shared<Script>(
      Script{&cfg, RiseFall(cfg.rise, cfg.fall, !cfg.init_fail), nullptr, false});
  std::weak_ptr<Script> weak = script;
  script->timer = std::make_unique<loop::Timer>(loop_, [this, weak] {
    if (auto s = weak.lock()) run_script(s);
  });
  if (!stopped_) script->timer->arm(loop_.now());  // first run at once
  scripts_[cfg.name] = std::move(script);
}

void Trackers::start_file(const conf::VrrpTrackFile& f) {
  if (inotify_fd_ < 0) {
    inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify_fd_ < 0) {
      spdlog::error("track_file: inotify_init1 failed: {}", strerror(errno));
    } else {
      inotify_watch_ =
          std::make_unique<loop::FdWatch>(loop_, inotify_fd_, [this] { on_inotify(); });
    }
  }
  auto [dir, base] = split_path(f.file);
  auto file = std::make_unique<File>(File{&f, read_track_file_value(f.file), -1, base});
  if (inotify_fd_ >= 0) {
    // Adding a watch for a directory already watched returns the same descriptor.
    int wd = inotify_add_watch(
        inotify_fd_, dir.c_str(),
        IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_MODIFY);
    if (wd < 0)
      spdlog::error("track_file {}: cannot watch {}: {}", f.name, dir, strerror(errno));
    else
      watch_dirs_[wd] = dir;
    file->wd = wd;
  }
  files_[f.name] = std::move(file);
}

void Trackers::reconfigure(const conf::Config& config, const ConfigDiff& diff) {
  config_ = &config;
  for (const auto& d : diff.scripts) {
    if (d.change == Change::Removed || d.change == Change::Restart) {
      auto it = scripts_.find(d.name);
      if (it != scripts_.end()) {
        it->second->timer->cancel();
        it->second->cfg = nullptr;  // a run still going reports to nobody
        scripts_.erase(it);
      }
    }
    const conf::VrrpScript* cfg = config.find_script(d.name);
    if (!cfg) continue;
    if (d.change == Change::Added || d.change == Change::Restart) {
      spdlog::info("VRRP_Script({}) {}", d.name,
                   d.change == Change::Added ? "added" : "changed: restarting");
      start_script(*cfg);
    } else if (auto it = scripts_.find(d.name); it != scripts_.end()) {
      it->second->cfg = cfg;
    }
  }
  for (const auto& d : diff.track_files) {
    if (d.change == Change::Removed || d.change == Change::Restart) files_.erase(d.name);
    const conf::VrrpTrackFile* cfg = config.find_track_file(d.name);
    if (!cfg) continue;
    if (d.change == Change::Added || d.change == Change::Restart)
      start_file(*cfg);
    else if (auto it = files_.find(d.name); it != files_.end())
      it->second->cfg = cfg;
  }
}

void Trackers::stop() {
  stopped_ = true;
  for (auto& [name, s] : scripts_) s->timer->cancel();
}

void Trackers::run_script(const std::shared_ptr<Script>& sp) {
  Script& s = *sp;
  if (stopped_ || !s.cfg) return;
  const auto& cfg = *s.cfg;
  s.timer->arm_after(std::chrono::duration_cast<Micros>(cfg.interval));
  if (s.running) return;  // keepalived skips a run while the previous one is still going
  s.running = true;
  Micros timeout = std::chrono::duration_cast<Micros>(cfg.timeout.value_or(cfg.interval));
  ScriptRun run{cfg.script, {}, timeout};
  std::weak_ptr<Script> weak = sp;
  spawn_script(loop_, *config_, run, [this, weak](const loop::ChildResult& r) {
    auto locked = weak.lock();
    if (!locked) return;  // removed or changed on reload meanwhile
    Script& s = *locked;
    s.running = false;
    if (stopped_ || !s.cfg) return;
    bool ok = r.succeeded();
    if (r.timed_out) spdlog::warn("vrrp_script {} timed out", s.cfg->name);
    if (s.status.feed(ok)) {
      spdlog::info("VRRP_Script({}) {}", s.cfg->name, s.status.up() ? "succeeded" : "failed");
      on_change_();
    }
  });
}

void Trackers::on_inotify() {
  // Only the files the events name are read again (one write to one of many track files
  // must not re-read them all); an overflowed queue re-reads everything.
  std::set<std::pair<int, std::string>> touched;  // (watch, name)
  bool overflow = false;
  alignas(inotify_event) char buf[4096];
  ssize_t n;
  while ((n = ::read(inotify_fd_, buf, sizeof buf)) > 0) {
    for (ssize_t off = 0; off + static_cast<ssize_t>(sizeof(inotify_event)) <= n;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(buf + off);
      off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
      if (ev->mask & IN_Q_OVERFLOW) {
        overflow = true;
        continue;
      }
      if (ev->len == 0) continue;
      touched.emplace(ev->wd, std::string(ev->name));  // name is NUL-padded
    }
  }
  bool changed = false;
  for (auto& [name, f] : files_) {
    if (!overflow && !touched.count({f->wd, f->base})) continue;
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
