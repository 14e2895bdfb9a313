#include "notify/script_runner.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "loop/loop.h"
#include "notify/notify_args.h"

namespace vigil::notify {
namespace {

namespace fs = std::filesystem;

constexpr Millis kRunnerBound{10000};
constexpr uid_t kNobody = 65534;

class ScriptRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vgl-script-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ::chmod(dir_.c_str(), 0755);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write_script(const std::string& name, const std::string& body, mode_t mode = 0755) {
    auto path = dir_ / name;
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    ::chmod(path.c_str(), mode);
    return path.string();
  }
  static ScriptCredentials root() { return ScriptCredentials{0, 0, {0}, "root"}; }
  static ScriptCredentials nobody() {
    return ScriptCredentials{kNobody, kNobody, {kNobody}, "nobody"};
  }
  static bool is_root() { return ::geteuid() == 0; }

  fs::path dir_;
};

TEST_F(ScriptRunnerTest, OwnedByRootAndNotWritableIsSecure) {
  if (!is_root()) GTEST_SKIP() << "needs root (files must be root-owned)";
  auto script = write_script("ok.sh", "exit 0");
  EXPECT_EQ(script_insecurity(script, root()), std::nullopt);
}

TEST_F(ScriptRunnerTest, WorldWritableScriptIsInsecure) {
  if (!is_root()) GTEST_SKIP() << "needs root";
  auto script = write_script("ww.sh", "exit 0", 0757);
  ::chmod(script.c_str(), 0757);  // past the umask
  auto why = script_insecurity(script, root());
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("writable by everyone"), std::string::npos) << *why;
}

TEST_F(ScriptRunnerTest, GroupWritableByNonRootGroupIsInsecure) {
  if (!is_root()) GTEST_SKIP() << "needs root";
  auto script = write_script("gw.sh", "exit 0");
  ASSERT_EQ(::chown(script.c_str(), 0, kNobody), 0);
  ::chmod(script.c_str(), 0775);
  auto why = script_insecurity(script, root());
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("writable by group"), std::string::npos) << *why;
  ASSERT_EQ(::chown(script.c_str(), 0, 0), 0);
  EXPECT_EQ(script_insecurity(script, root()), std::nullopt);  // root's group is fine
}

TEST_F(ScriptRunnerTest, ScriptOwnedByAnotherUserIsInsecureForRootButFineForThatUser) {
  if (!is_root()) GTEST_SKIP() << "needs root";
  auto script = write_script("owned.sh", "exit 0");
  ASSERT_EQ(::chown(script.c_str(), kNobody, kNobody), 0);
  auto why = script_insecurity(script, root());
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("owned by uid 65534"), std::string::npos) << *why;
  EXPECT_EQ(script_insecurity(script, nobody()), std::nullopt);
}

TEST_F(ScriptRunnerTest, WritableDirectoryMakesScriptInsecure) {
  if (!is_root()) GTEST_SKIP() << "needs root";
  fs::create_directories(dir_ / "open");
  ::chmod((dir_ / "open").c_str(), 0777);
  auto script = write_script("open/s.sh", "exit 0");
  auto why = script_insecurity(script, root());
  ASSERT_TRUE(why);
  EXPECT_NE(why->find((dir_ / "open").string()), std::string::npos) << *why;
}

TEST_F(ScriptRunnerTest, StickyDirectoryIsFineWhenTheEntryIsTrusted) {
  if (!is_root()) GTEST_SKIP() << "needs root";
  fs::create_directories(dir_ / "sticky");
  ::chmod((dir_ / "sticky").c_str(), 01777);
  auto script = write_script("sticky/s.sh", "exit 0");
  EXPECT_EQ(script_insecurity(script, root()), std::nullopt);
  ASSERT_EQ(::chown(script.c_str(), kNobody, kNobody), 0);
  EXPECT_TRUE(script_insecurity(script, root()));
}

TEST_F(ScriptRunnerTest, SymlinkTargetIsChecked) {
  if (!is_root()) GTEST_SKIP() << "needs root";
  fs::create_directories(dir_ / "open");
  ::chmod((dir_ / "open").c_str(), 0777);
  auto target = write_script("open/real.sh", "exit 0");
  fs::create_symlink(target, dir_ / "link.sh");
  EXPECT_TRUE(script_insecurity((dir_ / "link.sh").string(), root()));
}

TEST_F(ScriptRunnerTest, ResolvesUsersAndGroups) {
  std::string error;
  auto root_creds = resolve_script_user("root", std::nullopt, error);
  ASSERT_TRUE(root_creds) << error;
  EXPECT_EQ(root_creds->uid, 0u);
  EXPECT_EQ(root_creds->gid, 0u);
  if (::getpwnam("nobody")) {
    auto n = resolve_script_user("nobody", std::string("root"), error);
    ASSERT_TRUE(n) << error;
    EXPECT_EQ(n->gid, 0u);  // explicit group wins over the primary one
  }
  EXPECT_FALSE(resolve_script_user("vgl-no-such-user", std::nullopt, error));
  EXPECT_NE(error.find("vgl-no-such-user"), std::string::npos);
  EXPECT_FALSE(resolve_script_user("root", std::string("vgl-no-such-group"), error));
  EXPECT_NE(error.find("vgl-no-such-group"), std::string::npos);
}

TEST_F(ScriptRunnerTest, DefaultUserIsKeepalivedScriptOrSelf) {
  auto c = default_script_user();
  if (::getpwnam("keepalived_script"))
    EXPECT_EQ(c.user, "keepalived_script");
  else
    EXPECT_EQ(c.uid, ::geteuid());
}

TEST_F(ScriptRunnerTest, PrepareRefusesInsecureScriptWithScriptSecurity) {
  if (!is_root()) GTEST_SKIP() << "needs root";
  auto script = write_script("ww.sh", "exit 0");
  ::chmod(script.c_str(), 0777);
  loop::Loop loop;
  ScriptRunnerOptions secure;
  secure.enable_script_security = true;
  secure.script_user = "root";
  ScriptRunner strict(loop, secure);
  std::string error;
  EXPECT_FALSE(strict.prepare({script + " arg"}, error));
  EXPECT_NE(error.find("enable_script_security"), std::string::npos) << error;
  EXPECT_NE(error.find("writable by everyone"), std::string::npos) << error;

  ScriptRunnerOptions lax;
  lax.script_user = "root";
  ScriptRunner relaxed(loop, lax);
  auto p = relaxed.prepare({script + " arg"}, error);
  ASSERT_TRUE(p) << error;
  EXPECT_TRUE(p->insecure);
}

TEST_F(ScriptRunnerTest, PrepareReportsMissingScriptAndBadQuoting) {
  loop::Loop loop;
  ScriptRunner runner(loop, {});
  std::string error;
  EXPECT_FALSE(runner.prepare({(dir_ / "missing.sh").string()}, error));
  EXPECT_NE(error.find("missing.sh"), std::string::npos) << error;
  EXPECT_FALSE(runner.prepare({"/bin/true 'unterminated"}, error));
  EXPECT_NE(error.find("unterminated"), std::string::npos) << error;
  EXPECT_FALSE(runner.prepare({"/bin/true", {}, std::string("vgl-no-such-user")}, error));
}

TEST_F(ScriptRunnerTest, PrepareFindsBareNamesInPath) {
  loop::Loop loop;
  ScriptRunnerOptions o;
  o.env = std::vector<std::string>{"PATH=/nonexistent:/bin"};
  ScriptRunner runner(loop, o);
  std::string error;
  auto p = runner.prepare({"sh -c 'exit 0'"}, error);
  ASSERT_TRUE(p) << error;
  EXPECT_EQ(p->argv, (std::vector<std::string>{"/bin/sh", "-c", "exit 0"}));
}

TEST_F(ScriptRunnerTest, PreSplitWordsAreUsedAsGiven) {
  loop::Loop loop;
  ScriptRunner runner(loop, {});
  std::string error;
  auto p = runner.prepare({"ignored 'text", {"/bin/sh", "-c", "exit 3"}}, error);
  ASSERT_TRUE(p) << error;
  EXPECT_EQ(p->argv, (std::vector<std::string>{"/bin/sh", "-c", "exit 3"}));
}

TEST_F(ScriptRunnerTest, RunsNotifyWithKeepalivedArguments) {
  auto out = dir_ / "args.txt";
  auto script = write_script("notify.sh", "printf '%s\\n' \"$@\" > " + out.string());
  loop::Loop loop;
  ScriptRunnerOptions o;
  o.script_user = ::getpwuid(::geteuid())->pw_name;
  ScriptRunner runner(loop, o);
  std::string error;
  auto p = runner.prepare({script + " 'first arg'"}, error);
  ASSERT_TRUE(p) << error;
  std::optional<loop::ChildResult> result;
  runner.run(*p, notify_script_argv({}, NotifySubject::Instance, "VI_1", NotifyState::Master, 100),
             [&](const loop::ChildResult& r) {
               result = r;
               loop.stop();
             });
  ASSERT_TRUE(loop.run_for(kRunnerBound));
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->succeeded());
  std::stringstream args;
  args << std::ifstream(out).rdbuf();
  EXPECT_EQ(args.str(), "first arg\nINSTANCE\nVI_1\nMASTER\n100\n");
}

TEST_F(ScriptRunnerTest, NotifyTimeoutKillsAHungScript) {
  auto script = write_script("hang.sh", "exec sleep 30");
  loop::Loop loop;
  ScriptRunnerOptions o;
  o.script_user = ::getpwuid(::geteuid())->pw_name;
  o.notify_timeout = Millis(50);
  ScriptRunner runner(loop, o);
  std::string error;
  auto p = runner.prepare({script}, error);
  ASSERT_TRUE(p) << error;
  std::optional<loop::ChildResult> result;
  runner.run(*p, {}, [&](const loop::ChildResult& r) {
    result = r;
    loop.stop();
  });
  ASSERT_TRUE(loop.run_for(kRunnerBound));
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->timed_out);
}

// The runner logs how a script ended, once, naming the script, what runs it and the outcome.
TEST_F(ScriptRunnerTest, LogsTheEndOnceWithScriptPurposeAndOutcome) {
  auto hang = write_script("hang.sh", "exec sleep 30");
  auto fail = write_script("fail.sh", "exit 3");
  std::ostringstream logged;
  auto previous = spdlog::default_logger();
  auto capture = std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_st>(logged));
  capture->set_pattern("%v");
  capture->set_level(spdlog::level::info);
  spdlog::set_default_logger(capture);
  loop::Loop loop;
  ScriptRunnerOptions o;
  o.script_user = ::getpwuid(::geteuid())->pw_name;
  ScriptRunner runner(loop, o);
  std::string error;
  auto ph = runner.prepare({hang}, error);
  auto pf = runner.prepare({fail}, error);
  ASSERT_TRUE(ph && pf) << error;
  ph->purpose = "quorum_up of VS [192.0.2.1]:tcp:80";
  int ended = 0;
  auto count_end = [&](const loop::ChildResult&) {
    if (++ended == 2) loop.stop();
  };
  runner.run(*ph, {}, Millis(50), count_end);
  runner.run(*pf, {}, std::nullopt, count_end);
  const bool finished = loop.run_for(kRunnerBound);
  spdlog::set_default_logger(previous);
  ASSERT_TRUE(finished);
  const std::string text = logged.str();
  const std::string timed_out =
      "script '" + hang +
      "' (quorum_up of VS [192.0.2.1]:tcp:80) timed out after 0.05 s and was "
      "killed\n";
  const std::string exited = "script '" + fail + "' exited with status 3\n";
  EXPECT_NE(text.find(timed_out), std::string::npos) << text;
  EXPECT_NE(text.find(exited), std::string::npos) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;
}

TEST_F(ScriptRunnerTest, RunsAsTheConfiguredUser) {
  if (!is_root() || !::getpwnam("nobody")) GTEST_SKIP() << "needs root and user nobody";
  // The exit status carries the uid the script saw (65534 % 256 == 254).
  auto script = write_script("who.sh", "exit $(( $(id -u) % 256 ))");
  loop::Loop loop;
  ScriptRunner runner(loop, {});
  std::string error;
  auto p = runner.prepare({script, {}, std::string("nobody")}, error);
  ASSERT_TRUE(p) << error;
  EXPECT_EQ(p->creds.uid, kNobody);
  std::optional<loop::ChildResult> result;
  runner.run(*p, {}, [&](const loop::ChildResult& r) {
    result = r;
    loop.stop();
  });
  ASSERT_TRUE(loop.run_for(kRunnerBound));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->exit_code, static_cast<int>(kNobody % 256));
}

}  // namespace
}  // namespace vigil::notify
