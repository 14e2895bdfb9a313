#include "daemon/supervisor.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "base/backoff.h"
#include "base/heap_policy.h"
#include "base/resident.h"
#include "conf/model.h"
#include "control/relay_client.h"
#include "daemon/control_front.h"
#include "daemon/lvs_runtime.h"
#include "daemon/notify_relay.h"
#include "daemon/pidfile.h"
#include "daemon/reload.h"
#include "daemon/runtime_names.h"
#include "daemon/sd_notify.h"
#include "daemon/signals.h"
#include "daemon/startup.h"
#include "loop/child.h"
#include "loop/fd_watch.h"
#include "loop/loop.h"
#include "loop/signal_watch.h"
#include "loop/timer.h"
#include "netlink/address_ops.h"
#include "vrrp/leftover_addresses.h"

extern char** environ;

namespace vigil::daemon {

namespace {

using nlohmann::json;

// How long workers get to leave (priority-0 adverts, omega scripts) before SIGKILL.
constexpr Millis kStopBound{10000};
// How long start-up and a reload wait for the workers' READY=1.
constexpr Millis kReadyBound{20000};

bool has_line(const std::string& message, const std::string& line) {
  size_t pos = 0;
  while (pos <= message.size()) {
    size_t nl = message.find('\n', pos);
    if (nl == std::string::npos) nl = message.size();
    if (message.compare(pos, nl - pos, line) == 0) return true;
    pos = nl + 1;
  }
  return false;
}

std::optional<std::string> status_line(const std::string& message) {
  size_t pos = 0;
  while (pos < message.size()) {
    size_t nl = message.find('\n', pos);
    if (nl == std::string::npos) nl = message.size();
    if (message.compare(pos, 7, "STATUS=") == 0) return message.substr(pos + 7, nl - pos - 7);
    pos = nl + 1;
  }
  return std::nullopt;
}

// What the parent needs from a configuration: which workers, where the control socket and
// /metrics live.
struct Plan {
  bool vrrp = false;
  bool check = false;
  size_t vrrp_instances = 0;
  std::string control_socket;
  std::optional<IpAddress> metrics_address;
  uint16_t metrics_port = 0;
  std::string metrics_listen;
};

Plan plan_for(const Options& options, const conf::Config& config) {
  Plan p;
  p.vrrp_instances = config.vrrp_instances.size();
  p.vrrp = !options.check_only && (p.vrrp_instances > 0 || options.all_children);
  p.check = !options.vrrp_only && (has_lvs_work(config) || options.all_children);
  p.control_socket = control_socket_path(options, config);
  p.metrics_address = config.global.vigil_metrics_address;
  p.metrics_port = config.global.vigil_metrics_port;
  p.metrics_listen = config.global.vigil_metrics_listen.value_or("");
  return p;
}

struct Worker {
  std::string kind;   // "vrrp" / "check"
  std::string label;  // for the log: "VRRP worker"
  std::string pid_file;
  std::string exe;  // the executable started for it
  bool wanted = false;
  pid_t pid = -1;
  int pidfd = -1;
  bool ready = false;
  bool ever_ready = false;
  // Part of the reload round in progress, not done yet (daemon/staged_reload.h).
  bool reload_waiting = false;
  bool reload_by_signal = false;  // sent SIGHUP instead (no staged reload): awaits READY=1
  MonoTime started{};
  RestartBackoff backoff;
  unsigned restarts = 0;
  std::unique_ptr<loop::FdWatch> exit_watch;
  std::unique_ptr<loop::Timer> restart_timer;
  bool running() const { return pid > 0; }
};

// One reload round of the supervisor. At namespace scope, not nested in Supervisor: clang
// cannot default-construct a nested class with default member initializers inside the
// enclosing class (std::optional::emplace() failed to compile).
struct SupervisorReloadRound {
  uint64_t generation = 0;
  bool valid = false;
  int pending = 0;  // workers not done
  std::string first_error;
  std::vector<std::function<void(std::string error)>> waiters;
  // The configuration this process loaded: freed only once the workers are done, since
  // freeing tens of thousands of real servers takes tens of milliseconds that would stand
  // between a worker's prepare and its commit.
  std::shared_ptr<const conf::Config> loaded;
};

class Supervisor {
 public:
  Supervisor(const Options& options, std::vector<std::string> args,
             std::function<void(int, const std::string&)> started)
      : options_(options), args_(std::move(args)), started_(std::move(started)) {}

  int run();

 private:
  bool spawn(Worker& w);
  void on_exit(Worker& w);
  void remove_vrrp_leftovers();
  void on_notify(pid_t pid, const std::string& message);
  void on_signal(int signo);
  void maybe_ready();
  void become_ready();
  void stop(int status);
  void finish_if_stopped();
  using ReloadDone = std::function<void(std::string error)>;
  void start_reload(ReloadDone done);
  bool load_for_reload(std::string& error, std::shared_ptr<const conf::Config>& config);
  void send_verdict(Worker& w, uint64_t generation, bool commit);
  void on_prepared(Worker& w, uint64_t generation, std::optional<nlohmann::json> reply,
                   std::string error);
  void reload_worker_done(Worker& w, const std::string& error);
  void maybe_finish_reload();
  void apply_plan(const Plan& plan);
  std::vector<WorkerInfo> worker_infos() const;
  Worker* by_pid(pid_t pid);
  Worker* status_source();

  const Options& options_;
  std::vector<std::string> args_;
  std::function<void(int, const std::string&)> started_;
  loop::Loop loop_;
  Plan plan_;
  Worker workers_[2];
  std::unique_ptr<NotifyRelay> relay_;
  std::unique_ptr<ControlFront> front_;
  std::unique_ptr<loop::Timer> ready_bound_;
  std::unique_ptr<loop::Timer> stop_bound_;
  std::unique_ptr<loop::Timer> reload_bound_;
  std::unique_ptr<loop::Timer> watchdog_;
  bool ready_ = false;
  bool stopping_ = false;
  // The reload round in progress: its number (the workers' prepare/commit/abort carry it),
  // whether the parent found the file valid, and who waits for its outcome.
  using ReloadRound = SupervisorReloadRound;
  std::optional<ReloadRound> reload_;
  uint64_t reload_generation_ = 0;
  // Reloads asked for while one ran: one more round after it, for all of them.
  bool reload_again_ = false;
  std::vector<ReloadDone> reload_queued_;
  int exit_status_ = 0;
  // What the VRRP worker's configuration (the last valid one) may leave in the kernel, so its
  // VIPs can be removed when it dies (vrrp/leftover_addresses.h): a compact description, not
  // the whole configuration, which this process does not keep.
  using Leftovers = std::vector<vrrp::LeftoverInstance>;
  std::shared_ptr<const Leftovers> leftovers_;
  // The description before a reload the workers have not confirmed yet: a VRRP worker that
  // dies meanwhile may still hold the VIPs of instances the new one removed or moved.
  std::shared_ptr<const Leftovers> retired_leftovers_;
};

Worker* Supervisor::by_pid(pid_t pid) {
  for (auto& w : workers_)
    if (w.running() && w.pid == pid) return &w;
  return nullptr;
}

// The STATUS= line systemd shows comes from the VRRP worker when there is one.
Worker* Supervisor::status_source() {
  return workers_[0].wanted ? &workers_[0] : &workers_[1];
}

std::vector<WorkerInfo> Supervisor::worker_infos() const {
  std::vector<WorkerInfo> out;
  for (const auto& w : workers_)
    out.push_back({w.kind, w.wanted, w.running(), w.ready, w.pid, w.restarts,
                   worker_socket_path(plan_.control_socket, w.kind)});
  return out;
}

bool Supervisor::spawn(Worker& w) {
  if (w.exe.empty()) {
    spdlog::error("cannot start the {}: its executable is missing beside this program", w.label);
    return false;
  }
  // Everything the child needs is prepared before fork(): between fork and exec only
  // async-signal-safe calls are made.
  std::vector<std::string> argv_s;
  argv_s.push_back(args_.empty() ? std::string("vigild") : args_[0]);
  argv_s.push_back("--worker=" + w.kind);
  for (size_t i = 1; i < args_.size(); ++i) argv_s.push_back(args_[i]);
  std::vector<std::string> env_s;
  for (char** e = environ; e && *e; ++e) {
    std::string_view v(*e);
    // Only the parent talks to systemd; the workers report to it instead.
    if (v.rfind("NOTIFY_SOCKET=", 0) == 0 || v.rfind("WATCHDOG_USEC=", 0) == 0 ||
        v.rfind("WATCHDOG_PID=", 0) == 0)
      continue;
    env_s.emplace_back(v);
  }
  env_s.push_back("NOTIFY_SOCKET=" + relay_->socket_name());
  std::vector<char*> argv, envp;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  const pid_t parent = ::getpid();

  pid_t pid = ::fork();
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int signo = 1; signo < NSIG; ++signo) ::sigaction(signo, &dfl, nullptr);
    // A worker must not outlive a parent that was killed: it stops as on SIGTERM.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(1);
    ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
    ::execve(w.exe.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  if (pid < 0) {
    spdlog::error("cannot start the {}: fork: {}", w.label, std::strerror(errno));
    return false;
  }
  w.pid = pid;
  w.ready = false;
  w.started = loop_.now();
  w.pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (w.pidfd < 0) {
    spdlog::critical("pidfd_open for the {}: {}", w.label, std::strerror(errno));
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    w.pid = -1;
    return false;
  }
  Worker* wp = &w;
  w.exit_watch = std::make_unique<loop::FdWatch>(loop_, w.pidfd, [this, wp] { on_exit(*wp); });
  spdlog::info("started the {} (pid {})", w.label, pid);
  return true;
}

void Supervisor::on_exit(Worker& w) {
  int status = 0;
  pid_t r = ::waitpid(w.pid, &status, WNOHANG);
  if (r == 0) return;  // not yet (spurious wake-up)
  const pid_t pid = w.pid;
  const std::string how = loop::describe(loop::result_from_wait_status(pid, status));
  // The watch may not be destroyed inside its own callback: hand it to the loop.
  auto watch = std::shared_ptr<loop::FdWatch>(std::move(w.exit_watch));
  const int pidfd = w.pidfd;
  loop_.post([watch, pidfd]() mutable {
    watch.reset();
    ::close(pidfd);
  });
  w.pidfd = -1;
  w.pid = -1;
  w.ready = false;
  if (w.reload_waiting) reload_worker_done(w, "the " + w.label + " exited during the reload");
  // A killed worker leaves its pid file behind.
  if (read_pid_file(w.pid_file) == pid) ::unlink(w.pid_file.c_str());
  const auto ran_for = std::chrono::duration_cast<Micros>(loop_.now() - w.started);
  if (stopping_)
    spdlog::info("the {} (pid {}) {}", w.label, pid, how);
  else
    spdlog::error("the {} (pid {}) {}", w.label, pid, how);
  // A VRRP worker that was killed left its VIPs behind; a peer takes over within
  // Master_Down_Interval while this one waits out its back-off: remove them now, so the VIP is
  // never on two nodes. (A worker that stopped cleanly left nothing: nothing is found.) Before
  // a pending reload completes, which forgets the configuration it replaced.
  if (&w == &workers_[0]) remove_vrrp_leftovers();
  if (stopping_) return finish_if_stopped();
  if (!ready_ && !w.ever_ready) {
    spdlog::critical("the {} failed to start; stopping", w.label);
    return stop(1);
  }
  if (options_.dont_respawn) {
    spdlog::critical("not restarting the {} (-R); stopping", w.label);
    return stop(1);
  }
  if (!w.wanted) return;
  const Micros delay = w.backoff.after_exit(ran_for);
  spdlog::warn("restarting the {} in {:.1f} s", w.label, static_cast<double>(delay.count()) / 1e6);
  notify_status(w.kind + " worker restarting");
  Worker* wp = &w;
  w.restart_timer = std::make_unique<loop::Timer>(loop_, [this, wp] {
    if (stopping_) return;
    ++wp->restarts;
    if (!spawn(*wp)) wp->restart_timer->arm_after(wp->backoff.after_exit(Micros(0)));
  });
  w.restart_timer->arm_after(delay);
}

void Supervisor::remove_vrrp_leftovers() {
  auto ops = netlink::RtnlOps::open();
  if (!ops) {
    spdlog::error("cannot remove the VRRP worker's addresses: rtnetlink: {}", ops.error().message);
    return;
  }
  for (const auto& leftovers : {leftovers_, retired_leftovers_})
    if (leftovers && !leftovers->empty())
      vrrp::remove_leftover_addresses(*ops, *leftovers, "held by the dead VRRP worker");
}

void Supervisor::on_notify(pid_t pid, const std::string& message) {
  Worker* w = by_pid(pid);
  if (!w) return;  // not one of ours
  if (has_line(message, "READY=1")) {
    const bool first = !w->ready;
    w->ready = true;
    w->ever_ready = true;
    if (first && w->restarts > 0) spdlog::info("the {} (pid {}) is running again", w->label, pid);
    if (!ready_) maybe_ready();
    if (w->reload_waiting && w->reload_by_signal) reload_worker_done(*w, {});
  }
  if (auto status = status_line(message); status && w == status_source()) notify_status(*status);
}

void Supervisor::maybe_ready() {
  for (const auto& w : workers_)
    if (w.wanted && !w.ready) return;
  become_ready();
}

void Supervisor::become_ready() {
  if (ready_ || stopping_) return;
  ready_ = true;
  if (ready_bound_) ready_bound_->cancel();  // may run inside its callback: never destroy it
  front_->start(plan_.control_socket, plan_.metrics_address, plan_.metrics_port,
                plan_.metrics_listen);
  if (!workers_[0].wanted && !workers_[1].wanted)
    notify_status("no worker needed: nothing configured");
  notify_ready();
  watchdog_ = start_watchdog(loop_);
  std::string which;
  for (const auto& w : workers_)
    if (w.wanted) which += (which.empty() ? "" : ", ") + w.label;
  spdlog::info("supervisor running: {}", which.empty() ? "no worker needed" : which);
  if (started_) started_(0, {});
  started_ = nullptr;
  // Start-up's code ran once; what the loop runs maps in again (base/resident.h).
  const size_t released = release_clean_file_pages();
  spdlog::debug("released the mappings of {} KiB of start-up code", released / 1024);
}

void Supervisor::stop(int status) {
  if (stopping_) return;
  stopping_ = true;
  exit_status_ = status;
  notify_stopping();
  for (auto& w : workers_) {
    if (w.restart_timer) w.restart_timer->cancel();
    if (w.running()) ::kill(w.pid, SIGTERM);
  }
  stop_bound_ = std::make_unique<loop::Timer>(loop_, [this] {
    for (auto& w : workers_)
      if (w.running()) {
        spdlog::warn("the {} (pid {}) did not stop within {} s; killing it", w.label, w.pid,
                     kStopBound.count() / 1000);
        ::kill(w.pid, SIGKILL);
      }
  });
  stop_bound_->arm_after(kStopBound);
  finish_if_stopped();
}

void Supervisor::finish_if_stopped() {
  for (const auto& w : workers_)
    if (w.running()) return;
  loop_.stop();
}

// The parent's half of a reload round: load and validate the file, and when it is valid take
// it as the configuration in force. `error`: why not.
bool Supervisor::load_for_reload(std::string& error, std::shared_ptr<const conf::Config>& config) {
  size_t errors = 0;
  config = load_config_logged(options_, errors);
  if (!config) {
    const std::string summary = fmt::format("{} error(s) in {}", errors, options_.config_file);
    spdlog::error("configuration {} is invalid ({} errors); keeping the running configuration",
                  options_.config_file, errors);
    notify_status("running (last reload failed: " + summary + ")");
    error = "reload failed, running configuration kept: " + summary;
    return false;
  }
  spdlog::debug("configuration {} is valid", options_.config_file);
  notify_reloading();
  Plan next = plan_for(options_, *config);
  retired_leftovers_ = std::move(leftovers_);
  leftovers_ = std::make_shared<const Leftovers>(vrrp::describe_leftovers(*config));
  apply_plan(next);
  return true;
}

// A reload may need a worker that was not needed before (the first virtual server, say).
void Supervisor::apply_plan(const Plan& next) {
  const std::string socket = plan_.control_socket;
  plan_ = next;
  plan_.control_socket = socket;  // the socket stays where it was opened
  workers_[0].wanted = workers_[0].wanted || next.vrrp;
  workers_[1].wanted = workers_[1].wanted || next.check;
  for (auto& w : workers_)
    if (w.wanted && !w.running() && !(w.restart_timer && w.restart_timer->armed())) spawn(w);
}

// SIGHUP and the control socket's "reload" (daemon/staged_reload.h): the running workers are
// asked to prepare (load and validate, apply nothing) before this process loads the file, so
// the loads run in parallel; each worker's answer is followed by commit when the parent found
// the file valid, else abort. An invalid file thus never changes a worker, and only the parent
// logs its errors. A reload asked for meanwhile runs as one more round after this one.
void Supervisor::start_reload(ReloadDone done) {
  if (reload_) {
    reload_again_ = true;
    if (done) reload_queued_.push_back(std::move(done));
    return;
  }
  reload_.emplace();
  ReloadRound& round = *reload_;
  round.generation = ++reload_generation_;
  if (done) round.waiters.push_back(std::move(done));
  spdlog::info("reloading configuration {}", options_.config_file);
  // A worker that is restarting reads the new file when it starts.
  for (auto& w : workers_) {
    if (!w.running() || !w.ready) continue;
    w.reload_waiting = true;
    w.reload_by_signal = false;
    ++round.pending;
    const json prepare{{"command", "reload-prepare"}, {"generation", round.generation}};
    Worker* wp = &w;
    control::relay_request(loop_, worker_socket_path(plan_.control_socket, w.kind), prepare,
                           kReadyBound,
                           [this, wp, g = round.generation](std::optional<json> r, std::string e) {
                             on_prepared(*wp, g, std::move(r), std::move(e));
                           });
  }
  std::string error;
  round.valid = load_for_reload(error, round.loaded);
  round.first_error = error;
  // The verdict goes out at once, not after each worker's prepare answer: a worker still
  // loading finds it waiting when it is done (a commit that overtakes its prepare loads the
  // file then, and the prepare is ignored: the round number settles both).
  for (auto& w : workers_)
    if (w.reload_waiting) send_verdict(w, round.generation, round.valid);
  reload_bound_ = std::make_unique<loop::Timer>(loop_, [this] {
    if (!reload_) return;
    spdlog::warn("workers did not confirm the reload within {} s", kReadyBound.count() / 1000);
    for (auto& w : workers_)
      if (w.reload_waiting) reload_worker_done(w, "the " + w.label + " did not confirm the reload");
  });
  reload_bound_->arm_after(kReadyBound);
  maybe_finish_reload();
}

void Supervisor::send_verdict(Worker& w, uint64_t generation, bool commit) {
  const std::string socket = worker_socket_path(plan_.control_socket, w.kind);
  if (!commit) {
    // The worker drops what it prepared; the round waits for its prepare answer only.
    control::relay_request(loop_, socket,
                           json{{"command", "reload-abort"}, {"generation", generation}},
                           kReadyBound, [](std::optional<json>, std::string) {});
    return;
  }
  Worker* wp = &w;
  control::relay_request(
      loop_, socket, json{{"command", "reload-commit"}, {"generation", generation}}, kReadyBound,
      [this, wp, generation](std::optional<json> r, std::string e) {
        if (!reload_ || reload_->generation != generation || !wp->reload_waiting ||
            wp->reload_by_signal)
          return;
        if (!r) return reload_worker_done(*wp, "the " + wp->label + " did not answer: " + e);
        if (!r->value("ok", false))
          return reload_worker_done(*wp, r->value("error", std::string("reload failed")));
        reload_worker_done(*wp, {});
      });
}

void Supervisor::on_prepared(Worker& w, uint64_t generation, std::optional<json> reply,
                             std::string error) {
  if (!reload_ || reload_->generation != generation || !w.reload_waiting) return;
  if (!reload_->valid) return reload_worker_done(w, {});
  if (!reply || !reply->value("ok", false)) {
    // No staged reload there (its socket did not answer): the worker reloads on its own, as
    // keepalived's children do, and says READY=1 when done.
    spdlog::warn("the {} did not prepare the reload ({}); signalling it", w.label,
                 reply ? reply->value("error", std::string()) : error);
    if (!w.running()) return reload_worker_done(w, {});
    w.reload_by_signal = true;
    ::kill(w.pid, SIGHUP);
  }
  // Prepared: the commit sent with the verdict completes the worker's part.
}

void Supervisor::reload_worker_done(Worker& w, const std::string& error) {
  if (!w.reload_waiting) return;
  w.reload_waiting = false;
  w.reload_by_signal = false;
  if (!reload_) return;
  if (!error.empty() && reload_->first_error.empty()) reload_->first_error = error;
  --reload_->pending;
  // Not from inside a relay callback or the timer: the round may start the next one.
  loop_.post([this] { maybe_finish_reload(); });
}

void Supervisor::maybe_finish_reload() {
  if (!reload_ || reload_->pending > 0) return;
  ReloadRound round = std::move(*reload_);
  reload_.reset();
  if (reload_bound_) reload_bound_->cancel();  // may run inside its callback: never destroy it
  if (round.valid) {
    retired_leftovers_.reset();
    notify_ready();
  }
  // The parse's freed heap is settled once the workers are done, off their path
  // (base/heap_policy.h), by the size of the configuration just loaded, and the parser's code
  // pages go back (base/resident.h).
  const size_t config_bytes = round.loaded ? config_heap_estimate(*round.loaded) : 0;
  round.loaded.reset();
  settle_heap_after_load(config_bytes);
  release_clean_file_pages();
  for (auto& done : round.waiters) done(round.first_error);
  if (reload_again_) {
    reload_again_ = false;
    auto queued = std::move(reload_queued_);
    reload_queued_.clear();
    start_reload([queued](const std::string& error) {
      for (const auto& done : queued) done(error);
    });
  }
}

void Supervisor::on_signal(int signo) {
  auto action = action_for_signal(signo);
  if (action == SignalAction::Stop) {
    if (stopping_) return;
    spdlog::info("received signal {}, stopping", signo);
    stop(0);
  } else if (action == SignalAction::Reload) {
    if (stopping_) return;
    spdlog::info("received signal {}, reloading", signo);
    start_reload(nullptr);
  } else if (action) {
    // keepalived's dump files describe the VRRP side: only its worker writes them.
    Worker* w = workers_[0].running()   ? &workers_[0]
                : workers_[1].running() ? &workers_[1]
                                        : nullptr;
    if (w) ::kill(w->pid, signo);
  }
}

int Supervisor::run() {
  size_t errors = 0;
  auto config = load_config_logged(options_, errors);
  if (!config) {
    spdlog::critical("configuration {} is invalid ({} errors); not starting", options_.config_file,
                     errors);
    if (started_) started_(1, "invalid configuration " + options_.config_file);
    return 1;
  }
  plan_ = plan_for(options_, *config);
  leftovers_ = std::make_shared<const Leftovers>(vrrp::describe_leftovers(*config));
  const size_t config_bytes = config_heap_estimate(*config);
  config.reset();

  // The workers are the executables beside this one (daemon/startup.h), with this program's
  // command line: vigild-vrrp links only the VRRP side, vigild-check the LVS side.
  workers_[0].exe = sibling_executable("vigild-vrrp");
  workers_[1].exe = sibling_executable("vigild-check");
  for (const auto& [w, name] :
       {std::pair{&workers_[0], "vigild-vrrp"}, {&workers_[1], "vigild-check"}})
    if (w->wanted && w->exe.empty()) {
      spdlog::critical("{} is missing beside this program", name);
      if (started_) started_(1, std::string(name) + " is missing beside this program");
      return 1;
    }

  BackoffPolicy backoff;
  if (options_.restart_delay_ms) backoff.initial = Millis(*options_.restart_delay_ms);
  for (auto& w : workers_) w.backoff = RestartBackoff(backoff);
  workers_[0].kind = "vrrp";
  workers_[0].label = "VRRP worker";
  workers_[0].pid_file = options_.vrrp_pid_file;
  workers_[0].wanted = plan_.vrrp;
  workers_[1].kind = "check";
  workers_[1].label = "checker worker";
  workers_[1].pid_file = options_.checkers_pid_file;
  workers_[1].wanted = plan_.check;

  std::string error;
  relay_ = NotifyRelay::open(
      loop_, [this](pid_t pid, const std::string& m) { on_notify(pid, m); }, error);
  if (!relay_) {
    spdlog::critical("{}", error);
    if (started_) started_(1, error);
    return 1;
  }
  ControlFront::Hooks hooks;
  hooks.workers = [this] { return worker_infos(); };
  hooks.reload = [this](ReloadDone done) { start_reload(std::move(done)); };
  front_ = std::make_unique<ControlFront>(loop_, hooks);
  loop::SignalWatch signals(loop_, daemon_signals(), [this](int signo) { on_signal(signo); });

  for (auto& w : workers_)
    if (w.wanted && !spawn(w)) {
      stop(1);
      break;
    }
  // The parse's and the configuration's freed heap: given back, or kept for reloads of a large
  // configuration (base/heap_policy.h). After the fork()s: pages this process had at a fork
  // stay write-protected until written again, and a reserve mapped before them would fault
  // page by page in the first reload (9,000 faults with 37,205 real servers). A worker's
  // restart costs the next reload that once.
  settle_heap_after_load(config_bytes);
  ready_bound_ = std::make_unique<loop::Timer>(loop_, [this] {
    spdlog::warn("workers not ready within {} s; carrying on", kReadyBound.count() / 1000);
    become_ready();
  });
  ready_bound_->arm_after(kReadyBound);
  maybe_ready();
  loop_.run();
  front_.reset();
  if (started_) started_(exit_status_ ? exit_status_ : 1, "a worker failed to start; see the log");
  spdlog::info("vigild stopped");
  return exit_status_;
}

}  // namespace

int run_supervisor(const Options& options, const std::vector<std::string>& args,
                   std::function<void(int status, const std::string& message)> started) {
  Supervisor s(options, args, std::move(started));
  return s.run();
}

}  // namespace vigil::daemon
