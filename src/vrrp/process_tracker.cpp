#include "vrrp/process_tracker.h"

#include <dirent.h>
#include <libmnl/libmnl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "netlink/mnl_handle.h"

namespace vigil::vrrp {

namespace {
constexpr Micros kRescanInterval = Micros(1'000'000);
}

struct ProcessTracker::Entry {
  const conf::VrrpTrackProcess* cfg;
  std::set<pid_t> pids;
  ProcessStatus status;
  std::unique_ptr<loop::Timer> timer;
};

std::optional<ProcessInfo> read_process_info(pid_t pid) {
  const std::string dir = "/proc/" + std::to_string(pid);
  ProcessInfo info;
  {
    std::ifstream comm(dir + "/comm");
    if (!comm || !std::getline(comm, info.name)) return std::nullopt;
  }
  std::ifstream cmd(dir + "/cmdline", std::ios::binary);
  if (!cmd) return std::nullopt;
  std::string raw((std::istreambuf_iterator<char>(cmd)), std::istreambuf_iterator<char>());
  size_t start = 0;
  while (start < raw.size()) {
    size_t end = raw.find('\0', start);
    if (end == std::string::npos) end = raw.size();
    info.cmdline.push_back(raw.substr(start, end - start));
    start = end + 1;
  }
  return info;
}

ProcessTracker::ProcessTracker(loop::Loop& loop, const conf::Config& config,
                               std::function<void()> on_change)
    : loop_(loop), config_(config), on_change_(std::move(on_change)) {}

ProcessTracker::~ProcessTracker() {
  stop();
}

void ProcessTracker::start() {
  if (config_.track_processes.empty()) return;
  for (const auto& tp : config_.track_processes) {
    auto e = std::unique_ptr<Entry>(new Entry{&tp, {}, ProcessStatus(tp, 0), nullptr});
    Entry* raw = e.get();
    e->timer = std::make_unique<loop::Timer>(loop_, [this, raw] {
      if (raw->status.on_timer(loop_.now())) {
        spdlog::info("track_process {} is {} ({} running)", raw->cfg->name,
                     raw->status.up() ? "up" : "down", raw->status.count());
        if (on_change_) on_change_();
      }
    });
    entries_[tp.name] = std::move(e);
  }
  // Listen first, then scan: a process that starts in between is seen twice, never missed.
  const bool connector = open_connector();
  scan();
  for (auto& [name, e] : entries_) {
    e->status = ProcessStatus(*e->cfg, e->pids.size());
    spdlog::info("track_process {}: {} matching, {}", name, e->pids.size(),
                 e->status.up() ? "up" : "down");
  }
  if (!connector) {
    spdlog::warn(
        "process events connector unavailable (it exists only in the initial network "
        "namespace); track_process rescans /proc every second");
    rescan_timer_ = std::make_unique<loop::Timer>(loop_, [this] {
      scan();
      for (auto& [n, e] : entries_) recount(*e);
      rescan_timer_->arm_after(kRescanInterval);
    });
    rescan_timer_->arm_after(kRescanInterval);
  }
}

void ProcessTracker::stop() {
  stopped_ = true;
  watch_.reset();
  rescan_timer_.reset();
  for (auto& [n, e] : entries_) e->timer.reset();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::optional<bool> ProcessTracker::up(const std::string& name) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) return std::nullopt;
  return it->second->status.up();
}

bool ProcessTracker::open_connector() {
  auto nl =
      netlink::open_mnl(NETLINK_CONNECTOR, CN_IDX_PROC, "process events connector", SOCK_NONBLOCK);
  if (!nl) {
    spdlog::debug("{}", nl.error().message);
    return false;
  }
  char buf[MNL_SOCKET_BUFFER_SIZE];
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = NLMSG_DONE;
  auto* cn = static_cast<cn_msg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(cn_msg)));
  cn->id.idx = CN_IDX_PROC;
  cn->id.val = CN_VAL_PROC;
  cn->len = sizeof(uint32_t);
  auto* op = static_cast<uint32_t*>(mnl_nlmsg_put_extra_header(nlh, sizeof(uint32_t)));
  *op = PROC_CN_MCAST_LISTEN;
  // Outside the initial network namespace the kernel has no connector: ECONNREFUSED here.
  if (mnl_socket_sendto(nl->get(), nlh, nlh->nlmsg_len) < 0) {
    spdlog::debug("process events connector: listen: {}", std::strerror(errno));
    return false;
  }
  // The loop watches the plain descriptor; libmnl's wrapper is only needed for setup.
  fd_ = ::dup(mnl_socket_get_fd(nl->get()));
  if (fd_ < 0) return false;
  watch_ = std::make_unique<loop::FdWatch>(loop_, fd_, [this] { on_readable(); });
  spdlog::info("track_process: following process events from the kernel");
  return true;
}

void ProcessTracker::on_readable() {
  std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
  bool changed_any = false;
  for (;;) {
    ssize_t n = ::recv(fd_, buf.data(), buf.size(), 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
      if (errno == ENOBUFS) {
        // Events were lost: start again from what /proc says.
        spdlog::warn("track_process: process events lost; rescanning /proc");
        scan();
        changed_any = true;
        continue;
      }
      spdlog::error("track_process: reading process events: {}", std::strerror(errno));
      break;
    }
    int len = static_cast<int>(n);
    for (auto* nlh = reinterpret_cast<nlmsghdr*>(buf.data()); mnl_nlmsg_ok(nlh, len);
         nlh = mnl_nlmsg_next(nlh, &len)) {
      if (mnl_nlmsg_get_payload_len(nlh) < sizeof(cn_msg) + sizeof(proc_event)) continue;
      const auto* cn = static_cast<const cn_msg*>(mnl_nlmsg_get_payload(nlh));
      if (cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC) continue;
      proc_event ev;
      std::memcpy(&ev, cn->data, sizeof ev);
      switch (ev.what) {
        case proc_event::PROC_EVENT_FORK:
          if (ev.event_data.fork.child_pid == ev.event_data.fork.child_tgid) {
            see(ev.event_data.fork.child_tgid);
            changed_any = true;
          }
          break;
        case proc_event::PROC_EVENT_EXEC:
          see(ev.event_data.exec.process_tgid);
          changed_any = true;
          break;
        case proc_event::PROC_EVENT_COMM:
          if (ev.event_data.comm.process_pid == ev.event_data.comm.process_tgid) {
            see(ev.event_data.comm.process_tgid);
            changed_any = true;
          }
          break;
        case proc_event::PROC_EVENT_EXIT:
          if (ev.event_data.exit.process_pid == ev.event_data.exit.process_tgid) {
            forget(ev.event_data.exit.process_tgid);
            changed_any = true;
          }
          break;
        default:
          break;
      }
    }
  }
  if (changed_any && !stopped_)
    for (auto& [n, e] : entries_) recount(*e);
}

void ProcessTracker::scan() {
  for (auto& [n, e] : entries_) e->pids.clear();
  DIR* d = ::opendir("/proc");
  if (!d) {
    spdlog::error("track_process: cannot read /proc: {}", std::strerror(errno));
    return;
  }
  while (dirent* de = ::readdir(d)) {
    char* end = nullptr;
    long pid = std::strtol(de->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    see(static_cast<pid_t>(pid));
  }
  ::closedir(d);
}

void ProcessTracker::see(pid_t pid) {
  auto info = read_process_info(pid);
  for (auto& [n, e] : entries_) {
    if (info && process_matches(*e->cfg, *info))
      e->pids.insert(pid);
    else
      e->pids.erase(pid);
  }
}

void ProcessTracker::forget(pid_t pid) {
  for (auto& [n, e] : entries_) e->pids.erase(pid);
}

void ProcessTracker::recount(Entry& e) {
  if (e.pids.size() == e.status.count() && !e.status.deadline()) return;
  const bool changed = e.status.set_count(e.pids.size(), loop_.now());
  if (auto dl = e.status.deadline())
    e.timer->arm(*dl);
  else
    e.timer->cancel();
  if (changed) {
    spdlog::info("track_process {} is {} ({} running)", e.cfg->name, e.status.up() ? "up" : "down",
                 e.status.count());
    if (on_change_) on_change_();
  }
}

}  // namespace vigil::vrrp
