#include "loop/child.h"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <spdlog/spdlog.h>
#include <asio/posix/stream_descriptor.hpp>

#include "loop/loop.h"
#include "loop/timer.h"

extern char** environ;

namespace vigil::loop {

namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

int pidfd_open(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// Everything the forked child needs, prepared before fork(): between fork and exec only
// async-signal-safe calls are allowed (the daemon may have other threads, e.g. libcurl's).
struct ExecPlan {
  std::string program;
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::vector<char*> argv;
  std::vector<char*> envp;
  char** envp_ptr = nullptr;

  void finalize(bool inherit_env) {
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (inherit_env) {
      envp_ptr = environ;
    } else {
      for (auto& e : env) envp.push_back(e.data());
      envp.push_back(nullptr);
      envp_ptr = envp.data();
    }
  }
};

[[noreturn]] void child_fail(int report_fd, int err) {
  ssize_t ignored = ::write(report_fd, &err, sizeof err);
  (void)ignored;
  ::_exit(127);
}

[[noreturn]] void exec_child(const ExecPlan& plan, const ChildSpec& spec, int report_fd,
                             int output_fd) {
  ::setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int signo = 1; signo < NSIG; ++signo) ::sigaction(signo, &dfl, nullptr);

  int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (devnull < 0) child_fail(report_fd, errno);
  int out = output_fd >= 0 ? output_fd : devnull;
  if (::dup2(devnull, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(out, 2) < 0)
    child_fail(report_fd, errno);

  if (spec.gid || spec.groups || spec.uid) {
    if (spec.groups) {
      if (::setgroups(spec.groups->size(), spec.groups->data()) < 0) child_fail(report_fd, errno);
    } else if (spec.uid && spec.gid) {
      gid_t only = *spec.gid;
      if (::setgroups(1, &only) < 0) child_fail(report_fd, errno);
    }
    if (spec.gid && ::setgid(*spec.gid) < 0) child_fail(report_fd, errno);
    if (spec.uid && ::setuid(*spec.uid) < 0) child_fail(report_fd, errno);
  }
  // Nothing but 0-2 and the report pipe (close-on-exec) survives into the program.
  ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  ::execve(plan.program.c_str(), plan.argv.data(), plan.envp_ptr);
  child_fail(report_fd, errno);
}

}  // namespace

ChildResult result_from_wait_status(pid_t pid, int status) {
  ChildResult r;
  r.pid = pid;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  return r;
}

std::string describe(const ChildResult& r) {
  if (r.spawn_errno != 0) return "could not start: " + std::string(std::strerror(r.spawn_errno));
  if (r.timed_out) return "timed out and was killed";
  if (r.signal != 0)
    return "killed by signal " + std::to_string(r.signal) + " (" + ::strsignal(r.signal) + ")";
  return "exited with status " + std::to_string(r.exit_code);
}

std::string find_program(const std::string& name, const std::string& path_env) {
  if (name.empty()) return {};
  if (name.find('/') != std::string::npos) return name;
  std::string_view dirs = path_env.empty() ? std::string_view(kDefaultPath) : path_env;
  while (true) {
    size_t colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + name;
    if (is_executable_file(candidate)) return candidate;
    if (colon == std::string_view::npos) return {};
    dirs.remove_prefix(colon + 1);
  }
}

struct ChildRegistry::Child {
  Child(Loop& loop, pid_t p, int pidfd, ChildDone cb)
      : pid(p), exit_watch(loop.context(), pidfd), done(std::move(cb)) {}
  pid_t pid;
  asio::posix::stream_descriptor exit_watch;               // owns the pidfd
  std::unique_ptr<asio::posix::stream_descriptor> output;  // owns the pipe's read end
  std::string captured;
  size_t capture_limit = 0;
  ChildDone done;
  std::unique_ptr<Timer> timeout;
  std::unique_ptr<Timer> kill_timer;
  Micros kill_grace{};
  bool timed_out = false;
};

ChildRegistry::ChildRegistry(Loop& loop) : loop_(loop) {}

ChildRegistry::~ChildRegistry() {
  kill_all();
}

void ChildRegistry::fail_later(int err, ChildDone done) {
  loop_.post([err, done = std::move(done)] {
    ChildResult r;
    r.spawn_errno = err;
    r.exit_code = 127;
    if (done) done(r);
  });
}

pid_t ChildRegistry::spawn(ChildSpec spec, ChildDone done) {
  if (spec.argv.empty() || spec.argv[0].empty()) {
    fail_later(EINVAL, std::move(done));
    return -1;
  }
  ExecPlan plan;
  std::string path_env;
  if (spec.env) {
    for (const auto& e : *spec.env)
      if (e.rfind("PATH=", 0) == 0) path_env = e.substr(5);
  } else if (const char* p = std::getenv("PATH")) {
    path_env = p;
  }
  plan.program = find_program(spec.argv[0], path_env);
  if (plan.program.empty()) {
    fail_later(ENOENT, std::move(done));
    return -1;
  }
  plan.args = spec.argv;
  if (spec.env) plan.env = *spec.env;
  plan.finalize(!spec.env.has_value());

  int report[2];
  if (::pipe2(report, O_CLOEXEC) < 0) {
    fail_later(errno, std::move(done));
    return -1;
  }
  int output[2] = {-1, -1};
  if (spec.capture_output && ::pipe2(output, O_CLOEXEC) < 0) {
    int err = errno;
    ::close(report[0]);
    ::close(report[1]);
    fail_later(err, std::move(done));
    return -1;
  }
  pid_t pid = ::fork();
  if (pid == 0) exec_child(plan, spec, report[1], output[1]);
  int fork_errno = errno;
  ::close(report[1]);
  if (output[1] >= 0) ::close(output[1]);
  if (pid < 0) {
    ::close(report[0]);
    if (output[0] >= 0) ::close(output[0]);
    fail_later(fork_errno, std::move(done));
    return -1;
  }
  ::setpgid(pid, pid);  // also from here, so a kill(-pid) right away already hits the group

  // The report pipe closes on a successful exec, or carries errno when the child gave up.
  int child_errno = 0;
  ssize_t n;
  do {
    n = ::read(report[0], &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  ::close(report[0]);
  int pidfd = n == static_cast<ssize_t>(sizeof child_errno) ? -1 : pidfd_open(pid);
  if (pidfd < 0) {
    int err = child_errno ? child_errno : errno;
    if (!child_errno) ::kill(-pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    if (output[0] >= 0) ::close(output[0]);
    fail_later(err, std::move(done));
    return -1;
  }

  auto child = std::make_shared<Child>(loop_, pid, pidfd, std::move(done));
  children_[pid] = child;
  if (output[0] >= 0) {
    ::fcntl(output[0], F_SETFL, ::fcntl(output[0], F_GETFL) | O_NONBLOCK);
    child->output = std::make_unique<asio::posix::stream_descriptor>(loop_.context(), output[0]);
    child->capture_limit = spec.capture_limit;
    watch_output(child);
  }
  if (spec.timeout) {
    child->kill_grace = spec.kill_grace;
    child->timeout = std::make_unique<Timer>(loop_, [this, weak = std::weak_ptr<Child>(child)] {
      if (auto c = weak.lock()) on_timeout(c);
    });
    child->timeout->arm_after(*spec.timeout);
  }
  watch_exit(child);
  return pid;
}

void ChildRegistry::watch_exit(const std::shared_ptr<Child>& child) {
  child->exit_watch.async_wait(
      asio::posix::stream_descriptor::wait_read,
      [this, weak = std::weak_ptr<Child>(child)](const std::error_code& ec) {
        auto c = weak.lock();
        if (!c || ec == asio::error::operation_aborted) return;
        on_exit(c);
      });
}

namespace {

// Reads what the pipe has now; returns false at end of file or on a hard error.
bool drain(int fd, std::string& into, size_t limit) {
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      size_t room = into.size() < limit ? limit - into.size() : 0;
      into.append(buf, std::min(room, static_cast<size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && errno == EAGAIN;
  }
}

}  // namespace

void ChildRegistry::watch_output(const std::shared_ptr<Child>& child) {
  child->output->async_wait(asio::posix::stream_descriptor::wait_read,
                            [this, weak = std::weak_ptr<Child>(child)](const std::error_code& ec) {
                              auto c = weak.lock();
                              if (!c || !c->output || ec) return;
                              if (drain(c->output->native_handle(), c->captured, c->capture_limit))
                                watch_output(c);
                              else
                                c->output.reset();  // end of file: closes the read end
                            });
}

void ChildRegistry::on_exit(const std::shared_ptr<Child>& child) {
  int status = 0;
  pid_t got;
  do {
    got = ::waitpid(child->pid, &status, WNOHANG);
  } while (got < 0 && errno == EINTR);
  if (got == 0) {  // spurious wake-up: not exited yet
    watch_exit(child);
    return;
  }
  ChildResult result = got > 0 ? result_from_wait_status(child->pid, status) : ChildResult{};
  if (got < 0) {
    spdlog::error("waitpid({}) failed: {}", child->pid, std::strerror(errno));
    result.pid = child->pid;
  }
  result.timed_out = child->timed_out;
  if (child->output) {
    // Whatever the program wrote before exiting is in the pipe by now; a grandchild that
    // kept the pipe open is not waited for.
    drain(child->output->native_handle(), child->captured, child->capture_limit);
    child->output.reset();
  }
  result.output = std::move(child->captured);
  if (child->timeout) child->timeout->cancel();
  if (child->kill_timer) child->kill_timer->cancel();
  children_.erase(child->pid);
  if (child->done) child->done(result);
  if (children_.empty()) run_idle_callbacks();
}

void ChildRegistry::when_idle(std::function<void()> fn) {
  idle_.push_back(std::move(fn));
  if (children_.empty()) loop_.post([this] { run_idle_callbacks(); });
}

void ChildRegistry::run_idle_callbacks() {
  // A callback registered or a child started meanwhile waits for the next idle moment.
  if (!children_.empty()) return;
  auto callbacks = std::move(idle_);
  idle_.clear();
  for (auto& fn : callbacks) fn();
}

void ChildRegistry::on_timeout(const std::shared_ptr<Child>& child) {
  child->timed_out = true;
  ::kill(-child->pid, SIGTERM);
  child->kill_timer =
      std::make_unique<Timer>(loop_, [pid = child->pid, weak = std::weak_ptr<Child>(child)] {
        if (weak.lock()) ::kill(-pid, SIGKILL);
      });
  child->kill_timer->arm_after(child->kill_grace);
}

bool ChildRegistry::signal(pid_t pid, int signo) {
  if (!children_.count(pid)) return false;
  return ::kill(-pid, signo) == 0;
}

void ChildRegistry::terminate_all() {
  for (auto& [pid, child] : children_) ::kill(-pid, SIGTERM);
}

void ChildRegistry::kill_all() {
  for (auto& [pid, child] : children_) {
    ::kill(-pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  children_.clear();
}

}  // namespace vigil::loop
