// MISC_CHECK (real child processes on the Loop) and FILE_CHECK (real files).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "check/checker_driver.h"
#include "check/file_check.h"
#include "check/misc_check.h"
#include "check_test_util.h"
#include "notify/script_runner.h"

namespace vigil::check {
namespace {

using namespace testutil;
namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/vigil-check-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string script(const std::string& name, const std::string& body) {
    fs::path p = path / name;
    std::ofstream(p) << "#!/bin/sh\n" << body << "\n";
    ::chmod(p.c_str(), 0755);
    return p.string();
  }
  std::string file(const std::string& name, const std::string& content) {
    fs::path p = path / name;
    std::ofstream(p) << content;
    return p.string();
  }
};

struct MiscFixture : ::testing::Test {
  loop::Loop loop;
  notify::ScriptRunner runner{loop, notify::ScriptRunnerOptions{}};
  TempDir dir;

  std::unique_ptr<MiscCheck> make(const std::string& command, bool dynamic,
                                  Micros timeout = Millis(5000)) {
    std::string error;
    auto prepared = runner.prepare(notify::ScriptConfig{command}, error);
    EXPECT_TRUE(prepared) << error;
    if (!prepared) return nullptr;
    return std::make_unique<MiscCheck>(loop, runner, *prepared, timeout, dynamic, 5);
  }
};

TEST_F(MiscFixture, ExitZeroIsSuccessAndArgumentsArePassed) {
  std::string marker = (dir.path / "ran").string();
  auto c = make(dir.script("ok.sh", "echo \"$1\" > " + marker + "; exit 0") + " first", false);
  auto r = check_once(loop, *c);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->success) << r->message;
  std::ifstream in(marker);
  std::string word;
  in >> word;
  EXPECT_EQ(word, "first");
}

TEST_F(MiscFixture, NonZeroExitIsFailure) {
  auto c = make(dir.script("fail.sh", "exit 3"), false);
  auto r = check_once(loop, *c);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->success);
  EXPECT_NE(r->message.find("exit status 3"), std::string::npos) << r->message;
}

TEST_F(MiscFixture, DynamicExitSetsTheWeight) {
  auto c = make(dir.script("w.sh", "exit 12"), true);
  auto r = check_once(loop, *c);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->success) << r->message;
  ASSERT_TRUE(r->weight_delta);
  EXPECT_EQ(*r->weight_delta, 12 - 2 - 5);  // weight 10 against the configured 5
  auto down = make(dir.script("d.sh", "exit 1"), true);
  auto r2 = check_once(loop, *down);
  ASSERT_TRUE(r2);
  EXPECT_FALSE(r2->success);
}

TEST_F(MiscFixture, ScriptRunningPastItsTimeoutIsKilledAndFails) {
  auto c = make(dir.script("hang.sh", "exec sleep 30"), false, Millis(200));
  auto r = check_once(loop, *c);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->success);
  EXPECT_NE(r->message.find("timed out"), std::string::npos) << r->message;
}

TEST(FileCheck, ValueAndWeightRules) {
  TempDir dir;
  loop::Loop loop;
  std::string path = dir.file("state", "0\n");
  FileCheck plain(loop, FileCheckOptions{path, 0, false, false});
  auto r = check_once(loop, plain);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->success) << r->message;

  dir.file("state", "1\n");
  r = check_once(loop, plain);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->success) << "weight 0: non-zero means down";

  dir.file("state", "7\n");
  FileCheck dynamic(loop, FileCheckOptions{path, 2, false, true});
  r = check_once(loop, dynamic);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->success);
  EXPECT_EQ(r->weight_delta, 14);
}

TEST(FileCheck, MissingFileReadsAsZero) {
  loop::Loop loop;
  FileCheck c(loop, FileCheckOptions{"/nonexistent/vigil/file", 0, false, false});
  auto r = check_once(loop, c);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->success);
}

}  // namespace
}  // namespace vigil::check

namespace vigil::check {
namespace {

// A changed file is read at once (inotify), not only at the next delay_loop.
TEST(FileCheck, DriverReactsToAFileChangeBeforeTheNextDelayLoop) {
  TempDir dir;
  std::string path = dir.file("state", "0\n");
  loop::Loop loop;
  int changes = 0;
  // alpha: starts down, so the first reading (0: OK) is a reported change we can await.
  CheckerPolicy policy{true, 0, std::chrono::seconds(600), std::chrono::seconds(600), Micros(0)};
  CheckerDriver driver(loop,
                       std::make_unique<FileCheck>(loop, FileCheckOptions{path, 0, false, false}),
                       policy, false, [&] {
                         ++changes;
                         loop.stop();
                       });
  driver.start(Micros(0));
  loop.run_for(Millis(5000));
  ASSERT_EQ(changes, 1);
  EXPECT_TRUE(driver.up());
  dir.file("state", "1\n");
  // The next scheduled reading is 600 s away: only the file change can bring this in time.
  loop.run_for(Millis(5000));
  EXPECT_EQ(changes, 2);
  EXPECT_FALSE(driver.up());
  EXPECT_EQ(driver.status().runs, 2u);
}

}  // namespace
}  // namespace vigil::check
