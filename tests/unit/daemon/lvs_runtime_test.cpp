// LvsRuntime's wiring with a recording back end: initial state programmed at start, a checker
// transition re-applied with the quorum script run, a failed apply retried, and shutdown
// removing vigil's objects. The checker is a FILE_CHECK on a temporary file (no network).
#include "daemon/lvs_runtime.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>

#include "conf/load.h"
#include "lb/fake_data_plane.h"
#include "loop/loop.h"

namespace vigil::daemon {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "vigil-lvsrt-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream(p) << text;
}

// Stops the loop once `until()` holds after an apply.
class RecordingPlane : public lb::FakeDataPlane {
 public:
  lb::Result<void> apply(const lb::DesiredState& state) override {
    auto r = FakeDataPlane::apply(state);
    if (on_apply) on_apply();
    return r;
  }
  std::function<void()> on_apply;
};

std::string config_text(const fs::path& dir) {
  return "track_file rs_state {\n file \"" + (dir / "state").string() +
         "\"\n}\n"
         "virtual_server 203.0.113.100 80 {\n delay_loop 1\n lb_algo rr\n lb_kind NAT\n"
         " protocol TCP\n quorum_down \"" +
         (dir / "quorum_down.sh").string() +
         "\"\n"
         " real_server 198.51.100.11 80 {\n  weight 2\n  FILE_CHECK {\n   track_file rs_state\n"
         "   weight 0\n  }\n }\n}\n";
}

struct Fixture {
  TempDir dir;
  loop::Loop loop;
  std::optional<conf::Config> config;
  RecordingPlane* plane = nullptr;
  std::unique_ptr<LvsRuntime> lvs;

  void make() {
    write_file(dir.path() / "state", "0\n");
    write_file(dir.path() / "quorum_down.sh",
               "#!/bin/sh\necho down >> " + (dir.path() / "quorum.log").string() + "\n");
    ::chmod((dir.path() / "quorum_down.sh").c_str(), 0755);
    auto loaded = conf::load_config_text("lvs.conf", config_text(dir.path()), {});
    ASSERT_TRUE(loaded.config.has_value());
    config = std::move(*loaded.config);
    auto p = std::make_unique<RecordingPlane>();
    plane = p.get();
    lvs = LvsRuntime::create_with(loop, *config, {}, std::move(p));
  }
  // Runs the loop until `done()` holds (checked after each apply and each second), bounded.
  bool run_until(const std::function<bool()>& done, Millis limit = Millis(8000)) {
    plane->on_apply = [&] {
      if (done()) loop.stop();
    };
    if (!done()) loop.run_for(limit);
    plane->on_apply = nullptr;
    return done();
  }
};

TEST(LvsRuntime, ProgramsInitialStateThenFollowsTheChecker) {
  Fixture f;
  ASSERT_NO_FATAL_FAILURE(f.make());
  f.lvs->start();
  ASSERT_EQ(f.plane->applied.size(), 1u);
  ASSERT_EQ(f.plane->applied[0].services.size(), 1u);
  ASSERT_EQ(f.plane->applied[0].services[0].destinations.size(), 1u);
  EXPECT_EQ(f.plane->applied[0].services[0].destinations[0].weight, 2u);

  write_file(f.dir.path() / "state", "1\n");  // FILE_CHECK with weight 0: non-zero fails
  ASSERT_TRUE(f.run_until([&] { return f.plane->applied.size() >= 2; }));
  EXPECT_TRUE(f.plane->applied[1].services.at(0).destinations.empty());
  // The health change went to the back end naming its one service (nothing else compared).
  ASSERT_EQ(f.plane->hinted.size(), 1u);
  EXPECT_EQ(f.plane->hinted[0].first, 1u);
  EXPECT_EQ(f.plane->hinted[0].second,
            std::vector<lb::ServiceKey>{f.plane->applied[0].services[0].key});

  // quorum 1 lost: quorum_down runs.
  const fs::path log = f.dir.path() / "quorum.log";
  for (int i = 0; i < 80 && !fs::exists(log); ++i) f.loop.run_for(Millis(100));
  EXPECT_TRUE(fs::exists(log));

  bool done = false;
  f.lvs->shutdown([&] {
    done = true;
    f.loop.stop();
  });
  f.loop.run_for(Millis(6000));
  EXPECT_TRUE(done);
  EXPECT_EQ(f.plane->remove_all_calls, 1);
}

TEST(LvsRuntime, RetriesAFailedApply) {
  Fixture f;
  ASSERT_NO_FATAL_FAILURE(f.make());
  f.plane->fail_next = true;
  f.lvs->start();
  ASSERT_EQ(f.plane->applied.size(), 1u);
  ASSERT_TRUE(f.run_until([&] { return f.plane->applied.size() >= 2; }));
  EXPECT_EQ(f.plane->applied[1], f.plane->applied[0]);
  EXPECT_TRUE(f.plane->hinted.empty()) << "after a failure the whole state is compared";
}

TEST(LvsRuntime, KeepsTheDataPlaneWithDontReleaseIpvs) {
  Fixture f;
  ASSERT_NO_FATAL_FAILURE(f.make());
  auto p = std::make_unique<RecordingPlane>();
  RecordingPlane* plane = p.get();
  f.lvs = LvsRuntime::create_with(f.loop, *f.config, {lb::DataPlaneKind::Nft, true}, std::move(p));
  f.lvs->start();
  bool done = false;
  f.lvs->shutdown([&] {
    done = true;
    f.loop.stop();
  });
  f.loop.run_for(Millis(5000));
  EXPECT_TRUE(done);
  EXPECT_EQ(plane->remove_all_calls, 0);
}

// The fixture's configuration plus a real server without checker in its virtual server and,
// optionally, a second virtual server.
conf::Config reload_config(const fs::path& dir, bool second_vs) {
  std::string text = config_text(dir);
  text.insert(text.rfind("}\n"), " real_server 198.51.100.12 80 {\n }\n");
  if (second_vs)
    text +=
        "virtual_server 203.0.113.101 80 {\n lb_algo rr\n protocol TCP\n"
        " real_server 198.51.100.13 80 {\n }\n}\n";
  auto loaded = conf::load_config_text("lvs.conf", text, {});
  EXPECT_TRUE(loaded.config.has_value()) << loaded.diag.format(false);
  return loaded.config ? std::move(*loaded.config) : conf::Config{};
}

TEST(LvsRuntime, ReloadKeepsTheStateOfUnchangedRealServers) {
  Fixture f;
  ASSERT_NO_FATAL_FAILURE(f.make());
  f.lvs->start();
  write_file(f.dir.path() / "state", "1\n");  // the FILE_CHECK fails: 198.51.100.11 goes down
  ASSERT_TRUE(f.run_until([&] { return f.plane->applied.size() >= 2; }));
  ASSERT_TRUE(f.plane->applied.back().services.at(0).destinations.empty());
  const auto checker_runs = [&] {
    return f.lvs->status().at(0).real_servers.at(0).checkers.at(0).runs;
  };
  const uint64_t runs = checker_runs();
  ASSERT_GE(runs, 1u);

  // One real server and one virtual server added: the down one stays down (a rebuilt checker
  // would start up again, as at start), its checker keeps its run count.
  f.lvs->reload(reload_config(f.dir.path(), true));
  const lb::DesiredState& added = f.plane->applied.back();
  ASSERT_EQ(added.services.size(), 2u);
  ASSERT_EQ(added.services[0].destinations.size(), 1u);
  EXPECT_EQ(added.services[0].destinations[0].address.to_string(), "198.51.100.12");
  EXPECT_EQ(added.services[1].key.address.to_string(), "203.0.113.101");
  auto st = f.lvs->status();
  ASSERT_EQ(st.size(), 2u);
  EXPECT_FALSE(st[0].real_servers.at(0).up);
  EXPECT_GE(checker_runs(), runs);

  // The second virtual server removed: its service leaves the data plane, the rest stays.
  const size_t applies = f.plane->applied.size();
  f.lvs->reload(reload_config(f.dir.path(), false));
  ASSERT_EQ(f.plane->applied.size(), applies + 1);
  ASSERT_EQ(f.plane->applied.back().services.size(), 1u);
  EXPECT_EQ(f.plane->applied.back().services[0].key.address.to_string(), "203.0.113.100");
  EXPECT_FALSE(f.lvs->status().at(0).real_servers.at(0).up);
  EXPECT_GE(checker_runs(), runs);

  // Unchanged: nothing applied.
  f.lvs->reload(reload_config(f.dir.path(), false));
  EXPECT_EQ(f.plane->applied.size(), applies + 1);
}

}  // namespace
}  // namespace vigil::daemon
