// The status model rendered as vigil's JSON, keepalived's JSON / stats / data dumps, the
// systemd status line and vigilctl's table.
#include <gtest/gtest.h>

#include "control/dumps.h"
#include "control/service_status.h"
#include "control/status_json.h"
#include "control/status_table.h"
#include "test_status.h"

namespace vigil::control {
namespace {

using nlohmann::json;
using testing::two_instances;

TEST(ControlStatusJson, CarriesStatePrioritiesMasterCountersAndTransition) {
  json j = status_to_json(two_instances());
  ASSERT_EQ(j["instances"].size(), 2u);
  const json& a = j["instances"][0];
  EXPECT_EQ(a["name"], "VI_1");
  EXPECT_EQ(a["state"], "MASTER");
  EXPECT_EQ(a["vrid"], 51);
  EXPECT_EQ(a["priority"]["base"], 100);
  EXPECT_EQ(a["priority"]["effective"], 90);
  EXPECT_EQ(a["priority"]["offset"], -10);
  EXPECT_EQ(a["master"]["address"], "192.0.2.1");
  EXPECT_EQ(a["addresses"], json::array({"192.0.2.100/24"}));
  EXPECT_TRUE(a["addresses_held"].get<bool>());
  EXPECT_EQ(a["sync_group"], "G1");
  EXPECT_DOUBLE_EQ(a["timers"]["master_down_interval_s"].get<double>(), 3.648437);
  EXPECT_EQ(a["counters"]["adverts_sent"], 42);
  EXPECT_EQ(a["counters"]["transitions"], 4);
  EXPECT_EQ(a["counters"]["discards"]["ttl_not_255"], 3);
  EXPECT_EQ(a["counters"]["discards"]["auth_failure"], 5);
  // Other routers' VRIDs are not errors: counted apart, not in the discards.
  EXPECT_FALSE(a["counters"]["discards"].contains("vrid_mismatch"));
  EXPECT_EQ(a["counters"]["discards_total"], 8);
  EXPECT_EQ(a["counters"]["other_vrid_received"], 11);
  EXPECT_EQ(a["counters"]["checksum_forms"]["message_only"], 7);
  EXPECT_EQ(a["last_transition"]["from"], "BACKUP");
  EXPECT_EQ(a["last_transition"]["to"], "MASTER");
  EXPECT_EQ(a["last_transition"]["why"], "master down timer expired");
  EXPECT_EQ(a["last_transition"]["when"], "2026-11-25T17:00:50.500000Z");
  const json& b = j["instances"][1];
  EXPECT_EQ(b["family"], "ipv6");
  EXPECT_EQ(b["master"]["address"], "fe80::2");
  EXPECT_TRUE(b["last_transition"].is_null());
  EXPECT_EQ(j["sync_groups"][0]["state"], "MASTER");
  // Adverts for VRIDs no instance has: router-wide, outside every instance's counters.
  EXPECT_EQ(j["counters"]["vrid_errors"], 13);
  EXPECT_EQ(status_to_json({})["counters"]["vrid_errors"], 0);
}

TEST(ControlStatusJson, KeepalivedJsonDumpUsesItsNamesAndStateNumbers) {
  json j = keepalived_json(two_instances());
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["data"]["iname"], "VI_1");
  EXPECT_EQ(j[0]["data"]["state"], 2);
  EXPECT_EQ(j[1]["data"]["state"], 1);
  EXPECT_EQ(j[1]["data"]["master_priority"], 200);
  EXPECT_EQ(j[0]["stats"]["advert_sent"], 42);
  EXPECT_EQ(j[0]["stats"]["ip_ttl_err"], 3);
  EXPECT_EQ(j[0]["stats"]["auth_failure"], 5);
  EXPECT_EQ(j[0]["stats"]["pri_zero_sent"], 1);
}

TEST(ControlDumps, StatsFileHasKeepalivedsLayout) {
  std::string s = render_stats_dump(two_instances());
  EXPECT_NE(s.find("VRRP Instance: VI_1\n  Advertisements:\n    Received: 7\n    Sent: 42\n"
                   "  Became master: 2\n  Released master: 1\n  Packet Errors:\n"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("    TTL: 3\n"), std::string::npos);
  EXPECT_NE(s.find("  Priority Zero:\n    Received: 0\n    Sent: 1\n"), std::string::npos);
  EXPECT_NE(s.find("VRRP Instance: VI_\"odd\"\n"), std::string::npos);
}

TEST(ControlDumps, DataFileDescribesEachInstance) {
  conf::Config config;
  config.global.router_id = "node1";
  std::string s = render_data_dump(two_instances(), config);
  EXPECT_NE(s.find("------< Global definitions >------\n"), std::string::npos);
  EXPECT_NE(s.find(" Router ID = node1\n"), std::string::npos);
  EXPECT_NE(s.find(" VRRP Instance = VI_1\n   VRRP Version = 2\n   State = MASTER\n"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("   Effective priority = 90\n"), std::string::npos);
  EXPECT_NE(s.find("   Master router = fe80::2 priority 200\n"), std::string::npos);
  EXPECT_NE(s.find("     192.0.2.100/24 dev eth0 set\n"), std::string::npos);
  EXPECT_NE(s.find(" VRRP Sync Group = G1, MASTER\n"), std::string::npos);
}

TEST(ControlServiceStatus, CountsStates) {
  EXPECT_EQ(service_status_line(two_instances()), "2 instances: 1 master, 1 backup");
  auto s = two_instances();
  s.instances[1].state = vrrp::State::Fault;
  EXPECT_EQ(service_status_line(s), "2 instances: 1 master, 0 backup, 1 fault");
  s.instances.pop_back();
  EXPECT_EQ(service_status_line(s), "1 instance: 1 master, 0 backup");
}

TEST(ControlStatusTable, OneReadableRowPerInstance) {
  std::string t = render_status_table(status_to_json(two_instances()), 1795626050.5 + 180);
  std::vector<std::string> lines;
  for (size_t pos = 0, nl; (nl = t.find('\n', pos)) != std::string::npos; pos = nl + 1)
    lines.push_back(t.substr(pos, nl - pos));
  ASSERT_GE(lines.size(), 4u) << t;
  EXPECT_EQ(lines[0].rfind("INSTANCE", 0), 0u);
  EXPECT_NE(lines[1].find("VI_1"), std::string::npos);
  EXPECT_NE(lines[1].find("MASTER"), std::string::npos);
  EXPECT_NE(lines[1].find("90/100 (-10)"), std::string::npos);
  EXPECT_NE(lines[1].find("192.0.2.1 "), std::string::npos);
  EXPECT_NE(lines[1].find("192.0.2.100/24"), std::string::npos);
  EXPECT_NE(lines[1].find("BACKUP->MASTER 3m ago (master down timer expired)"), std::string::npos);
  EXPECT_NE(lines[2].find("50/50"), std::string::npos);
  EXPECT_NE(lines[2].find("fe80::2"), std::string::npos);
  // Columns line up: STATE starts at the same offset in every row.
  EXPECT_EQ(lines[0].find("STATE"), lines[1].find("MASTER"));
  EXPECT_EQ(lines[3], "sync group G1: MASTER [VI_1]");
}

TEST(ControlStatusTable, ToleratesGarbage) {
  EXPECT_EQ(render_status_table(json::parse(R"({"instances":[{"name":5,"priority":"x"}]})"), 0)
                .find("(no VRRP"),
            std::string::npos);
  EXPECT_NE(render_status_table(json(nullptr), 0).find("(no VRRP instances)"), std::string::npos);
}

}  // namespace
}  // namespace vigil::control
