// Pool: keepalived's virtual/real server semantics, config + health → DesiredState + events.
#include "lb/pool.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lb_test_util.h"

namespace vigil::lb {
namespace {

using ::testing::ElementsAre;
using testing::ip;
using ::testing::IsEmpty;
using testing::lvs_from;
using Kind = PoolEvent::Kind;

RealServerInput in(bool up, std::optional<uint32_t> weight = std::nullopt, bool drained = false) {
  RealServerInput r;
  r.up = up;
  r.weight = weight;
  r.drained = drained;
  return r;
}

// (address, weight) of every destination of the only service.
std::vector<std::pair<std::string, uint32_t>> dests_of(const DesiredState& st) {
  std::vector<std::pair<std::string, uint32_t>> out;
  EXPECT_EQ(st.services.size(), 1u);
  if (st.services.empty()) return out;
  for (const Destination& d : st.services[0].destinations)
    out.emplace_back(d.address.to_string(), d.weight);
  return out;
}

std::string three_servers(std::string_view vs_extra, std::string_view rs_extra = "") {
  std::string rs(rs_extra);
  return std::string("virtual_server 203.0.113.10 80 {\n protocol TCP\n lb_algo wrr\n") +
         std::string(vs_extra) + "\n real_server 198.51.100.1 8080 { weight 3\n" + rs + " }\n" +
         " real_server 198.51.100.2 8080 { weight 2\n" + rs + " }\n" +
         " real_server 198.51.100.3 8080 { weight 1\n" + rs + " }\n}\n";
}

TEST(LbPool, ServiceCarriesConfiguredAttributes) {
  auto lvs = lvs_from(
      "virtual_server 203.0.113.10 80 {\n protocol TCP\n lb_algo sh\n lb_kind DR\n"
      " persistence_timeout 50\n persistence_granularity 255.255.255.0\n"
      " real_server 198.51.100.1 80 { weight 5 }\n real_server 198.51.100.2 { }\n}\n");
  Pool pool(lvs);
  DesiredState st = pool.desired();
  ASSERT_EQ(st.services.size(), 1u);
  const Service& s = st.services[0];
  EXPECT_EQ(s.key.to_string(), "TCP 203.0.113.10:80");
  EXPECT_EQ(s.scheduler, conf::LvsScheduler::Sh);
  EXPECT_EQ(s.forwarding, conf::LvsForwarding::Dr);
  EXPECT_EQ(s.persistence_timeout, 50u);
  EXPECT_EQ(s.persistence_granularity, 24);
  EXPECT_EQ(s.flags & kSvcPersistent, kSvcPersistent);
  ASSERT_EQ(s.destinations.size(), 2u);
  EXPECT_EQ(s.destinations[0].weight, 5u);
  EXPECT_EQ(s.destinations[0].forwarding, conf::LvsForwarding::Dr);
  EXPECT_EQ(s.destinations[1].port, 80) << "a port-less real server takes the service's port";
  EXPECT_EQ(s.destinations[1].weight, 1u);
}

TEST(LbPool, KeepalivedDefaults) {
  auto lvs = lvs_from("virtual_server 203.0.113.10 80 {\n real_server 198.51.100.1 80 { }\n}\n");
  DesiredState st = Pool(lvs).desired();
  ASSERT_EQ(st.services.size(), 1u);
  EXPECT_EQ(st.services[0].scheduler, conf::LvsScheduler::Wlc);
  EXPECT_EQ(st.services[0].key.protocol, conf::LvsProtocol::Udp);
  EXPECT_EQ(st.services[0].forwarding, conf::LvsForwarding::Nat);
  EXPECT_FALSE(st.services[0].persistent());
}

struct HealthCase {
  const char* name;
  std::string config;
  std::vector<bool> up;  // per real server
  std::vector<std::pair<std::string, uint32_t>> expected;
};

class LbPoolHealth : public ::testing::TestWithParam<HealthCase> {};

TEST_P(LbPoolHealth, DestinationsFollowHealth) {
  const HealthCase& c = GetParam();
  auto lvs = lvs_from(c.config);
  Pool pool(lvs);
  for (size_t i = 0; i < c.up.size(); ++i) pool.set_real_server({0, i}, in(c.up[i]));
  EXPECT_EQ(dests_of(pool.desired()), c.expected) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, LbPoolHealth,
    ::testing::Values(
        HealthCase{"all up",
                   three_servers(""),
                   {true, true, true},
                   {{"198.51.100.1", 3}, {"198.51.100.2", 2}, {"198.51.100.3", 1}}},
        HealthCase{"down removed",
                   three_servers(""),
                   {true, false, true},
                   {{"198.51.100.1", 3}, {"198.51.100.3", 1}}},
        HealthCase{"inhibit keeps at 0",
                   three_servers(" inhibit_on_failure"),
                   {true, false, true},
                   {{"198.51.100.1", 3}, {"198.51.100.2", 0}, {"198.51.100.3", 1}}},
        HealthCase{"real server inhibit",
                   three_servers("", " inhibit_on_failure\n"),
                   {false, true, true},
                   {{"198.51.100.1", 0}, {"198.51.100.2", 2}, {"198.51.100.3", 1}}},
        HealthCase{"all down, no sorry", three_servers(""), {false, false, false}, {}},
        HealthCase{"quorum lost -> sorry only",
                   three_servers(" quorum 4\n sorry_server 198.51.100.99 80"),
                   {false, true, true},
                   {{"198.51.100.99", 1}}},
        HealthCase{"quorum held, sorry absent",
                   three_servers(" quorum 4\n sorry_server 198.51.100.99 80"),
                   {true, false, true},
                   {{"198.51.100.1", 3}, {"198.51.100.3", 1}}},
        HealthCase{
            "sorry_server_inhibit keeps it at 0",
            three_servers(" sorry_server 198.51.100.99 80\n sorry_server_inhibit"),
            {true, true, true},
            {{"198.51.100.1", 3}, {"198.51.100.2", 2}, {"198.51.100.3", 1}, {"198.51.100.99", 0}}},
        HealthCase{
            "quorum lost + inhibit: live servers at 0 beside sorry",
            three_servers(" quorum 5\n inhibit_on_failure\n sorry_server 198.51.100.99 80"),
            {false, true, true},
            {{"198.51.100.1", 0}, {"198.51.100.2", 0}, {"198.51.100.3", 0}, {"198.51.100.99", 1}}},
        HealthCase{"quorum lost without sorry keeps live servers",
                   three_servers(" quorum 5"),
                   {false, true, true},
                   {{"198.51.100.2", 2}, {"198.51.100.3", 1}}}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& ch : n) ch = std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
      return n;
    });

TEST(LbPool, DrainAndDynamicWeight) {
  auto lvs = lvs_from(three_servers(""));
  Pool pool(lvs);
  pool.set_real_server({0, 0}, in(true, 7));
  pool.set_real_server({0, 1}, in(true, std::nullopt, true));
  EXPECT_EQ(dests_of(pool.desired()),
            (std::vector<std::pair<std::string, uint32_t>>{
                {"198.51.100.1", 7}, {"198.51.100.2", 0}, {"198.51.100.3", 1}}));
  EXPECT_EQ(pool.live_weight(0), 8u);
  EXPECT_THAT(pool.take_events(), IsEmpty()) << "weight changes are not health transitions";
}

TEST(LbPool, QuorumHysteresisNeedsThePreviousState) {
  // Weights 3+2+1, quorum 4, hysteresis 1: lost below 3, regained at 5.
  auto lvs = lvs_from(three_servers(" quorum 4\n hysteresis 1"));
  Pool pool(lvs);
  EXPECT_TRUE(pool.quorum_up(0));
  EXPECT_THAT(pool.take_events(), IsEmpty());

  pool.set_real_server({0, 0}, in(false));  // live 3: not below 3, still up
  EXPECT_TRUE(pool.quorum_up(0));
  EXPECT_THAT(pool.take_events(), ElementsAre(PoolEvent{Kind::RealServerDown, 0, 0}));

  pool.set_real_server({0, 2}, in(false));  // live 2 < 3: lost
  EXPECT_FALSE(pool.quorum_up(0));
  EXPECT_THAT(pool.take_events(), ElementsAre(PoolEvent{Kind::RealServerDown, 0, 2},
                                              PoolEvent{Kind::QuorumDown, 0, std::nullopt}));

  pool.set_real_server({0, 2}, in(true));  // live 3: at the threshold, still down
  EXPECT_FALSE(pool.quorum_up(0));
  pool.set_real_server({0, 1}, in(true, 4));  // live 5: regained
  EXPECT_TRUE(pool.quorum_up(0));
  EXPECT_THAT(pool.take_events(), ElementsAre(PoolEvent{Kind::RealServerUp, 0, 2},
                                              PoolEvent{Kind::QuorumUp, 0, std::nullopt}));
}

TEST(LbPool, NoEventWithoutChange) {
  auto lvs = lvs_from(three_servers(""));
  Pool pool(lvs);
  pool.set_real_server({0, 0}, in(true));
  pool.set_real_server({5, 0}, in(false));  // unknown virtual server: ignored
  pool.set_real_server({0, 9}, in(false));
  EXPECT_THAT(pool.take_events(), IsEmpty());
  EXPECT_EQ(pool.desired(), Pool(lvs).desired());
}

TEST(LbPool, AlphaStartsCheckedServersDown) {
  auto lvs = lvs_from(
      "virtual_server 203.0.113.10 80 {\n protocol TCP\n alpha\n quorum 2\n"
      " real_server 198.51.100.1 80 { TCP_CHECK { } }\n"
      " real_server 198.51.100.2 80 { }\n}\n");
  Pool pool(lvs);
  EXPECT_EQ(dests_of(pool.desired()),
            (std::vector<std::pair<std::string, uint32_t>>{{"198.51.100.2", 1}}));
  EXPECT_FALSE(pool.quorum_up(0));
  EXPECT_THAT(pool.take_events(), ElementsAre(PoolEvent{Kind::QuorumDown, 0, std::nullopt}));
}

TEST(LbPool, HaSuspendFollowsTheVip) {
  auto lvs = lvs_from(three_servers(" ha_suspend"));
  Pool pool(lvs);
  EXPECT_THAT(pool.desired().services, IsEmpty());
  pool.set_vip_held(0, true);
  EXPECT_EQ(pool.desired().services.size(), 1u);
  pool.set_vip_held(0, false);
  EXPECT_THAT(pool.desired().services, IsEmpty());
}

TEST(LbPool, GroupsExpandRangesAndFwmarks) {
  auto lvs = lvs_from(
      "virtual_server_group web {\n 203.0.113.10-12 80\n 203.0.113.20 443\n fwmark 7\n}\n"
      "virtual_server group web {\n protocol TCP\n"
      " real_server 198.51.100.1 { }\n}\n");
  DesiredState st = Pool(lvs).desired();
  std::vector<std::string> keys;
  for (const Service& s : st.services) {
    keys.push_back(s.key.to_string());
    ASSERT_EQ(s.destinations.size(), 1u);
    EXPECT_EQ(s.destinations[0].port, s.key.port) << s.key.to_string();
  }
  EXPECT_THAT(keys, ElementsAre("TCP 203.0.113.10:80", "TCP 203.0.113.11:80", "TCP 203.0.113.12:80",
                                "TCP 203.0.113.20:443", "FWM 7 inet"));
}

TEST(LbPool, FwmarkService) {
  auto lvs = lvs_from("virtual_server fwmark 5 {\n lb_kind DR\n real_server 2001:db8::1 { }\n}\n");
  DesiredState st = Pool(lvs).desired();
  ASSERT_EQ(st.services.size(), 1u);
  EXPECT_EQ(st.services[0].key.fwmark, 5u);
  EXPECT_EQ(st.services[0].key.family, Family::V6) << "family from the real servers";
  EXPECT_EQ(st.services[0].persistence_granularity, 128);
  ASSERT_EQ(st.services[0].destinations.size(), 1u);
  EXPECT_EQ(st.services[0].destinations[0].port, 0);
}

TEST(LbPool, OmegaShutdownEvents) {
  auto lvs = lvs_from(three_servers(" omega"));
  Pool pool(lvs);
  pool.set_real_server({0, 1}, in(false));
  EXPECT_THAT(pool.shutdown_events(), ElementsAre(PoolEvent{Kind::RealServerDown, 0, 0},
                                                  PoolEvent{Kind::RealServerDown, 0, 2},
                                                  PoolEvent{Kind::QuorumDown, 0, std::nullopt}));
  auto plain = lvs_from(three_servers(""));
  EXPECT_THAT(Pool(plain).shutdown_events(), IsEmpty());
}

TEST(LbPool, ReportsWhichVirtualServersChanged) {
  std::string second = three_servers("");
  second.replace(second.find("203.0.113.10"), 12, "203.0.113.11");
  auto lvs = lvs_from(three_servers("") + second);
  ASSERT_EQ(lvs.virtual_servers.size(), 2u);
  Pool pool(lvs);
  EXPECT_EQ(pool.take_changed(), std::nullopt) << "everything is new";
  EXPECT_EQ(pool.take_changed(), std::vector<size_t>{});
  pool.set_real_server({1, 0}, in(false));
  pool.set_real_server({1, 2}, in(true, 7));
  pool.set_real_server({0, 1}, in(true));  // no change
  EXPECT_EQ(pool.take_changed(), std::vector<size_t>{1});
  // The services of the changed one alone are what desired() has for it.
  const DesiredState all = pool.desired();
  const std::vector<Service> one = pool.services(1);
  ASSERT_EQ(one.size(), 1u);
  ASSERT_NE(all.find(one[0].key), nullptr);
  EXPECT_EQ(*all.find(one[0].key), one[0]);
  EXPECT_EQ(one[0].destinations.size(), 2u);
  EXPECT_FALSE(pool.shares_services(0));
  pool.set_vip_held(0, true);
  EXPECT_EQ(pool.take_changed(), std::nullopt) << "ha_suspend changes which services exist";
}

TEST(LbPool, SharedServiceKeysAreReported) {
  auto lvs = lvs_from(
      "virtual_server_group g {\n 203.0.113.10 80\n 203.0.113.10 80\n}\n"
      "virtual_server group g {\n protocol TCP\n real_server 198.51.100.1 80 { }\n}\n"
      "virtual_server_group h {\n 203.0.113.20-21 80\n}\n"
      "virtual_server group h {\n protocol TCP\n real_server 198.51.100.1 80 { }\n}\n"
      "virtual_server_group k {\n 203.0.113.21 80\n}\n"
      "virtual_server group k {\n protocol TCP\n real_server 198.51.100.2 80 { }\n}\n");
  ASSERT_EQ(lvs.virtual_servers.size(), 3u);
  Pool pool(lvs);
  EXPECT_FALSE(pool.shares_services(0)) << "one virtual server naming a service twice";
  EXPECT_TRUE(pool.shares_services(1));
  EXPECT_TRUE(pool.shares_services(2));
}

}  // namespace
}  // namespace vigil::lb
