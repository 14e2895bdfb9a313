#include "daemon/pidfile.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace vigil::daemon {
namespace {

namespace fs = std::filesystem;

class DaemonPidFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vgl-pid-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path() const { return (dir_ / "sub" / "vigild.pid").string(); }
  fs::path dir_;
};

// A pid that certainly names no process: a child we already reaped.
pid_t dead_pid() {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  ::waitpid(pid, nullptr, 0);
  return pid;
}

TEST_F(DaemonPidFile, CreatesWithPidAndMode0644AndRemovesOnDestruction) {
  ::mode_t old = ::umask(077);
  {
    std::string error;
    auto pf = PidFile::create(path(), 4242, error);
    ASSERT_TRUE(pf) << error;
    EXPECT_EQ(read_pid_file(path()), 4242);
    struct stat st {};
    ASSERT_EQ(::stat(path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0644u);
  }
  ::umask(old);
  EXPECT_FALSE(fs::exists(path()));
}

TEST_F(DaemonPidFile, RefusesWhenTheNamedProcessRuns) {
  std::string error;
  auto first = PidFile::create(path(), ::getpid(), error);
  ASSERT_TRUE(first) << error;
  auto second = PidFile::create(path(), ::getpid() + 100000, error);
  EXPECT_FALSE(second);
  EXPECT_NE(error.find("running"), std::string::npos) << error;
  EXPECT_EQ(read_pid_file(path()), ::getpid());  // untouched
}

TEST_F(DaemonPidFile, ReplacesAStaleFile) {
  fs::create_directories(dir_ / "sub");
  pid_t dead = dead_pid();
  std::ofstream(path()) << dead << "\n";
  std::string error;
  auto pf = PidFile::create(path(), ::getpid(), error);
  ASSERT_TRUE(pf) << error;
  EXPECT_EQ(read_pid_file(path()), ::getpid());
}

TEST_F(DaemonPidFile, ReplacesAFileNamingAZombie) {
  // An exited child not yet reaped, as a worker killed with its supervisor is until init
  // gets to it.
  pid_t zombie = ::fork();
  if (zombie == 0) ::_exit(0);
  siginfo_t info{};
  ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(zombie), &info, WEXITED | WNOWAIT), 0);
  EXPECT_FALSE(process_exists(zombie));
  fs::create_directories(dir_ / "sub");
  std::ofstream(path()) << zombie << "\n";
  std::string error;
  auto pf = PidFile::create(path(), ::getpid(), error);
  EXPECT_TRUE(pf) << error;
  ::waitpid(zombie, nullptr, 0);
}

TEST_F(DaemonPidFile, ReplacesGarbage) {
  fs::create_directories(dir_ / "sub");
  std::ofstream(path()) << "not a pid\n";
  std::string error;
  EXPECT_TRUE(PidFile::create(path(), ::getpid(), error)) << error;
}

TEST_F(DaemonPidFile, LeavesAFileThatIsNoLongerOurs) {
  std::string error;
  {
    auto pf = PidFile::create(path(), 4242, error);
    ASSERT_TRUE(pf) << error;
    std::ofstream(path()) << "4343\n";  // another instance took over
  }
  EXPECT_EQ(read_pid_file(path()), 4343);
}

TEST_F(DaemonPidFile, ReportsUncreatableDirectory) {
  std::string error;
  auto pf = PidFile::create("/proc/vgl-no/such/dir.pid", 1, error);
  EXPECT_FALSE(pf);
  EXPECT_NE(error.find("/proc/vgl-no/such/dir.pid"), std::string::npos);
}

TEST_F(DaemonPidFile, MovedFromObjectDoesNotRemove) {
  std::string error;
  auto pf = PidFile::create(path(), 4242, error);
  ASSERT_TRUE(pf);
  {
    PidFile moved = std::move(*pf);
    pf.reset();
    EXPECT_TRUE(fs::exists(path()));
  }
  EXPECT_FALSE(fs::exists(path()));
}

}  // namespace
}  // namespace vigil::daemon
