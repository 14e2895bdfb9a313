// HealthManager::reconfigure (SIGHUP reload): checkers of unchanged real servers keep running
// with their state (their run counters continue, nothing is re-probed from scratch); only added
// real servers and changed checkers are built; removed ones go. FILE_CHECK on a temporary
// file, so no network and no root are needed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "check/health_manager.h"
#include "conf/load.h"
#include "conf/lvs_match.h"
#include "loop/loop.h"
#include "loop/timer.h"

namespace vigil::check {
namespace {

namespace fs = std::filesystem;

struct HmReloadDir {
  HmReloadDir() {
    std::string tmpl = (fs::temp_directory_path() / "vigil-hmrl-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
    std::ofstream(path / "state") << "0\n";
  }
  ~HmReloadDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

std::string hm_reload_rs(const std::string& addr, const std::string& extra = "") {
  return "  real_server " + addr + " 80 {\n    FILE_CHECK {\n      track_file st\n" + extra +
         "    }\n  }\n";
}

// Two virtual servers; `vs1_rs` are the first one's real servers.
std::string hm_reload_text(const fs::path& dir, const std::string& vs1_rs, bool with_vs2 = true) {
  std::string t = "track_file st {\n  file \"" + (dir / "state").string() + "\"\n}\n" +
                  "virtual_server 203.0.113.10 80 {\n  delay_loop 1\n  warmup 0\n  protocol TCP\n" +
                  vs1_rs + "}\n";
  if (with_vs2)
    t += "virtual_server 203.0.113.11 80 {\n  delay_loop 1\n  warmup 0\n  protocol TCP\n" +
         hm_reload_rs("198.51.100.3") + "}\n";
  return t;
}

conf::Config hm_reload_load(const std::string& text) {
  conf::LoadResult r = conf::load_config_text("reload.conf", text, {});
  if (!r.config) {
    ADD_FAILURE() << r.diag.format(false);
    return {};
  }
  return std::move(*r.config);
}

// Runs the loop until every checker completed at least one check (bounded).
bool hm_reload_run_until_checked(loop::Loop& loop, const HealthManager& hm) {
  auto all_ran = [&] {
    for (const auto& h : hm.snapshot())
      for (const auto& c : h.checkers)
        if (c.runs == 0) return false;
    return true;
  };
  std::unique_ptr<loop::Timer> poll;
  poll = std::make_unique<loop::Timer>(loop, [&] {
    if (all_ran())
      loop.stop();
    else
      poll->arm_after(Millis(50));
  });
  poll->arm_after(Millis(50));
  loop.run_for(Millis(10000));
  return all_ran();
}

struct HmReloadRun {
  uint64_t runs = 0;
  MonoTime last_run{};
};

// Per real server address: its only checker's run counter and last run.
std::map<std::string, HmReloadRun> hm_reload_runs(const conf::Config& c, const HealthManager& hm) {
  std::map<std::string, HmReloadRun> out;
  for (const auto& h : hm.snapshot()) {
    const auto& rs = c.lvs.virtual_servers[h.rs.vs_index].real_servers[h.rs.rs_index];
    EXPECT_EQ(h.checkers.size(), 1u);
    if (h.checkers.size() == 1)
      out[rs.address.to_string()] = {h.checkers[0].runs, h.checkers[0].last_run};
  }
  return out;
}

TEST(HealthManagerReload, AddingOneRealServerKeepsEveryOtherChecker) {
  HmReloadDir dir;
  conf::Config a = hm_reload_load(
      hm_reload_text(dir.path, hm_reload_rs("198.51.100.1") + hm_reload_rs("198.51.100.2")));
  loop::Loop loop;
  int changes = 0;
  HealthManager hm(loop, a, [&](const HealthChange&) { ++changes; });
  hm.start();
  ASSERT_TRUE(hm_reload_run_until_checked(loop, hm));
  const auto before = hm_reload_runs(a, hm);

  // The new real server comes first: every other one moves to another index and line.
  conf::Config b = hm_reload_load(hm_reload_text(
      dir.path,
      hm_reload_rs("198.51.100.9") + hm_reload_rs("198.51.100.1") + hm_reload_rs("198.51.100.2")));
  EXPECT_EQ(hm.reconfigure(a, b, conf::match_lvs(a.lvs, b.lvs)), 1u);
  const auto after = hm_reload_runs(b, hm);
  ASSERT_EQ(after.size(), 4u);
  for (const char* kept : {"198.51.100.1", "198.51.100.2", "198.51.100.3"}) {
    EXPECT_GE(after.at(kept).runs, 1u) << kept;
    EXPECT_EQ(after.at(kept).runs, before.at(kept).runs) << kept;
    EXPECT_EQ(after.at(kept).last_run, before.at(kept).last_run) << kept;
  }
  EXPECT_EQ(after.at("198.51.100.9").runs, 0u);
  // The kept checkers report under their new indices; the new one gets started and runs.
  ASSERT_TRUE(hm_reload_run_until_checked(loop, hm));
  const auto v = hm.verdicts();
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].rs.rs_index, 0u);
  EXPECT_EQ(v[1].rs.rs_index, 1u);
  EXPECT_EQ(changes, 0) << "every real server stayed up";
  hm.stop();
}

TEST(HealthManagerReload, AChangedCheckerIsTheOnlyOneRebuilt) {
  HmReloadDir dir;
  conf::Config a = hm_reload_load(
      hm_reload_text(dir.path, hm_reload_rs("198.51.100.1") + hm_reload_rs("198.51.100.2")));
  loop::Loop loop;
  HealthManager hm(loop, a, nullptr);
  hm.start();
  ASSERT_TRUE(hm_reload_run_until_checked(loop, hm));
  const auto before = hm_reload_runs(a, hm);

  conf::Config b = hm_reload_load(hm_reload_text(
      dir.path,
      hm_reload_rs("198.51.100.1") + hm_reload_rs("198.51.100.2", "      weight 3\n")));
  EXPECT_EQ(hm.reconfigure(a, b, conf::match_lvs(a.lvs, b.lvs)), 1u);
  const auto after = hm_reload_runs(b, hm);
  EXPECT_EQ(after.at("198.51.100.2").runs, 0u) << "changed: built again";
  EXPECT_EQ(after.at("198.51.100.1").runs, before.at("198.51.100.1").runs);
  EXPECT_EQ(after.at("198.51.100.3").runs, before.at("198.51.100.3").runs);

  // A weight change alone keeps a FILE_CHECK (only MISC_CHECK starts from the weight); the
  // second virtual server's removal drops its real server.
  conf::Config c = hm_reload_load(
      hm_reload_text(dir.path,
                     "  real_server 198.51.100.1 80 {\n    weight 7\n    FILE_CHECK {\n"
                     "      track_file st\n    }\n  }\n" +
                         hm_reload_rs("198.51.100.2", "      weight 3\n"),
                     false));
  EXPECT_EQ(hm.reconfigure(b, c, conf::match_lvs(b.lvs, c.lvs)), 0u);
  const auto kept = hm_reload_runs(c, hm);
  EXPECT_GE(kept.at("198.51.100.1").runs, before.at("198.51.100.1").runs);
  EXPECT_GE(kept.at("198.51.100.1").runs, 1u);
  EXPECT_EQ(hm.verdicts().size(), 2u);
  hm.stop();
}

}  // namespace
}  // namespace vigil::check
