// The worker's half of the two-phase reload: prepare changes nothing, abort drops, commit
// applies what was prepared (or loads the file when nothing was), numbers settle in order.
#include "daemon/staged_reload.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "control/commands.h"
#include "control/protocol.h"

namespace vigil::daemon {
namespace {

constexpr const char* kStagedValid = "global_defs {\n  router_id one\n}\n";
constexpr const char* kStagedInvalid = "global_defs {\n  router_idd one\n}\n";

struct StagedFixture : ::testing::Test {
  void SetUp() override {
    char tmpl[] = "/tmp/vigil-staged-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir = tmpl;
    options.config_file = dir + "/keepalived.conf";
  }
  void TearDown() override {
    std::remove(options.config_file.c_str());
    ::rmdir(dir.c_str());
  }
  void write(const char* text) { std::ofstream(options.config_file) << text; }
  StagedReload make() {
    return StagedReload(options, [this](std::optional<conf::LoadResult> prepared) {
      applied.push_back(!prepared                      ? "loaded now"
                        : prepared->config.has_value() ? "prepared valid"
                                                       : "prepared invalid");
      return std::string();
    });
  }
  std::string dir;
  Options options;
  std::vector<std::string> applied;
};

TEST_F(StagedFixture, PrepareAppliesNothingAndCommitAppliesThePreparedLoad) {
  write(kStagedValid);
  StagedReload staged = make();
  auto r = staged.prepare(1);
  EXPECT_TRUE(r.value("valid", false)) << r.dump();
  EXPECT_TRUE(applied.empty());
  // The file may change after the prepare: the commit applies what was prepared.
  write(kStagedInvalid);
  EXPECT_EQ(staged.commit(1), "");
  EXPECT_EQ(applied, std::vector<std::string>{"prepared valid"});
  // Repeated or late requests of a settled number do nothing.
  EXPECT_EQ(staged.commit(1), "");
  EXPECT_TRUE(staged.prepare(1).value("stale", false));
  EXPECT_EQ(applied.size(), 1u);
}

TEST_F(StagedFixture, AbortDropsThePreparedLoadAndAnInvalidFileIsReportedAsSuch) {
  write(kStagedInvalid);
  StagedReload staged = make();
  auto r = staged.prepare(1);
  EXPECT_FALSE(r.value("valid", true));
  EXPECT_EQ(r.value("errors", 0), 1);
  staged.abort(1);
  EXPECT_EQ(staged.commit(1), "");  // settled by the abort
  EXPECT_TRUE(applied.empty());
}

TEST_F(StagedFixture, CommitWithoutItsPrepareLoadsTheFileThen) {
  write(kStagedValid);
  StagedReload staged = make();
  staged.prepare(1);
  // Prepare 1's answer was lost; the supervisor went on to reload 2 and commits it.
  EXPECT_EQ(staged.commit(2), "");
  EXPECT_EQ(applied, std::vector<std::string>{"loaded now"});
  // A prepare that arrives after its commit is stale.
  EXPECT_TRUE(staged.prepare(2).value("stale", false));
  // A newer prepare replaces an unsettled older one.
  staged.prepare(3);
  staged.prepare(4);
  EXPECT_EQ(staged.commit(4), "");
  EXPECT_EQ(applied.back(), "prepared valid");
}

TEST_F(StagedFixture, CommandsNeedAGenerationNumber) {
  write(kStagedValid);
  StagedReload staged = make();
  control::CommandRegistry registry;
  staged.register_commands(registry);
  auto bad = registry.dispatch(R"({"command": "reload-commit"})");
  EXPECT_FALSE(bad.value("ok", true)) << bad.dump();
  auto prepared = registry.dispatch(R"({"command": "reload-prepare", "generation": 7})");
  EXPECT_TRUE(prepared.value("ok", false)) << prepared.dump();
  EXPECT_TRUE(prepared.value("valid", false)) << prepared.dump();
  auto committed = registry.dispatch(R"({"command": "reload-commit", "generation": 7})");
  EXPECT_TRUE(committed.value("ok", false)) << committed.dump();
  EXPECT_EQ(applied, std::vector<std::string>{"prepared valid"});
}

}  // namespace
}  // namespace vigil::daemon
