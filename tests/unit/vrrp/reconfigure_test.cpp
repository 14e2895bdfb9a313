#include "vrrp/reconfigure.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "conf/load.h"

namespace vigil::vrrp {
namespace {

// One configuration with every kind of object the diff looks at; each test row edits it.
constexpr const char* kBase = R"(
global_defs {
  router_id r1
}
vrrp_script chk_a {
  script "/bin/true"
  interval 2
  rise 2
  fall 2
}
track_file tf_a {
  file /tmp/vgl-track-a
  weight 1
}
vrrp_sync_group G1 {
  group {
    VI_1
    VI_2
  }
}
vrrp_instance VI_1 {
  state BACKUP
  interface veth0
  virtual_router_id 51
  priority 100
  advert_int 1
  track_script {
    chk_a weight -20
  }
  virtual_ipaddress {
    192.0.2.100/24
    192.0.2.101/24
  }
}
vrrp_instance VI_2 {
  interface veth0
  virtual_router_id 52
  priority 100
  virtual_ipaddress {
    192.0.2.102/24
  }
}
)";

conf::Config load(const std::string& text) {
  conf::LoadResult r = conf::load_config_text("/test/keepalived.conf", text, {});
  std::string errors;
  for (const auto& d : r.diag.all()) errors += conf::format_diagnostic(d, false);
  EXPECT_TRUE(r.config) << errors;
  return r.config ? std::move(*r.config) : conf::Config{};
}

// The base text with the first occurrence of `from` replaced by `to` (which must exist).
std::string edit(const std::string& from, const std::string& to) {
  std::string s = kBase;
  auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) s.replace(pos, from.size(), to);
  return s;
}

struct InstanceRow {
  const char* what;
  const char* from;
  const char* to;
  Change vi1;
};

class InstanceDiffTable : public ::testing::TestWithParam<InstanceRow> {};

TEST_P(InstanceDiffTable, ClassifiesVi1) {
  const auto& row = GetParam();
  conf::Config old_config = load(kBase);
  conf::Config new_config = load(edit(row.from, row.to));
  ConfigDiff d = diff_configs(old_config, new_config);
  const ItemDiff* vi1 = d.instance("VI_1");
  ASSERT_NE(vi1, nullptr);
  EXPECT_EQ(to_string(vi1->change), to_string(row.vi1)) << row.what;
  // The other instance is never touched by an edit of VI_1's block.
  ASSERT_NE(d.instance("VI_2"), nullptr);
  EXPECT_EQ(d.instance("VI_2")->change, Change::Unchanged) << row.what;
  if (row.vi1 == Change::Unchanged)
    EXPECT_TRUE(vi1->fields.empty());
  else
    EXPECT_FALSE(vi1->fields.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Reload, InstanceDiffTable,
    ::testing::Values(
        InstanceRow{"comment only", "  priority 100\n  advert_int 1",
                    "  # a comment\n\n  priority 100\n  advert_int 1", Change::Unchanged},
        InstanceRow{"priority", "priority 100\n  advert_int", "priority 80\n  advert_int",
                    Change::InPlace},
        InstanceRow{"advert_int", "advert_int 1", "advert_int 2", Change::InPlace},
        InstanceRow{"nopreempt", "advert_int 1", "advert_int 1\n  nopreempt", Change::InPlace},
        InstanceRow{"preempt_delay", "advert_int 1", "advert_int 1\n  preempt_delay 5",
                    Change::InPlace},
        InstanceRow{"notify script", "advert_int 1",
                    "advert_int 1\n  notify_master \"/bin/echo m\"", Change::InPlace},
        InstanceRow{"smtp_alert", "advert_int 1", "advert_int 1\n  smtp_alert", Change::InPlace},
        InstanceRow{"track weight", "chk_a weight -20", "chk_a weight -30", Change::InPlace},
        InstanceRow{"garp", "advert_int 1", "advert_int 1\n  garp_master_repeat 2",
                    Change::InPlace},
        InstanceRow{"VIP added", "192.0.2.101/24\n", "192.0.2.101/24\n    192.0.2.103/24\n",
                    Change::InPlace},
        InstanceRow{"VIP removed", "    192.0.2.101/24\n", "", Change::InPlace},
        InstanceRow{"interface", "interface veth0\n  virtual_router_id 51",
                    "interface veth1\n  virtual_router_id 51", Change::Restart},
        InstanceRow{"VRID", "virtual_router_id 51", "virtual_router_id 61", Change::Restart},
        InstanceRow{"version", "advert_int 1", "advert_int 1\n  version 3", Change::Restart},
        InstanceRow{"auth", "advert_int 1",
                    "advert_int 1\n  authentication {\n auth_type PASS\n auth_pass secret\n }",
                    Change::Restart},
        InstanceRow{"unicast peers", "advert_int 1",
                    "advert_int 1\n  unicast_peer {\n 192.0.2.2\n }", Change::Restart},
        InstanceRow{"source address", "advert_int 1", "advert_int 1\n  mcast_src_ip 192.0.2.1",
                    Change::Restart}));

TEST(ReloadDiff, IdenticalConfigsAreEmpty) {
  ConfigDiff d = diff_configs(load(kBase), load(kBase));
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(d.instances.size(), 2u);
  EXPECT_EQ(d.summary(),
            "2 unchanged, 0 changed in place, 0 restarted, 0 removed, 0 added instance(s)");
}

TEST(ReloadDiff, RemovedAndAddedInstances) {
  std::string text = kBase;
  text.replace(text.find("vrrp_instance VI_2"), std::string("vrrp_instance VI_2").size(),
               "vrrp_instance VI_3");
  text.replace(text.find("    VI_2\n"), std::string("    VI_2\n").size(), "    VI_3\n");
  ConfigDiff d = diff_configs(load(kBase), load(text));
  ASSERT_NE(d.instance("VI_2"), nullptr);
  EXPECT_EQ(d.instance("VI_2")->change, Change::Removed);
  ASSERT_NE(d.instance("VI_3"), nullptr);
  EXPECT_EQ(d.instance("VI_3")->change, Change::Added);
  EXPECT_EQ(d.instance("VI_1")->change, Change::Unchanged);
  ASSERT_EQ(d.sync_groups.size(), 1u);
  EXPECT_EQ(d.sync_groups[0].change, Change::InPlace);  // membership changed
  EXPECT_FALSE(d.empty());
}

TEST(ReloadDiff, MulticastGroupChangeRestartsMulticastInstances) {
  std::string unicast2 =
      edit("virtual_router_id 52", "virtual_router_id 52\n  unicast_peer {\n 192.0.2.2\n }");
  std::string changed = unicast2;
  changed.replace(changed.find("router_id r1"), std::string("router_id r1").size(),
                  "router_id r1\n  vrrp_mcast_group4 224.0.0.19");
  ConfigDiff d = diff_configs(load(unicast2), load(changed));
  EXPECT_EQ(d.instance("VI_1")->change, Change::Restart);
  EXPECT_EQ(d.instance("VI_2")->change, Change::Unchanged);  // unicast: no group involved
}

TEST(ReloadDiff, TrackerDefinitions) {
  ConfigDiff same = diff_configs(load(kBase), load(kBase));
  ASSERT_NE(same.script("chk_a"), nullptr);
  EXPECT_EQ(same.script("chk_a")->change, Change::Unchanged);
  EXPECT_EQ(same.track_file("tf_a")->change, Change::Unchanged);

  ConfigDiff script_changed = diff_configs(load(kBase), load(edit("interval 2", "interval 3")));
  EXPECT_EQ(script_changed.script("chk_a")->change, Change::Restart);
  EXPECT_EQ(script_changed.track_file("tf_a")->change, Change::Unchanged);
  // The instances that refer to the script keep running: their definition is unchanged.
  EXPECT_EQ(script_changed.instance("VI_1")->change, Change::Unchanged);

  ConfigDiff file_changed =
      diff_configs(load(kBase), load(edit("file /tmp/vgl-track-a", "file /tmp/vgl-track-b")));
  EXPECT_EQ(file_changed.track_file("tf_a")->change, Change::Restart);

  std::string renamed = edit("vrrp_script chk_a", "vrrp_script chk_b");
  renamed.replace(renamed.find("chk_a weight"), 5, "chk_b");
  ConfigDiff d = diff_configs(load(kBase), load(renamed));
  EXPECT_EQ(d.script("chk_a")->change, Change::Removed);
  EXPECT_EQ(d.script("chk_b")->change, Change::Added);
  EXPECT_EQ(d.instance("VI_1")->change, Change::InPlace);  // its track_script list changed
}

TEST(ReloadDiff, NamesTheChangedSettingsOnly) {
  ConfigDiff prio = diff_configs(
      load(kBase), load(edit("priority 100\n  advert_int", "priority 80\n  advert_int")));
  EXPECT_EQ(prio.instance("VI_1")->fields, std::vector<std::string>{"priority"});
  ConfigDiff routes = diff_configs(
      load(kBase), load(edit("advert_int 1",
                             "advert_int 1\n  virtual_routes {\n 198.51.100.0/24 dev veth0\n }")));
  EXPECT_EQ(routes.instance("VI_1")->change, Change::Restart);
  EXPECT_EQ(routes.instance("VI_1")->fields, std::vector<std::string>{"virtual_routes"});
}

// Instances are compared on the values that run, not on how they were written.
TEST(ReloadDiff, ResolvedValuesDecideNotHowTheyWereWritten) {
  // Writing the default explicitly changes nothing.
  ConfigDiff explicit_default =
      diff_configs(load(kBase), load(edit("advert_int 1", "advert_int 1\n  garp_master_repeat 5")));
  EXPECT_EQ(explicit_default.instance("VI_1")->change, Change::Unchanged);
  // A global default an instance inherits is one of its settings.
  ConfigDiff global = diff_configs(
      load(kBase), load(edit("router_id r1", "router_id r1\n  vrrp_garp_master_repeat 2")));
  EXPECT_EQ(global.instance("VI_1")->change, Change::InPlace);
  // (garp_lower_prio_repeat defaults to garp_master_repeat, as in keepalived.)
  EXPECT_EQ(global.instance("VI_1")->fields,
            (std::vector<std::string>{"garp_master_repeat", "garp_lower_prio_repeat"}));
  EXPECT_EQ(global.instance("VI_2")->change, Change::InPlace);
}

// How long a reload's diff takes at 1,000 instances: printed, not asserted (timing goals are
// benchmarks). The JSON dumps the diff used to compare are timed alongside for reference.
TEST(ReloadDiff, ThousandInstancesTiming) {
  std::string text = "global_defs {\n  router_id r1\n}\n";
  for (int i = 0; i < 1000; ++i)
    text += fmt::format(
        "vrrp_instance VI_{0} {{\n  interface veth{1}\n  virtual_router_id {2}\n"
        "  priority 100\n  virtual_ipaddress {{\n    192.0.2.{2}/24\n    198.51.100.{2}/24\n  }}\n"
        "}}\n",
        i, i / 250, i % 250 + 1);
  const conf::Config a = load(text);
  const conf::Config b = load(text);
  ASSERT_EQ(a.vrrp_instances.size(), 1000u);
  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  ConfigDiff d = diff_configs(a, b);
  auto t1 = Clock::now();
  const bool json_same = conf::vrrp_to_json(a) == conf::vrrp_to_json(b);
  auto t2 = Clock::now();
  EXPECT_TRUE(d.empty());
  EXPECT_TRUE(json_same);
  auto ms = [](auto dt) { return std::chrono::duration<double, std::milli>(dt).count(); };
  std::printf(
      "[ timing ] diff of 1,000 unchanged instances: %.2f ms (the JSON dumps alone: %.2f ms)\n",
      ms(t1 - t0), ms(t2 - t1));
}

TEST(ReloadDiff, AddressDeltaByAttributes) {
  conf::Config c = load(kBase);
  auto old_vips = c.vrrp_instances[0].vips;  // .100, .101
  auto new_vips = old_vips;
  new_vips.erase(new_vips.begin());  // drop .100
  new_vips.push_back(old_vips[0]);   // ... and add it back with a label
  new_vips.back().label = std::string("veth0:1");
  conf::Config c2 = load(edit("192.0.2.101/24\n", "192.0.2.101/24\n    192.0.2.103/24\n"));
  new_vips.push_back(c2.vrrp_instances[0].vips[2]);  // .103

  AddressDelta delta = address_delta(old_vips, new_vips);
  EXPECT_EQ(delta.removed, (std::vector<size_t>{0}));
  EXPECT_EQ(delta.added, (std::vector<size_t>{1, 2}));
  EXPECT_TRUE(address_delta(old_vips, old_vips).empty());
}

}  // namespace
}  // namespace vigil::vrrp
