// Runs the real vigild binary: start-up, systemd notifications, pid file, clean stop.
// Readiness is awaited through sd_notify (a NOTIFY_SOCKET we own), not by polling or sleeping.
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "daemon/pidfile.h"
#include "loop/fd_watch.h"
#include "loop/loop.h"
#include "loop/timer.h"

namespace vigil::daemon {
namespace {

namespace fs = std::filesystem;

constexpr Millis kProcessBound{10000};

class VigildProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vgl-vigild-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // No instances: a valid configuration any runtime can start with.
    std::ofstream(config()) << "global_defs {\n  router_id vgl_test\n}\n";
    sock_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    ASSERT_GE(sock_, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string path = (dir_ / "notify.sock").string();
    ASSERT_LT(path.size(), sizeof addr.sun_path);
    path.copy(addr.sun_path, path.size());
    ASSERT_EQ(::bind(sock_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    watch_ = std::make_unique<loop::FdWatch>(loop_, sock_, [this] {
      char buf[4096];
      ssize_t n;
      while ((n = ::recv(sock_, buf, sizeof buf, 0)) > 0) {
        messages_.emplace_back(buf, static_cast<size_t>(n));
        loop_.stop();
      }
    });
  }
  void TearDown() override {
    watch_.reset();
    if (sock_ >= 0) ::close(sock_);
    fs::remove_all(dir_);
  }

  std::vector<std::string> env() const {
    return {"PATH=/usr/bin:/bin", "NOTIFY_SOCKET=" + (dir_ / "notify.sock").string()};
  }
  std::string vigild() const { return std::string(VIGIL_BINARY_DIR) + "/vigild"; }
  std::string config() const { return (dir_ / "keepalived.conf").string(); }
  std::string pid_file() const { return (dir_ / "run" / "vigild.pid").string(); }

  // Runs the loop until a message containing `what` arrived (or the bound passed).
  bool await_message(const std::string& what) {
    loop::Timer bound(loop_, [this] { loop_.stop(); });
    bound.arm_after(kProcessBound);
    while (bound.armed()) {
      for (const auto& m : messages_)
        if (m.find(what) != std::string::npos) return true;
      loop_.run_for(kProcessBound);
    }
    return false;
  }

  loop::Loop loop_;
  fs::path dir_;
  int sock_ = -1;
  std::unique_ptr<loop::FdWatch> watch_;
  std::vector<std::string> messages_;
};

TEST_F(VigildProcess, ForegroundRunWritesPidFileNotifiesAndStopsOnSigterm) {
  std::optional<loop::ChildResult> exit;
  pid_t pid =
      loop_.spawn({.argv = {vigild(), "-n", "-G", "-f", config(), "-p", pid_file()}, .env = env()},
                  [&](const loop::ChildResult& r) {
                    exit = r;
                    loop_.stop();
                  });
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(await_message("READY=1"));
  EXPECT_EQ(read_pid_file(pid_file()), pid);
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  ASSERT_TRUE(await_message("STOPPING=1"));
  loop::Timer bound(loop_, [this] { loop_.stop(); });
  bound.arm_after(kProcessBound);
  while (!exit && bound.armed()) loop_.run_for(kProcessBound);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->exit_code, 0);
  EXPECT_FALSE(fs::exists(pid_file()));
}

TEST_F(VigildProcess, SecondInstanceIsRefusedWhileTheFirstRuns) {
  pid_t first =
      loop_.spawn({.argv = {vigild(), "-n", "-G", "-f", config(), "-p", pid_file()}, .env = env()},
                  [](const loop::ChildResult&) {});
  ASSERT_GT(first, 0);
  ASSERT_TRUE(await_message("READY=1"));
  std::optional<loop::ChildResult> second;
  loop_.spawn(
      {.argv = {vigild(), "-G", "-f", config(), "-p", pid_file()},  // detaching: the parent reports
       .env = std::vector<std::string>{"PATH=/usr/bin:/bin"},
       .capture_output = true},
      [&](const loop::ChildResult& r) {
        second = r;
        loop_.stop();
      });
  loop::Timer bound(loop_, [this] { loop_.stop(); });
  bound.arm_after(kProcessBound);
  while (!second && bound.armed()) loop_.run_for(kProcessBound);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->exit_code, 1);
  EXPECT_NE(second->output.find("running"), std::string::npos) << second->output;
  EXPECT_EQ(read_pid_file(pid_file()), first);
  ::kill(first, SIGTERM);
}

TEST_F(VigildProcess, DetachedDaemonRunsInBackground) {
  std::optional<loop::ChildResult> parent;
  loop_.spawn({.argv = {vigild(), "-G", "-f", config(), "-p", pid_file()}, .env = env()},
              [&](const loop::ChildResult& r) {
                parent = r;
                loop_.stop();
              });
  ASSERT_TRUE(await_message("READY=1"));
  loop::Timer bound(loop_, [this] { loop_.stop(); });
  bound.arm_after(kProcessBound);
  while (!parent && bound.armed()) loop_.run_for(kProcessBound);
  ASSERT_TRUE(parent);
  EXPECT_EQ(parent->exit_code, 0);  // the starting process returned ...
  auto daemon_pid = read_pid_file(pid_file());
  ASSERT_TRUE(daemon_pid);
  EXPECT_NE(*daemon_pid, parent->pid);  // ... while the daemon lives on
  EXPECT_TRUE(process_exists(*daemon_pid));
  messages_.clear();
  ASSERT_EQ(::kill(*daemon_pid, SIGTERM), 0);
  EXPECT_TRUE(await_message("STOPPING=1"));
}

}  // namespace
}  // namespace vigil::daemon
