// nftables rendering and diffing: the JSON commands generated for desired states.
#include "lb/nft/nft_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "lb_test_util.h"

namespace vigil::lb::nft {
namespace {

using json = nlohmann::json;
using testing::dest;
using ::testing::HasSubstr;
using testing::tcp_service;

DeviceResolver eth1() {
  return [](const IpAddress&) { return std::optional<std::string>("eth1"); };
}

DesiredState model_nat_state(uint32_t w1, uint32_t w2) {
  DesiredState st;
  st.services.push_back(tcp_service(
      "203.0.113.10", 80, {dest("198.51.100.1", 8080, w1), dest("198.51.100.2", 8080, w2)}));
  return st;
}

Model render_ok(const DesiredState& st, DeviceResolver r = {}) {
  auto m = render(st, r);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
  return m.ok() ? *m : Model{};
}

const SetDef& set_of(const Model& m, const std::string& family, const std::string& name) {
  static const SetDef kNone;
  auto it = m.sets.find(family + " " + name);
  EXPECT_NE(it, m.sets.end()) << name;
  return it == m.sets.end() ? kNone : it->second;
}

const ChainDef& chain_of(const Model& m, const std::string& family, const std::string& name) {
  static const ChainDef kNone;
  auto it = m.chains.find(family + " " + name);
  EXPECT_NE(it, m.chains.end()) << name;
  return it == m.chains.end() ? kNone : it->second;
}

// "add element", "delete chain", ... per command of a batch (json, then after).
std::vector<std::string> verbs(const Batch& b) {
  std::vector<std::string> out;
  for (const json* part : {&b.json, &b.after}) {
    for (const json& c : (*part)["nftables"]) {
      for (const auto& [op, body] : c.items()) out.push_back(op + " " + body.begin().key());
    }
  }
  return out;
}

TEST(LbNftModel, NatServiceObjects) {
  Model m = render_ok(model_nat_state(1, 3));
  const std::string id = "tcp4_203_0_113_10_80";
  const SetDef& svc4 = set_of(m, "inet", "svc4");
  ASSERT_EQ(svc4.elements.size(), 1u);
  EXPECT_EQ(svc4.elements.begin()->second,
            json::parse(R"([{"concat":["203.0.113.10","tcp",80]},{"goto":{"target":"svc_)" + id +
                        R"("}}])"));

  // NAT without persistence: the pick map holds the DNAT targets, no destination chains.
  const SetDef& pick = set_of(m, "inet", "pick_" + id + "_nat");
  EXPECT_THAT(pick.native, HasSubstr("typeof numgen random mod 1 : ip daddr . tcp dport"));
  EXPECT_EQ(pick.pick_data, PickData::AddrPort);
  std::set<std::string> elems;
  for (const auto& [k, e] : pick.elements) elems.insert(e.dump());
  EXPECT_EQ(elems, (std::set<std::string>{
                       R"([{"range":[0,16383]},{"concat":["198.51.100.1",8080]}])",
                       R"([{"range":[16384,65535]},{"concat":["198.51.100.2",8080]}])"}));

  const ChainDef& svc = chain_of(m, "inet", "svc_" + id);
  ASSERT_EQ(svc.rules.size(), 2u);
  EXPECT_EQ(svc.rules[0][0]["match"]["right"], "tcp");
  EXPECT_EQ(svc.rules[0][1]["dnat"]["addr"]["map"]["key"]["numgen"]["mod"], kSlots);
  EXPECT_EQ(svc.rules[0][1]["dnat"]["addr"]["map"]["data"], "@pick_" + id + "_nat");
  EXPECT_EQ(svc.rules[1][0], json::parse(R"({"reject":null})"));
  for (const auto& [k, c] : m.chains) EXPECT_NE(c.name.rfind("dst_", 0), 0u) << k;

  const ChainDef& pre = chain_of(m, "inet", "prerouting");
  EXPECT_EQ(pre.base["hook"], "prerouting");
  EXPECT_EQ(pre.base["type"], "nat");
}

TEST(LbNftModel, SourceHashAndPersistence) {
  DesiredState st = model_nat_state(1, 1);
  st.services[0].scheduler = conf::LvsScheduler::Sh;
  st.services[0].persistence_timeout = 300;
  st.services[0].persistence_granularity = 24;
  Model m = render_ok(st);
  const std::string id = "tcp4_203_0_113_10_80";
  const ChainDef& svc = chain_of(m, "inet", "svc_" + id);
  ASSERT_EQ(svc.rules.size(), 4u);  // two persistence lookups, pick, reject
  EXPECT_EQ(svc.rules[0][0]["match"]["right"], "@per_" + id + "_198_51_100_1_8080_300_24");
  EXPECT_EQ(svc.rules[0][0]["match"]["left"]["&"][1], "255.255.255.0");
  EXPECT_EQ(svc.rules[2][0]["vmap"]["key"]["jhash"]["seed"], kHashSeed);
  EXPECT_EQ(svc.rules[2][0]["vmap"]["key"]["jhash"]["expr"]["payload"]["field"], "saddr");
  const SetDef& per = set_of(m, "inet", "per_" + id + "_198_51_100_1_8080_300_24");
  EXPECT_EQ(per.add["set"]["timeout"], 300);
  const ChainDef& d = chain_of(m, "inet", "dst_" + id + "_198_51_100_1_8080");
  EXPECT_EQ(d.rules[0][0]["set"]["op"], "update");
}

TEST(LbNftModel, DirectRoutingForwardsOnTheDevice) {
  DesiredState st;
  st.services.push_back(
      tcp_service("203.0.113.10", 80, {dest("198.51.100.1", 80, 1, conf::LvsForwarding::Dr)}));
  Model m = render_ok(st, eth1());
  const ChainDef& in = chain_of(m, "netdev", "in_eth1");
  EXPECT_EQ(in.base["hook"], "ingress");
  EXPECT_EQ(in.base["dev"], "eth1");
  const ChainDef& d = chain_of(m, "netdev", "dst_tcp4_203_0_113_10_80_198_51_100_1_80");
  EXPECT_EQ(d.rules[0][0],
            json::parse(R"({"fwd":{"dev":"eth1","family":"ip","addr":"198.51.100.1"}})"));
  // No conntrack at ingress: the choice must be stable per connection, not random per packet.
  const ChainDef& svc = chain_of(m, "netdev", "svc_tcp4_203_0_113_10_80");
  EXPECT_EQ(svc.rules[0][0]["vmap"]["key"]["jhash"]["expr"]["concat"][1]["payload"]["field"],
            "sport");
  EXPECT_EQ(set_of(m, "netdev", "svc4").elements.size(), 1u);
  EXPECT_TRUE(set_of(m, "inet", "svc4").elements.empty());
}

TEST(LbNftModel, UnsupportedCombinationsAreErrors) {
  DesiredState tun;
  tun.services.push_back(
      tcp_service("203.0.113.10", 80, {dest("198.51.100.1", 80, 1, conf::LvsForwarding::Tun)}));
  auto r = render(tun, eth1());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("TUN"));

  DesiredState mixed;
  mixed.services.push_back(tcp_service(
      "203.0.113.10", 80,
      {dest("198.51.100.1", 80, 1, conf::LvsForwarding::Dr), dest("198.51.100.2", 80, 1)}));
  EXPECT_FALSE(render(mixed, eth1()).ok());

  DesiredState dr = mixed;
  dr.services[0].destinations.pop_back();
  auto none = render(dr, [](const IpAddress&) { return std::optional<std::string>(); });
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(none.error().message, HasSubstr("no interface"));
}

TEST(LbNftModel, RebuildResetsTablesThenCreatesEverything) {
  Batch b = diff(nullptr, render_ok(model_nat_state(1, 1)));
  EXPECT_THAT(b.native, HasSubstr("delete table inet vigil"));
  EXPECT_THAT(b.native, HasSubstr("add map inet vigil pick_tcp4_203_0_113_10_80_nat"));
  auto v = verbs(b);
  EXPECT_EQ(std::count(v.begin(), v.end(), "add chain"), 2);  // prerouting, svc
  EXPECT_EQ(std::count(v.begin(), v.end(), "add rule"), 4 + 2);
}

TEST(LbNftModel, WeightChangeOnlyTouchesElements) {
  Model a = render_ok(model_nat_state(1, 1));
  Model b = render_ok(model_nat_state(1, 3));
  Batch batch = diff(&a, b);
  EXPECT_TRUE(batch.native.empty());
  std::set<std::string> kinds;
  for (const std::string& v : verbs(batch)) kinds.insert(v);
  // The table exists already: no "add table" (it would make libnftables list every chain).
  EXPECT_EQ(kinds, (std::set<std::string>{"delete element", "add element"}));
  for (const json& c : batch.json["nftables"]) {
    if (c.contains("add") && c["add"].contains("element")) {
      EXPECT_EQ(c["add"]["element"]["name"], "pick_tcp4_203_0_113_10_80_nat");
      EXPECT_EQ(c["add"]["element"]["elem"].size(), 2u);
    }
  }
  EXPECT_TRUE(diff(&b, b).empty());
}

TEST(LbNftModel, RemovedDestinationAndServiceAreCleanedUp) {
  // With persistence each destination has a chain and a set.
  DesiredState two = model_nat_state(1, 1);
  two.services[0].persistence_timeout = 60;
  Model a = render_ok(two);
  DesiredState one = two;
  one.services[0].destinations.pop_back();
  Batch b = diff(&a, render_ok(one));
  auto v = verbs(b);
  EXPECT_EQ(std::count(v.begin(), v.end(), "delete chain"), 1);
  EXPECT_EQ(std::count(v.begin(), v.end(), "delete set"), 1);

  // Without: a destination is only elements.
  Model plain = render_ok(model_nat_state(1, 1));
  DesiredState plain_one = model_nat_state(1, 1);
  plain_one.services[0].destinations.pop_back();
  for (const std::string& verb : verbs(diff(&plain, render_ok(plain_one))))
    EXPECT_THAT(verb, HasSubstr("element"));

  Batch gone = diff(&a, render_ok(DesiredState{}));
  auto g = verbs(gone);
  EXPECT_EQ(std::count(g.begin(), g.end(), "delete chain"), 3);
  EXPECT_EQ(std::count(g.begin(), g.end(), "delete map"), 1);
  // The dispatch element goes before the chain it points to.
  auto first_delete_chain = std::find(g.begin(), g.end(), "delete chain");
  auto delete_element = std::find(g.begin(), g.end(), "delete element");
  EXPECT_LT(delete_element - g.begin(), first_delete_chain - g.begin());
}

// A mix of every kind of service: DR, persistence, fwmark, IPv6.
DesiredState mixed_state() {
  DesiredState st = model_nat_state(1, 2);
  Service sticky = tcp_service("203.0.113.11", 443, {dest("198.51.100.2", 443, 1)});
  sticky.persistence_timeout = 60;
  st.services.push_back(sticky);
  st.services.push_back(
      tcp_service("203.0.113.12", 80, {dest("198.51.100.3", 80, 1, conf::LvsForwarding::Dr)}));
  st.services.push_back(tcp_service("2001:db8::10", 80, {dest("2001:db8:1::2", 8080, 1)}));
  Service fwm;
  fwm.key.fwmark = 7;
  fwm.destinations = {dest("198.51.100.2", 0, 1)};
  st.services.push_back(fwm);
  std::sort(st.services.begin(), st.services.end(),
            [](const Service& a, const Service& b) { return a.key < b.key; });
  return st;
}

TEST(LbNftModel, ServiceFragmentsMergeToTheWholeModel) {
  const DesiredState st = mixed_state();
  Model merged = skeleton({});
  std::vector<Model> parts;
  for (const Service& s : st.services) {
    auto f = render_service(s, eth1());
    ASSERT_TRUE(f.ok()) << f.error().message;
    parts.push_back(*f);
  }
  for (const Model& m : parts) merge_into(merged, m);
  EXPECT_EQ(merged, render_ok(st, eth1()));
  // The skeleton holds the shared objects of the parts without their elements.
  std::vector<const Model*> ptrs;
  for (const Model& m : parts) ptrs.push_back(&m);
  Model sk = skeleton(ptrs);
  EXPECT_TRUE(sk.chains.count("netdev in_eth1"));
  EXPECT_TRUE(set_of(sk, "inet", "svc4").elements.empty());
  for (const auto& [k, c] : sk.chains) EXPECT_TRUE(is_shared_object(c.name)) << k;
}

TEST(LbNftModel, RawPickElementsLeaveRulesAlone) {
  // One real server's weight changes: only its service's pick-map elements, outside JSON.
  Model a = render_ok(model_nat_state(1, 1));
  Batch w = diff(&a, render_ok(model_nat_state(1, 3)), {.raw_pick_elements = true});
  EXPECT_TRUE(w.native.empty());
  EXPECT_TRUE(w.json["nftables"].empty()) << w.json.dump();
  EXPECT_TRUE(w.after["nftables"].empty()) << w.after.dump();
  ASSERT_EQ(w.picks.size(), 1u);
  EXPECT_EQ(w.picks[0].map, "pick_tcp4_203_0_113_10_80_nat");
  EXPECT_EQ(w.picks[0].family, "inet");
  EXPECT_EQ(w.picks[0].data, PickData::AddrPort);
  EXPECT_EQ(w.picks[0].removed, (std::vector<RangeElement>{{0, 32767, "198.51.100.1 8080"},
                                                           {32768, 65535, "198.51.100.2 8080"}}));
  EXPECT_EQ(w.picks[0].added, (std::vector<RangeElement>{{0, 16383, "198.51.100.1 8080"},
                                                         {16384, 65535, "198.51.100.2 8080"}}));

  // A real server leaves: elements only.
  DesiredState one = model_nat_state(1, 1);
  one.services[0].destinations.pop_back();
  Batch d = diff(&a, render_ok(one), {.raw_pick_elements = true});
  EXPECT_TRUE(d.json["nftables"].empty()) << d.json.dump();
  ASSERT_EQ(d.picks.size(), 1u);
  EXPECT_EQ(d.picks[0].added.size(), 1u);
  EXPECT_TRUE(verbs(d).empty()) << d.after.dump();
  EXPECT_TRUE(d.dropped_chains.empty());

  // DR: its range goes (raw) before its chain is deleted.
  DesiredState dr;
  dr.services.push_back(tcp_service("203.0.113.10", 80,
                                    {dest("198.51.100.1", 80, 1, conf::LvsForwarding::Dr),
                                     dest("198.51.100.2", 80, 1, conf::LvsForwarding::Dr)}));
  Model dr2 = render_ok(dr, eth1());
  dr.services[0].destinations.pop_back();
  Batch dd = diff(&dr2, render_ok(dr, eth1()), {.raw_pick_elements = true});
  ASSERT_EQ(dd.picks.size(), 1u);
  EXPECT_EQ(dd.picks[0].data, PickData::Goto);
  EXPECT_EQ(dd.picks[0].added,
            (std::vector<RangeElement>{{0, 65535, "dst_tcp4_203_0_113_10_80_198_51_100_1_80"}}));
  EXPECT_TRUE(verbs(dd).empty()) << dd.after.dump();
  EXPECT_EQ(dd.dropped_chains,
            (std::vector<ChainRef>{{"netdev", "dst_tcp4_203_0_113_10_80_198_51_100_2_80"}}));
}

}  // namespace
}  // namespace vigil::lb::nft
