// /metrics text: parsed back with the exposition format's grammar, then checked for values.
#include "control/metrics.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "test_status.h"

namespace vigil::control {
namespace {

struct Parsed {
  std::map<std::string, std::string> types;  // family → type
  std::map<std::string, double> samples;     // "name{labels}" → value
  std::vector<std::string> errors;
};

// Exposition format 0.0.4: "# HELP name text", "# TYPE name type", "name{l="v",...} value".
Parsed parse_exposition(const std::string& text) {
  static const std::regex kType(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge)$)");
  static const std::regex kHelp(R"(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$)");
  static const std::regex kSample(
      R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*\})? (-?[0-9.e+-]+)$)");
  Parsed p;
  std::set<std::string> seen_families;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) {
      p.errors.push_back("missing final newline");
      break;
    }
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    std::smatch m;
    if (std::regex_match(line, m, kType)) {
      if (!p.types.emplace(m[1], m[2]).second) p.errors.push_back("duplicate TYPE " + line);
    } else if (std::regex_match(line, m, kHelp)) {
    } else if (std::regex_match(line, m, kSample)) {
      const std::string name = m[1];
      if (!p.types.count(name)) p.errors.push_back("sample before its TYPE: " + line);
      const std::string key = name + m[2].str();
      if (!p.samples.emplace(key, std::stod(m[7])).second)
        p.errors.push_back("duplicate sample " + key);
    } else {
      p.errors.push_back("unparsable: " + line);
    }
  }
  return p;
}

TEST(ControlMetrics, OutputParsesAsPrometheusText) {
  ProcessInfo proc;
  proc.version = "0.1.0";
  proc.start_time_seconds = 1795626000;
  Parsed p = parse_exposition(render_metrics(testing::two_instances(), proc));
  EXPECT_TRUE(p.errors.empty()) << (p.errors.empty() ? "" : p.errors.front());
  EXPECT_GT(p.types.size(), 10u);
  for (const auto& [name, type] : p.types) {
    if (type == "counter") {
      EXPECT_TRUE(name.ends_with("_total")) << name;
    }
  }
}

TEST(ControlMetrics, ValuesFollowTheStatus) {
  ProcessInfo proc;
  proc.version = "0.1.0";
  auto status = testing::two_instances();
  Parsed p = parse_exposition(render_metrics(status, proc));
  auto v = [&](const std::string& key) {
    auto it = p.samples.find(key);
    EXPECT_NE(it, p.samples.end()) << key;
    return it == p.samples.end() ? -1.0 : it->second;
  };
  EXPECT_EQ(v(R"(vigil_vrrp_state{instance="VI_1",interface="eth0",vrid="51",state="MASTER"})"), 1);
  EXPECT_EQ(v(R"(vigil_vrrp_state{instance="VI_1",interface="eth0",vrid="51",state="BACKUP"})"), 0);
  EXPECT_EQ(
      v(R"(vigil_vrrp_state{instance="VI_\"odd\"",interface="eth1",vrid="52",state="BACKUP"})"), 1);
  EXPECT_EQ(v(R"(vigil_vrrp_priority{instance="VI_1"})"), 90);
  EXPECT_EQ(v(R"(vigil_vrrp_base_priority{instance="VI_1"})"), 100);
  EXPECT_EQ(v(R"(vigil_vrrp_priority_offset{instance="VI_1"})"), -10);
  EXPECT_EQ(v(R"(vigil_vrrp_transitions_total{instance="VI_1"})"), 4);
  EXPECT_EQ(v(R"(vigil_vrrp_adverts_sent_total{instance="VI_1"})"), 42);
  EXPECT_EQ(v(R"(vigil_vrrp_adverts_received_total{instance="VI_1"})"), 7);
  EXPECT_EQ(v(R"(vigil_vrrp_discards_total{instance="VI_1",reason="ttl_not_255"})"), 3);
  EXPECT_EQ(v(R"(vigil_vrrp_discards_total{instance="VI_1",reason="auth_failure"})"), 5);
  EXPECT_EQ(p.samples.count(R"(vigil_vrrp_discards_total{instance="VI_1",reason="vrid_mismatch"})"),
            0u);
  EXPECT_DOUBLE_EQ(v(R"(vigil_vrrp_last_transition_timestamp_seconds{instance="VI_1"})"),
                   1795626050.5);
  EXPECT_EQ(v(R"(vigil_info{version="0.1.0"})"), 1);

  status.instances[0].state = vrrp::State::Backup;
  Parsed q = parse_exposition(render_metrics(status, proc));
  EXPECT_EQ(
      q.samples[R"(vigil_vrrp_state{instance="VI_1",interface="eth0",vrid="51",state="MASTER"})"],
      0);
  EXPECT_EQ(
      q.samples[R"(vigil_vrrp_state{instance="VI_1",interface="eth0",vrid="51",state="BACKUP"})"],
      1);
}

TEST(ControlMetrics, ProcessInfoReadsProcSelf) {
  ProcessInfo p = current_process_info(5);
  EXPECT_EQ(p.start_time_seconds, 5);
  EXPECT_GT(p.resident_memory_bytes, 0);
  EXPECT_GE(p.open_fds, 3);
}

}  // namespace
}  // namespace vigil::control
