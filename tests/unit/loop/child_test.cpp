#include "loop/child.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "loop/loop.h"

namespace vigil::loop {
namespace {

constexpr Millis kChildBound{10000};

// Runs one child to completion on a fresh loop.
std::optional<ChildResult> run_child(ChildSpec spec, pid_t* pid_out = nullptr) {
  Loop loop;
  std::optional<ChildResult> result;
  pid_t pid = loop.spawn(std::move(spec), [&](const ChildResult& r) {
    result = r;
    loop.stop();
  });
  if (pid_out) *pid_out = pid;
  loop.run_for(kChildBound);
  return result;
}

TEST(LoopChild, ReportsExitCode) {
  auto r = run_child({.argv = {"/bin/sh", "-c", "exit 7"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 7);
  EXPECT_EQ(r->signal, 0);
  EXPECT_FALSE(r->timed_out);
  EXPECT_FALSE(r->succeeded());
}

TEST(LoopChild, WhenIdleRunsAfterTheLastChildsCallback) {
  Loop loop;
  std::vector<std::string> order;
  loop.spawn({.argv = {"/bin/sh", "-c", "exit 0"}},
             [&](const ChildResult&) { order.push_back("quick"); });
  // Ended by its timeout. (Which child finishes first is up to the scheduler on a loaded
  // machine; what matters is that "idle" comes after both.)
  loop.spawn({.argv = {"/bin/sh", "-c", "exec sleep 30"}, .timeout = Millis(300)},
             [&](const ChildResult&) { order.push_back("slow"); });
  loop.children().when_idle([&] {
    order.push_back("idle");
    loop.stop();
  });
  loop.run_for(kChildBound);
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(order.back(), "idle");
  std::sort(order.begin(), order.end() - 1);
  EXPECT_EQ(order, (std::vector<std::string>{"quick", "slow", "idle"}));
  // With nothing running the callback comes on the next loop turn, not inside the call.
  bool ran = false;
  loop.children().when_idle([&] {
    ran = true;
    loop.stop();
  });
  EXPECT_FALSE(ran);
  loop.run_for(kChildBound);
  EXPECT_TRUE(ran);
}

TEST(LoopChild, SuccessAndPathLookup) {
  auto r = run_child({.argv = {"true"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_TRUE(r->succeeded());
}

TEST(LoopChild, ReportsKillingSignal) {
  auto r = run_child({.argv = {"/bin/sh", "-c", "kill -9 $$"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->signal, SIGKILL);
  EXPECT_EQ(r->exit_code, -1);
}

TEST(LoopChild, MissingProgramIsASpawnError) {
  pid_t pid = 0;
  auto r = run_child({.argv = {"/nonexistent/vigil-no-such-program"}}, &pid);
  ASSERT_TRUE(r);
  EXPECT_EQ(pid, -1);
  EXPECT_EQ(r->spawn_errno, ENOENT);
  EXPECT_FALSE(r->succeeded());
}

TEST(LoopChild, NonExecutableFileIsASpawnError) {
  auto path = std::filesystem::temp_directory_path() / ("vgl-noexec-" + std::to_string(getpid()));
  std::ofstream(path) << "#!/bin/sh\nexit 0\n";
  std::filesystem::permissions(path, std::filesystem::perms::owner_read);
  auto r = run_child({.argv = {path.string()}});
  std::filesystem::remove(path);
  ASSERT_TRUE(r);
  EXPECT_NE(r->spawn_errno, 0);
}

TEST(LoopChild, ArgumentsArePassedVerbatimWithoutAShell) {
  auto r = run_child({.argv = {"/bin/echo", "a b", "$HOME", "'q'"}, .capture_output = true});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->output, "a b $HOME 'q'\n");
}

TEST(LoopChild, CapturesStdoutAndStderrUpToTheLimit) {
  auto r = run_child({.argv = {"/bin/sh", "-c", "echo out; echo err >&2; head -c 100000 /dev/zero"},
                      .capture_output = true,
                      .capture_limit = 100});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 0);
  ASSERT_EQ(r->output.size(), 100u);
  EXPECT_EQ(r->output.substr(0, 8), "out\nerr\n");
}

TEST(LoopChild, OutputGoesNowhereUnlessCaptured) {
  auto r = run_child({.argv = {"/bin/sh", "-c", "echo hidden"}});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->output.empty());
}

TEST(LoopChild, EnvironmentIsReplacedWhenGiven) {
  auto r = run_child({.argv = {"/bin/sh", "-c", "echo \"$VIGIL_X:$HOME\""},
                      .env = std::vector<std::string>{"VIGIL_X=1", "PATH=/usr/bin:/bin"},
                      .capture_output = true});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->output, "1:\n");
}

TEST(LoopChild, TimeoutTerminatesTheWholeProcessGroup) {
  // Become a subreaper so the orphaned grandchild is re-parented to us and can be waited for.
  ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  auto r = run_child({.argv = {"/bin/sh", "-c", "sleep 30 & echo $!; wait"},
                      .timeout = Millis(500),
                      .capture_output = true});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->signal, SIGTERM);
  pid_t grandchild = static_cast<pid_t>(std::atoi(r->output.c_str()));
  ASSERT_GT(grandchild, 0) << "output: " << r->output;
  int status = 0;
  ASSERT_EQ(::waitpid(grandchild, &status, 0), grandchild);  // at most sleep's 30 s if broken
  ::prctl(PR_SET_CHILD_SUBREAPER, 0);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
}

TEST(LoopChild, TimeoutEscalatesToSigkill) {
  auto r = run_child({.argv = {"/bin/sh", "-c", "trap '' TERM; sleep 30 & wait; sleep 30"},
                      .timeout = Millis(50),
                      .kill_grace = Millis(50)});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->signal, SIGKILL);
}

TEST(LoopChild, FinishedChildIsReapedImmediately) {
  pid_t pid = 0;
  auto r = run_child({.argv = {"true"}}, &pid);
  ASSERT_TRUE(r);
  ASSERT_GT(pid, 0);
  EXPECT_EQ(r->pid, pid);
  // Already reaped: there is nothing left to wait for.
  errno = 0;
  EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST(LoopChild, DestroyingTheLoopKillsAndReapsRunningChildren) {
  pid_t pid = 0;
  {
    Loop loop;
    bool done_called = false;
    pid = loop.spawn({.argv = {"sleep", "30"}}, [&](const ChildResult&) { done_called = true; });
    ASSERT_GT(pid, 0);
    EXPECT_EQ(loop.children().running(), 1u);
    EXPECT_FALSE(done_called);
  }
  errno = 0;
  EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
  EXPECT_NE(::kill(pid, 0), 0);
}

TEST(LoopChild, ManyConcurrentChildren) {
  Loop loop;
  constexpr int kCount = 20;
  int done = 0, ok = 0;
  for (int i = 0; i < kCount; ++i)
    loop.spawn({.argv = {"/bin/sh", "-c", "exit " + std::to_string(i % 3)}},
               [&, i](const ChildResult& r) {
                 if (r.exit_code == i % 3) ++ok;
                 if (++done == kCount) loop.stop();
               });
  ASSERT_TRUE(loop.run_for(kChildBound));
  EXPECT_EQ(ok, kCount);
  EXPECT_EQ(loop.children().running(), 0u);
}

TEST(LoopChild, RunsAsAnotherUserWhenRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  auto r = run_child({.argv = {"/bin/sh", "-c", "id -u; id -g; id -G"},
                      .uid = 65534,
                      .gid = 65534,
                      .capture_output = true});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->output, "65534\n65534\n65534\n");
}

TEST(LoopChild, DescriptorsAreNotInherited) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);  // deliberately without O_CLOEXEC
  std::string check = "[ -e /proc/self/fd/" + std::to_string(fds[0]) + " ] && exit 1; exit 0";
  auto r = run_child({.argv = {"/bin/sh", "-c", check}});
  ::close(fds[0]);
  ::close(fds[1]);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 0);
}

TEST(LoopChild, FindProgramSearchesPath) {
  EXPECT_EQ(find_program("sh", "/nonexistent:/bin"), "/bin/sh");
  EXPECT_EQ(find_program("./x", "/bin"), "./x");
  EXPECT_EQ(find_program("vigil-no-such-thing", "/bin:/usr/bin"), "");
  EXPECT_EQ(find_program("", "/bin"), "");
}

}  // namespace
}  // namespace vigil::loop
