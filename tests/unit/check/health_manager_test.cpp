// HealthManager built from keepalived.conf text: initial state (alpha, no checker), changes
// reported when real servers go down / come up / change dynamic weight, against real peers in a
// private network namespace.
#include "check/health_manager.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "../testing/netns.h"
#include "check_test_util.h"
#include "conf/load.h"

namespace vigil::check {
namespace {

using namespace testutil;

conf::Config load(const std::string& text) {
  conf::LoadResult r = conf::load_config_text("test.conf", text, {});
  if (!r.config) {
    ADD_FAILURE() << r.diag.format(false);
    return {};
  }
  return *r.config;
}

TEST(HealthManager, ReportsInitialStateAndChanges) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    Listener up;
    uint16_t down_port = closed_port();
    char tmpl[] = "/tmp/vigil-hm-XXXXXX";
    std::string dir = ::mkdtemp(tmpl);
    std::string script = dir + "/w.sh";
    std::ofstream(script) << "#!/bin/sh\nexit 12\n";
    ::chmod(script.c_str(), 0755);
    std::string text = R"(
virtual_server 203.0.113.10 80 {
  delay_loop 1
  warmup 0
  protocol TCP
  real_server 127.0.0.1 )" +
                       std::to_string(up.port) + R"( {
    TCP_CHECK {
      connect_timeout 2
    }
  }
  real_server 127.0.0.1 )" +
                       std::to_string(down_port) + R"( {
    TCP_CHECK {
      connect_timeout 2
      retry 0
    }
  }
  real_server 127.0.0.2 80 {
  }
  real_server 127.0.0.3 )" +
                       std::to_string(up.port) + R"( {
    alpha
    TCP_CHECK {
      connect_ip 127.0.0.1
      connect_timeout 2
    }
  }
  real_server 127.0.0.4 80 {
    weight 5
    MISC_CHECK {
      misc_path ")" + script +
                       R"("
      misc_dynamic
    }
  }
}
)";
    conf::Config config = load(text);
    loop::Loop loop;
    std::map<size_t, HealthChange> changes;
    HealthManager hm(loop, config, [&](const HealthChange& c) {
      changes[c.rs.rs_index] = c;
      if (changes.size() == 3) loop.stop();
    });
    EXPECT_TRUE(hm.errors().empty());
    const auto& initial = hm.initial();
    ASSERT_EQ(initial.size(), 5u);
    EXPECT_TRUE(initial[0].up);
    EXPECT_TRUE(initial[1].up);
    EXPECT_TRUE(initial[2].up);
    EXPECT_TRUE(initial[2].checkers.empty());
    EXPECT_FALSE(initial[3].up) << "alpha starts down";
    EXPECT_TRUE(initial[4].up);
    EXPECT_EQ(initial[4].weight, std::nullopt);

    hm.start();
    loop.run_for(Millis(15000));
    ASSERT_EQ(changes.size(), 3u);
    EXPECT_FALSE(changes[1].up);
    EXPECT_NE(changes[1].reason.find("failed"), std::string::npos) << changes[1].reason;
    EXPECT_TRUE(changes[3].up);
    EXPECT_TRUE(changes[4].up);
    EXPECT_EQ(changes[4].weight, 10u);
    EXPECT_EQ(changes.count(0), 0u) << "a healthy server never changes";

    auto snap = hm.snapshot();
    ASSERT_EQ(snap.size(), 5u);
    EXPECT_FALSE(snap[1].up);
    ASSERT_EQ(snap[1].checkers.size(), 1u);
    EXPECT_EQ(snap[1].checkers[0].kind, "TCP_CHECK");
    EXPECT_GE(snap[1].checkers[0].failures, 1u);
    EXPECT_EQ(snap[4].weight, 10u);
    hm.stop();
    std::filesystem::remove_all(dir);
  });
}

TEST(HealthManager, UnsupportedCheckerIsReportedNotFatal) {
  conf::Config config = load(R"(
bfd_instance b1 {
  neighbor_ip 198.51.100.1
}
virtual_server 203.0.113.10 80 {
  real_server 198.51.100.2 80 {
    BFD_CHECK {
      name b1
    }
  }
}
)");
  loop::Loop loop;
  HealthManager hm(loop, config, {});
  EXPECT_EQ(hm.errors().size(), 1u);
  ASSERT_EQ(hm.initial().size(), 1u);
  EXPECT_TRUE(hm.initial()[0].up);
}

}  // namespace
}  // namespace vigil::check
