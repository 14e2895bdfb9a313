// The nftables back end against the real kernel, in private network namespaces: objects read
// back through libnftables, incremental updates, clean removal, and real TCP traffic through
// NAT and DR to tiny servers in real-server namespaces.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "../testing/netns.h"
#include "lb/nft/nft_data_plane.h"
#include "lb_kernel_util.h"
#include "lb_test_util.h"

namespace vigil::lb::nft {
namespace {

using json = nlohmann::json;
using namespace vigil::testing;
using lb::testing::dest;
using lb::testing::fetch;
using lb::testing::NameServer;
using lb::testing::tcp_service;
using lb::testing::write_sysctl;

DeviceResolver always(const std::string& dev) {
  return [dev](const IpAddress&) { return std::optional<std::string>(dev); };
}

// The objects of one kind ("map", "chain", "rule", ...) of a listing.
std::vector<json> objects(const json& listing, const std::string& kind) {
  std::vector<json> out;
  for (const json& o : listing["nftables"])
    if (o.contains(kind)) out.push_back(o[kind]);
  return out;
}

std::set<std::string> map_elements(const json& listing, const std::string& name) {
  std::set<std::string> out;
  for (const json& m : objects(listing, "map")) {
    if (m["name"] != name || !m.contains("elem")) continue;
    for (const json& e : m["elem"]) out.insert(e.dump());
  }
  return out;
}

size_t rules_in(const json& listing, const std::string& chain) {
  size_t n = 0;
  for (const json& r : objects(listing, "rule")) n += r["chain"] == chain;
  return n;
}

DesiredState nat_state(uint32_t w1, uint32_t w2) {
  DesiredState st;
  st.services.push_back(tcp_service(
      "203.0.113.10", 80, {dest("198.51.100.2", 8080, w1), dest("198.51.100.6", 8080, w2)}));
  return st;
}

TEST(LbNftKernel, ApplyReadBackUpdateAndRemove) {
  VIGIL_REQUIRE_ROOT();
  run_in_netns([] {
    NftContext other;
    ASSERT_TRUE(other.run_native("add table inet foreign\nadd chain inet foreign keep\n").ok());
    NftDataPlane dp(always("lo"));
    DesiredState st = nat_state(1, 1);
    Service persistent = tcp_service("203.0.113.11", 443, {dest("198.51.100.2", 443, 1)});
    persistent.scheduler = conf::LvsScheduler::Sh;
    persistent.persistence_timeout = 60;
    st.services.push_back(persistent);
    Service dr =
        tcp_service("203.0.113.12", 80, {dest("198.51.100.3", 80, 1, conf::LvsForwarding::Dr)});
    st.services.push_back(dr);
    auto r = dp.apply(st);
    ASSERT_TRUE(r.ok()) << r.error().message;

    auto inet = dp.context().list_json("list table inet vigil");
    ASSERT_TRUE(inet.ok()) << inet.error().message;
    const std::string id = "tcp4_203_0_113_10_80";
    EXPECT_EQ(
        map_elements(*inet, "pick_" + id + "_nat"),
        (std::set<std::string>{R"([{"range":[0,32767]},{"concat":["198.51.100.2",8080]}])",
                               R"([{"range":[32768,65535]},{"concat":["198.51.100.6",8080]}])"}));
    EXPECT_EQ(map_elements(*inet, "svc4").size(), 2u);
    EXPECT_EQ(rules_in(*inet, "svc_" + id), 2u);
    EXPECT_EQ(rules_in(*inet, "svc_tcp4_203_0_113_11_443"), 3u);
    auto netdev = dp.context().list_json("list table netdev vigil");
    ASSERT_TRUE(netdev.ok()) << netdev.error().message;
    EXPECT_EQ(map_elements(*netdev, "svc4").size(), 1u);
    EXPECT_EQ(rules_in(*netdev, "in_lo"), 2u);

    // Same state again: nothing but the idempotent table adds.
    ASSERT_TRUE(dp.apply(st).ok());
    for (const json& c : dp.last_batch().json["nftables"]) EXPECT_TRUE(c["add"].contains("table"));

    // One weight changes: only pick-map elements change, rules keep their handles.
    std::set<int> handles_before;
    for (const json& rule : objects(*inet, "rule"))
      handles_before.insert(rule["handle"].get<int>());
    st.services[0].destinations[1].weight = 3;
    r = dp.apply(st);
    ASSERT_TRUE(r.ok()) << r.error().message;
    // Nothing was rendered: the service's element changes went as a raw netlink batch.
    EXPECT_EQ(dp.last_rendered(), 0u);
    ASSERT_EQ(dp.last_batch().picks.size(), 1u);
    EXPECT_EQ(dp.last_batch().picks[0].map, "pick_" + id + "_nat");
    for (const json& c : dp.last_batch().json["nftables"]) {
      for (const auto& [op, body] : c.items()) {
        EXPECT_TRUE(body.contains("element") || body.contains("table")) << c.dump();
      }
    }
    auto after = dp.context().list_json("list table inet vigil");
    ASSERT_TRUE(after.ok());
    EXPECT_THAT(map_elements(*after, "pick_" + id + "_nat"),
                ::testing::Contains(::testing::HasSubstr("[16384,65535]")));
    std::set<int> handles_after;
    for (const json& rule : objects(*after, "rule"))
      handles_after.insert(rule["handle"].get<int>());
    EXPECT_EQ(handles_before, handles_after);

    // A real server leaves one service: the other services' rules keep their handles.
    std::set<int> others_before;
    for (const json& rule : objects(*after, "rule"))
      if (rule["chain"] != "svc_" + id && rule["chain"].get<std::string>().rfind("dst_" + id, 0))
        others_before.insert(rule["handle"].get<int>());
    st.services[0].destinations.pop_back();
    r = dp.apply(st);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(dp.last_rendered(), 0u);
    auto smaller = dp.context().list_json("list table inet vigil");
    ASSERT_TRUE(smaller.ok());
    EXPECT_EQ(map_elements(*smaller, "pick_" + id + "_nat"),
              (std::set<std::string>{R"([{"range":[0,65535]},{"concat":["198.51.100.2",8080]}])"}));
    std::set<int> others_after;
    for (const json& rule : objects(*smaller, "rule"))
      if (rule["chain"] != "svc_" + id && rule["chain"].get<std::string>().rfind("dst_" + id, 0))
        others_after.insert(rule["handle"].get<int>());
    EXPECT_EQ(others_before, others_after);
    EXPECT_FALSE(others_after.empty());

    // A service goes away: its objects go, the others stay.
    st.services.erase(st.services.begin() + 1);
    ASSERT_TRUE(dp.apply(st).ok());
    auto fewer = dp.context().list_json("list table inet vigil");
    ASSERT_TRUE(fewer.ok());
    EXPECT_EQ(rules_in(*fewer, "svc_tcp4_203_0_113_11_443"), 0u);
    EXPECT_EQ(map_elements(*fewer, "svc4").size(), 1u);

    dp.remove_all();
    EXPECT_FALSE(dp.context().list_json("list table inet vigil").ok());
    EXPECT_FALSE(dp.context().list_json("list table netdev vigil").ok());
    EXPECT_TRUE(dp.context().list_json("list table inet foreign").ok()) << "not vigil's table";
    // After remove_all the next apply rebuilds.
    ASSERT_TRUE(dp.apply(st).ok());
    EXPECT_TRUE(dp.context().list_json("list table inet vigil").ok());
  });
}

// Every shape of service the renderer knows is accepted by the kernel in one transaction.
TEST(LbNftKernel, KernelAcceptsEveryServiceShape) {
  VIGIL_REQUIRE_ROOT();
  run_in_netns([] {
    NftDataPlane dp(always("lo"));
    DesiredState st;
    Service v6 = tcp_service("2001:db8::10", 80, {dest("2001:db8:1::2", 8080, 2)});
    v6.persistence_timeout = 30;
    v6.persistence_granularity = 64;
    st.services.push_back(v6);
    Service all_ports = tcp_service("203.0.113.20", 0, {dest("198.51.100.2", 0, 1)});
    all_ports.persistence_timeout = 360;
    st.services.push_back(all_ports);
    Service udp = tcp_service("203.0.113.21", 53, {dest("198.51.100.2", 53, 1)});
    udp.key.protocol = conf::LvsProtocol::Udp;
    udp.scheduler = conf::LvsScheduler::Dh;
    st.services.push_back(udp);
    Service sctp = tcp_service("203.0.113.22", 3868, {dest("198.51.100.2", 3868, 1)});
    sctp.key.protocol = conf::LvsProtocol::Sctp;
    sctp.scheduler = conf::LvsScheduler::Mh;
    sctp.flags = kSvcSched2;
    st.services.push_back(sctp);
    for (Family f : {Family::V4, Family::V6}) {
      Service fwm;
      fwm.key.family = f;
      fwm.key.fwmark = 7;
      fwm.scheduler = conf::LvsScheduler::Fo;
      fwm.destinations = {f == Family::V4 ? dest("198.51.100.2", 0, 1)
                                          : dest("2001:db8:1::2", 0, 1)};
      st.services.push_back(fwm);
    }
    Service dr6 =
        tcp_service("2001:db8::11", 80, {dest("2001:db8:1::3", 80, 1, conf::LvsForwarding::Dr)});
    dr6.persistence_timeout = 60;
    st.services.push_back(dr6);
    std::sort(st.services.begin(), st.services.end(),
              [](const Service& a, const Service& b) { return a.key < b.key; });
    auto r = dp.apply(st);
    ASSERT_TRUE(r.ok()) << r.error().message << "\n"
                        << dp.last_batch().native << dp.last_batch().json.dump(1);
    auto inet = dp.context().list_json("list table inet vigil");
    ASSERT_TRUE(inet.ok());
    EXPECT_EQ(map_elements(*inet, "svc4").size(), 3u);
    EXPECT_EQ(map_elements(*inet, "svc6").size(), 1u);
    EXPECT_EQ(map_elements(*inet, "fwm4").size(), 1u);
    EXPECT_EQ(map_elements(*inet, "fwm6").size(), 1u);
    dp.remove_all();
  });
}

TEST(LbNftKernel, NatSpreadsConnectionsByWeightAndPersists) {
  VIGIL_REQUIRE_ROOT();
  run_in_netns(
      [] {
        // director (this namespace) — client on c0, real servers on s1/s2 (p2p /30 links).
        int client = new_netns(), rs1 = new_netns(), rs2 = new_netns();
        create_veth("c0", "eth0", client);
        create_veth("s1", "eth0", rs1);
        create_veth("s2", "eth0", rs2);
        add_test_address("c0", "203.0.113.1/24");
        add_test_address("c0", "203.0.113.10/32");  // the VIP: the director answers its ARP
        add_test_address("s1", "198.51.100.1/30");
        add_test_address("s2", "198.51.100.5/30");
        write_sysctl("/proc/sys/net/ipv4/ip_forward", "1");
        in_netns(client, [] { add_test_address("eth0", "203.0.113.100/24"); });
        in_netns(rs1, [] {
          add_test_address("eth0", "198.51.100.2/30");
          lb::testing::add_default_route("198.51.100.1");  // NAT: replies return via the director
        });
        in_netns(rs2, [] {
          add_test_address("eth0", "198.51.100.6/30");
          lb::testing::add_default_route("198.51.100.5");
        });
        std::unique_ptr<NameServer> srv1, srv2;
        in_netns(rs1, [&] { srv1 = std::make_unique<NameServer>("rs1", 8080); });
        in_netns(rs2, [&] { srv2 = std::make_unique<NameServer>("rs2", 8080); });

        NftDataPlane dp;
        auto r = dp.apply(nat_state(1, 3));
        ASSERT_TRUE(r.ok()) << r.error().message;

        // 1:3 over 200 connections: expected 50/150 (sd ~6); the bounds are 5 sd wide.
        std::map<std::string, int> seen;
        in_netns(client, [&] {
          for (int i = 0; i < 200; ++i) ++seen[fetch("203.0.113.10", 80)];
        });
        EXPECT_EQ(seen[""], 0) << "failed connections";
        EXPECT_GT(seen["rs1"], 20);
        EXPECT_LT(seen["rs1"], 80);
        EXPECT_EQ(seen["rs1"] + seen["rs2"], 200);

        // rs1 to weight 0 (inhibited): every new connection goes to rs2.
        ASSERT_TRUE(dp.apply(nat_state(0, 3)).ok());
        seen.clear();
        in_netns(client, [&] {
          for (int i = 0; i < 30; ++i) ++seen[fetch("203.0.113.10", 80)];
        });
        EXPECT_EQ(seen["rs2"], 30);

        // rs1 leaves the pool and comes back (raw element updates only, its chain kept for
        // its return, nothing rendered): traffic follows each time.
        DesiredState only2 = nat_state(1, 3);
        only2.services[0].destinations.erase(only2.services[0].destinations.begin());
        ASSERT_TRUE(dp.apply(only2).ok());
        EXPECT_EQ(dp.last_rendered(), 0u);
        seen.clear();
        in_netns(client, [&] {
          for (int i = 0; i < 20; ++i) ++seen[fetch("203.0.113.10", 80)];
        });
        EXPECT_EQ(seen["rs2"], 20);
        ASSERT_TRUE(dp.apply(nat_state(3, 1)).ok());
        EXPECT_FALSE(dp.last_batch().picks.empty());
        EXPECT_EQ(dp.last_rendered(), 0u);
        seen.clear();
        in_netns(client, [&] {
          for (int i = 0; i < 40; ++i) ++seen[fetch("203.0.113.10", 80)];
        });
        EXPECT_GT(seen["rs1"], 15);
        EXPECT_EQ(seen["rs1"] + seen["rs2"], 40);

        // Persistence: one client sticks to one real server although the choice is 1:1 random.
        DesiredState sticky = nat_state(1, 1);
        sticky.services[0].persistence_timeout = 300;
        ASSERT_TRUE(dp.apply(sticky).ok());
        seen.clear();
        in_netns(client, [&] {
          for (int i = 0; i < 20; ++i) ++seen[fetch("203.0.113.10", 80)];
        });
        EXPECT_EQ(seen.size(), 1u) << "rs1 " << seen["rs1"] << " rs2 " << seen["rs2"];
        EXPECT_EQ(seen[""], 0);

        // No destination: refused, not answered by the director itself.
        DesiredState empty = nat_state(1, 1);
        empty.services[0].destinations.clear();
        auto emptied = dp.apply(empty);
        ASSERT_TRUE(emptied.ok()) << emptied.error().message;
        in_netns(client, [&] { EXPECT_EQ(fetch("203.0.113.10", 80), ""); });
        srv1.reset();
        srv2.reset();
      },
      std::chrono::seconds(60));
}

TEST(LbNftKernel, DirectRoutingDeliversToTheRealServerWithTheVipOnLo) {
  VIGIL_REQUIRE_ROOT();
  run_in_netns(
      [] {
        // One LAN (a bridge in its own namespace): client, director, two real servers.
        int lan = new_netns(), client = new_netns(), rs1 = new_netns(), rs2 = new_netns();
        in_netns(lan, [] { create_test_link("br0"); });
        create_veth("eth0", "p-dir", lan);
        in_netns(client, [&] { create_veth("eth0", "p-cli", lan); });
        in_netns(rs1, [&] { create_veth("eth0", "p-rs1", lan); });
        in_netns(rs2, [&] { create_veth("eth0", "p-rs2", lan); });
        in_netns(lan, [] {
          for (const char* p : {"p-dir", "p-cli", "p-rs1", "p-rs2"})
            lb::testing::set_master(p, "br0");
        });
        add_test_address("eth0", "203.0.113.1/24");
        add_test_address("eth0", "203.0.113.10/32");  // VIP on the director
        in_netns(client, [] { add_test_address("eth0", "203.0.113.100/24"); });
        std::unique_ptr<NameServer> srv1, srv2;
        auto real_server = [&](int ns, const char* addr, const char* name,
                               std::unique_ptr<NameServer>& srv) {
          in_netns(ns, [&] {
            // The VIP on lo, never announced: the classic DR real-server set-up.
            write_sysctl("/proc/sys/net/ipv4/conf/all/arp_ignore", "1");
            write_sysctl("/proc/sys/net/ipv4/conf/all/arp_announce", "2");
            add_test_address("eth0", addr);
            add_test_address("lo", "203.0.113.10/32");
            srv = std::make_unique<NameServer>(name, 80);
          });
        };
        real_server(rs1, "203.0.113.21/24", "rs1", srv1);
        real_server(rs2, "203.0.113.22/24", "rs2", srv2);

        NftDataPlane dp;  // the real route lookup finds eth0 for both real servers
        DesiredState st;
        st.services.push_back(tcp_service("203.0.113.10", 80,
                                          {dest("203.0.113.21", 80, 1, conf::LvsForwarding::Dr),
                                           dest("203.0.113.22", 80, 1, conf::LvsForwarding::Dr)}));
        auto r = dp.apply(st);
        ASSERT_TRUE(r.ok()) << r.error().message;

        std::map<std::string, int> seen;
        in_netns(client, [&] {
          for (int i = 0; i < 60; ++i) ++seen[fetch("203.0.113.10", 80)];
        });
        EXPECT_EQ(seen[""], 0) << "failed connections";
        EXPECT_GT(seen["rs1"], 0);
        EXPECT_GT(seen["rs2"], 0);
        // DR keeps the destination address: the real servers accepted on the VIP itself.
        EXPECT_EQ(srv1->local_addresses(),
                  (std::map<std::string, int>{{"203.0.113.10", seen["rs1"]}}));
        EXPECT_EQ(srv2->local_addresses(),
                  (std::map<std::string, int>{{"203.0.113.10", seen["rs2"]}}));

        // Only rs2 left: everything goes there.
        st.services[0].destinations.erase(st.services[0].destinations.begin());
        ASSERT_TRUE(dp.apply(st).ok());
        seen.clear();
        in_netns(client, [&] {
          for (int i = 0; i < 20; ++i) ++seen[fetch("203.0.113.10", 80)];
        });
        EXPECT_EQ(seen["rs2"], 20);
        srv1.reset();
        srv2.reset();
      },
      std::chrono::seconds(60));
}

}  // namespace
}  // namespace vigil::lb::nft
