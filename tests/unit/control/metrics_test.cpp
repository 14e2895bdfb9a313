// /metrics text: parsed back with the exposition format's grammar, then checked for values.
#include "control/metrics.h"

#include <gtest/gtest.h>

#include <cstring>
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
  static const std::regex kType(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)$)");
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
      // A histogram's series are <family>_bucket (with `le`), _sum and _count.
      std::string family = name;
      for (const char* suffix : {"_bucket", "_sum", "_count"})
        if (name.ends_with(suffix) && !p.types.count(name)) {
          const std::string base = name.substr(0, name.size() - std::strlen(suffix));
          if (p.types.count(base) && p.types[base] == "histogram") family = base;
        }
      if (!p.types.count(family)) p.errors.push_back("sample before its TYPE: " + line);
      if (family != name && name.ends_with("_bucket") &&
          m[2].str().find("le=\"") == std::string::npos)
        p.errors.push_back("bucket without le: " + line);
      const std::string key = name + m[2].str();
      if (!p.samples.emplace(key, std::stod(m[7])).second)
        p.errors.push_back("duplicate sample " + key);
    } else {
      p.errors.push_back("unparsable: " + line);
    }
  }
  return p;
}

// One virtual server, one real server with a TCP_CHECK that ran three times.
LvsStatus one_virtual_server() {
  check::CheckerStatus c;
  c.kind = "TCP_CHECK";
  c.up = false;
  c.runs = 3;
  c.failures = 1;
  c.latency.observe(Micros(400));
  c.latency.observe(Millis(3));
  c.latency.observe(Millis(1200));
  RealServerStatus rs{"192.0.2.2:80", false, 3, true, {c, c}};
  return {VirtualServerStatus{"192.0.2.100:80", false, 0, {rs}}};
}

TEST(ControlMetrics, OutputParsesAsPrometheusText) {
  ProcessInfo proc;
  proc.version = "0.1.0";
  proc.start_time_seconds = 1795626000;
  Parsed p = parse_exposition(
      render_vrrp_metrics(testing::two_instances()) + render_lvs_metrics(one_virtual_server()) +
      render_process_metrics(proc, {{"vrrp", true, 2, proc}, {"check", false, 0, std::nullopt}}));
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
  Parsed p = parse_exposition(render_vrrp_metrics(status) + render_process_metrics(proc));
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
  EXPECT_EQ(v("vigil_vrrp_vrid_errors_total"), 13);
  EXPECT_EQ(p.types["vigil_vrrp_vrid_errors_total"], "counter");

  status.instances[0].state = vrrp::State::Backup;
  Parsed q = parse_exposition(render_vrrp_metrics(status));
  EXPECT_EQ(
      q.samples[R"(vigil_vrrp_state{instance="VI_1",interface="eth0",vrid="51",state="MASTER"})"],
      0);
  EXPECT_EQ(
      q.samples[R"(vigil_vrrp_state{instance="VI_1",interface="eth0",vrid="51",state="BACKUP"})"],
      1);
}

TEST(ControlMetrics, LvsPartFollowsTheStatus) {
  Parsed p = parse_exposition(render_lvs_metrics(one_virtual_server()));
  EXPECT_TRUE(p.errors.empty()) << (p.errors.empty() ? "" : p.errors.front());
  EXPECT_EQ(p.types["vigil_checker_duration_seconds"], "histogram");
  const std::string rs = R"(virtual_server="192.0.2.100:80",real_server="192.0.2.2:80")";
  const std::string chk = rs + R"(,checker="TCP_CHECK",index="1")";
  auto v = [&](const std::string& key) {
    auto it = p.samples.find(key);
    EXPECT_NE(it, p.samples.end()) << key;
    return it == p.samples.end() ? -1.0 : it->second;
  };
  EXPECT_EQ(v(R"(vigil_virtual_server_quorum_up{virtual_server="192.0.2.100:80"})"), 0);
  EXPECT_EQ(v("vigil_real_server_up{" + rs + "}"), 0);
  EXPECT_EQ(v("vigil_real_server_weight{" + rs + "}"), 3);
  EXPECT_EQ(v("vigil_real_server_drained{" + rs + "}"), 1);
  EXPECT_EQ(v("vigil_checker_checks_total{" + chk + "}"), 3);
  EXPECT_EQ(v("vigil_checker_failures_total{" + chk + "}"), 1);
  EXPECT_EQ(v("vigil_checker_duration_seconds_bucket{" + chk + R"(,le="0.001"})"), 1);
  EXPECT_EQ(v("vigil_checker_duration_seconds_bucket{" + chk + R"(,le="0.005"})"), 2);
  EXPECT_EQ(v("vigil_checker_duration_seconds_bucket{" + chk + R"(,le="1"})"), 2);
  EXPECT_EQ(v("vigil_checker_duration_seconds_bucket{" + chk + R"(,le="2.5"})"), 3);
  EXPECT_EQ(v("vigil_checker_duration_seconds_bucket{" + chk + R"(,le="+Inf"})"), 3);
  EXPECT_EQ(v("vigil_checker_duration_seconds_count{" + chk + "}"), 3);
  EXPECT_NEAR(v("vigil_checker_duration_seconds_sum{" + chk + "}"), 1.2034, 1e-9);
}

TEST(ControlMetrics, WorkersGetOneSeriesEach) {
  ProcessInfo self, vrrp;
  self.version = "0.1.0";
  vrrp.resident_memory_bytes = 4096;
  Parsed p = parse_exposition(
      render_process_metrics(self, {{"vrrp", true, 2, vrrp}, {"check", false, 1, std::nullopt}}));
  EXPECT_TRUE(p.errors.empty()) << (p.errors.empty() ? "" : p.errors.front());
  EXPECT_EQ(p.samples[R"(vigil_worker_up{worker="vrrp"})"], 1);
  EXPECT_EQ(p.samples[R"(vigil_worker_up{worker="check"})"], 0);
  EXPECT_EQ(p.samples[R"(vigil_worker_restarts_total{worker="vrrp"})"], 2);
  EXPECT_EQ(p.samples[R"(vigil_worker_resident_memory_bytes{worker="vrrp"})"], 4096);
  EXPECT_EQ(p.samples.count(R"(vigil_worker_resident_memory_bytes{worker="check"})"), 0u);
  // A lone process has no worker series.
  Parsed q = parse_exposition(render_process_metrics(self));
  EXPECT_EQ(q.types.count("vigil_worker_up"), 0u);
}

TEST(ControlMetrics, ProcessInfoRoundTripsThroughJson) {
  ProcessInfo p;
  p.version = "1.2.3";
  p.cpu_seconds = 1.5;
  p.open_fds = 9;
  ProcessInfo q = process_info_from_json(process_info_to_json(p));
  EXPECT_EQ(q.version, "1.2.3");
  EXPECT_EQ(q.cpu_seconds, 1.5);
  EXPECT_EQ(q.open_fds, 9);
  EXPECT_EQ(process_info_from_json(nlohmann::json("garbage")).cpu_seconds, 0);
}

TEST(ControlMetrics, ProcessInfoReadsProcSelf) {
  ProcessInfo p = current_process_info(5);
  EXPECT_EQ(p.start_time_seconds, 5);
  EXPECT_GT(p.resident_memory_bytes, 0);
  EXPECT_GE(p.open_fds, 3);
}

}  // namespace
}  // namespace vigil::control
