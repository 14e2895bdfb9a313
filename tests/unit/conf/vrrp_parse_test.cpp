#include <gtest/gtest.h>

#include "conf_test_util.h"

namespace vigil::conf {
namespace {

using testing::parse_text;

constexpr const char* kSeedMaster = R"(
global_defs {
   notification_email {
     acassen@firewall.loc
     failover@firewall.loc
   }
   notification_email_from Alexandre.Cassen@firewall.loc
   smtp_server 192.0.2.200
   smtp_connect_timeout 30
   router_id LVS_DEVEL
}
vrrp_script chk_down {
   script "/bin/sh -c '[ ! -f /etc/keepalived/down ]'"
   interval 2
   weight -10
   fall 2
   rise 1
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    track_script {
        chk_down
    }
    notify_master "/etc/keepalived/notify.sh master"
    smtp_alert
    virtual_ipaddress {
        192.0.2.100/24 dev eth0 label eth0:1
    }
}
)";

TEST(ConfVrrpParse, SeedMasterConfigTyped) {
  auto p = parse_text(kSeedMaster);
  ASSERT_FALSE(p.diag.has_errors()) << p.messages();
  const Config& c = p.config;
  EXPECT_EQ(c.global.notification_email.size(), 2u);
  EXPECT_EQ(c.global.smtp_server->host, "192.0.2.200");
  EXPECT_EQ(c.global.smtp_server->port, 25);
  EXPECT_EQ(*c.global.router_id, "LVS_DEVEL");
  ASSERT_EQ(c.vrrp_scripts.size(), 1u);
  const auto& s = c.vrrp_scripts[0];
  EXPECT_EQ(s.interval, Seconds(2));
  EXPECT_EQ(s.weight, -10);
  EXPECT_EQ(s.fall, 2u);
  ASSERT_EQ(s.script.argv.size(), 3u);
  EXPECT_EQ(s.script.argv[0], "/bin/sh");
  EXPECT_EQ(s.script.argv[2], "[ ! -f /etc/keepalived/down ]");
  ASSERT_EQ(c.vrrp_instances.size(), 1u);
  const auto& vi = c.vrrp_instances[0];
  EXPECT_EQ(vi.initial_state, VrrpState::Master);
  EXPECT_EQ(*vi.interface, "eth0");
  EXPECT_EQ(vi.vrid, 51);
  EXPECT_EQ(vi.priority, 100);
  EXPECT_EQ(vi.version, 2);
  EXPECT_EQ(vi.advert_interval, Micros(1000000));
  EXPECT_EQ(vi.auth_type, AuthType::Pass);
  EXPECT_EQ(vi.auth_pass, "1111");
  ASSERT_EQ(vi.vips.size(), 1u);
  EXPECT_EQ(vi.vips[0].address.to_string(), "192.0.2.100/24");
  EXPECT_EQ(*vi.vips[0].label, "eth0:1");
  EXPECT_TRUE(vi.smtp_alert);
  ASSERT_EQ(vi.tracking.scripts.size(), 1u);
  EXPECT_FALSE(vi.tracking.scripts[0].weight.has_value());
  EXPECT_EQ(vi.notify->master.argv.size(), 2u);
  EXPECT_EQ(vi.mcast_dst_ip->to_string(), "224.0.0.18");
  EXPECT_EQ(vi.garp_master_delay, Seconds(5));
  EXPECT_EQ(vi.garp_master_repeat, 5u);
  EXPECT_TRUE(vi.accept);
}

TEST(ConfVrrpParse, DefaultsWhenKeywordsAbsent) {
  auto p = parse_text(R"(
vrrp_instance V {
  interface eth0
  virtual_router_id 7
  virtual_ipaddress { 192.0.2.1 }
})");
  ASSERT_FALSE(p.diag.has_errors()) << p.messages();
  const auto& vi = p.config.vrrp_instances[0];
  EXPECT_EQ(vi.initial_state, VrrpState::Backup);
  EXPECT_EQ(vi.priority, 100);
  EXPECT_EQ(vi.advert_interval, Micros(1000000));
  EXPECT_EQ(vi.down_timer_adverts, 3u);
  EXPECT_FALSE(vi.nopreempt);
  EXPECT_EQ(vi.auth_type, AuthType::None);
  EXPECT_EQ(vi.vips[0].address.length, 32);
  EXPECT_EQ(p.config.global.default_interface, "eth0");
}

TEST(ConfVrrpParse, GlobalsFlowIntoInstances) {
  auto p = parse_text(R"(
global_defs {
  vrrp_garp_master_delay 10
  vrrp_garp_master_repeat 2
  vrrp_version 3
  vrrp_skip_check_adv_addr
  smtp_alert_vrrp true
}
vrrp_instance V {
  interface eth0
  virtual_router_id 7
  garp_master_repeat 4
  advert_int 0.25
  virtual_ipaddress { 192.0.2.1 }
})");
  ASSERT_FALSE(p.diag.has_errors()) << p.messages();
  const auto& vi = p.config.vrrp_instances[0];
  EXPECT_EQ(vi.version, 3);
  EXPECT_EQ(vi.advert_interval, Micros(250000));
  EXPECT_EQ(vi.garp_master_delay, Seconds(10));
  EXPECT_EQ(vi.garp_master_repeat, 4u);
  EXPECT_EQ(vi.garp_lower_prio_delay, Seconds(10));
  EXPECT_EQ(vi.garp_lower_prio_repeat, 4u);
  EXPECT_TRUE(vi.skip_check_adv_addr);
  EXPECT_TRUE(vi.smtp_alert);
}

TEST(ConfVrrpParse, Ipv6InstanceUsesVersion3AndGroup6) {
  auto p = parse_text(R"(
vrrp_instance V6 {
  interface eth0
  virtual_router_id 9
  virtual_ipaddress { 2001:db8::10/64 }
  virtual_ipaddress_excluded { 192.0.2.7/24 }
})");
  ASSERT_FALSE(p.diag.has_errors()) << p.messages();
  const auto& vi = p.config.vrrp_instances[0];
  EXPECT_EQ(vi.family, Family::V6);
  EXPECT_EQ(vi.version, 3);
  EXPECT_EQ(vi.mcast_dst_ip->to_string(), "ff02::12");
}

TEST(ConfVrrpParse, UnicastPeersAndVmac) {
  auto p = parse_text(R"(
vrrp_instance U {
  interface eth0
  virtual_router_id 9
  use_vmac vrrp9
  vmac_xmit_base
  unicast_src_ip 192.0.2.1
  unicast_peer {
    192.0.2.2 min_ttl 250 max_ttl 255
    192.0.2.3
  }
  virtual_ipaddress { 192.0.2.10/24 }
})");
  ASSERT_FALSE(p.diag.has_errors()) << p.messages();
  const auto& vi = p.config.vrrp_instances[0];
  ASSERT_EQ(vi.unicast_peers.size(), 2u);
  EXPECT_EQ(*vi.unicast_peers[0].min_ttl, 250);
  EXPECT_TRUE(vi.check_unicast_src);  // min_ttl turns it on
  EXPECT_EQ(*vi.vmac->name, "vrrp9");
  EXPECT_FALSE(vi.mcast_dst_ip.has_value());
}

TEST(ConfVrrpParse, UnnamedVmacTakesVmacPrefix) {
  auto p = parse_text(R"(
global_defs {
  vmac_prefix lb
}
vrrp_instance A {
  interface eth0
  virtual_router_id 7
  use_vmac
  virtual_ipaddress { 192.0.2.10/24 }
}
vrrp_instance B {
  interface eth0
  virtual_router_id 8
  use_vmac own8
  virtual_ipaddress { 192.0.2.11/24 }
})");
  ASSERT_FALSE(p.diag.has_errors()) << p.messages();
  EXPECT_EQ(*p.config.vrrp_instances[0].vmac->name, "lb.7");
  EXPECT_EQ(*p.config.vrrp_instances[1].vmac->name, "own8");
}

TEST(ConfVrrpParse, UnnamedVmacsWithOneVridGetDistinctNames) {
  auto p = parse_text(R"(
vrrp_instance A {
  interface eth0
  virtual_router_id 7
  use_vmac
  virtual_ipaddress { 192.0.2.10/24 }
}
vrrp_instance B {
  interface eth1
  virtual_router_id 7
  use_vmac
  virtual_ipaddress { 198.51.100.10/24 }
}
vrrp_instance C {
  interface eth0
  virtual_router_id 7
  use_vmac vrrp1.7
  virtual_ipaddress { 2001:db8::10/64 }
})");
  ASSERT_FALSE(p.diag.has_errors()) << p.messages();
  EXPECT_EQ(*p.config.vrrp_instances[0].vmac->name, "vrrp.7");
  // vrrp1.7 is C's explicit name: B takes the next free one.
  EXPECT_EQ(*p.config.vrrp_instances[1].vmac->name, "vrrp2.7");
  EXPECT_EQ(*p.config.vrrp_instances[2].vmac->name, "vrrp1.7");
}

TEST(ConfVrrpParse, SyncGroupTrackFileTrackProcess) {
  auto p = parse_text(R"(
track_file tf {
  file /run/prio
  weight 2
}
vrrp_track_process nginx {
  process nginx
  quorum 1
  delay 0.5
}
vrrp_sync_group G {
  group { A B }
  notify_master /bin/true
}
vrrp_instance A {
  interface eth0
  virtual_router_id 1
  track_file { tf }
  track_process { nginx weight 0 }
  virtual_ipaddress { 192.0.2.1 }
}
vrrp_instance B {
  interface eth1
  virtual_router_id 1
  virtual_ipaddress { 198.51.100.1 }
})");
  ASSERT_FALSE(p.diag.has_errors()) << p.messages();
  const auto& c = p.config;
  EXPECT_EQ(c.track_files[0].weight, 2);
  EXPECT_EQ(c.track_processes[0].fork_delay, Micros(500000));
  EXPECT_EQ(c.track_processes[0].terminate_delay, Micros(500000));
  EXPECT_EQ(c.sync_groups[0].members.size(), 2u);
  EXPECT_EQ(*c.vrrp_instances[1].sync_group, "G");
}

TEST(ConfVrrpParse, RoutesAndRules) {
  auto p = parse_text(R"(
static_routes {
  192.0.2.0/24 via 198.51.100.1 dev eth0 table 100 metric 5 mtu lock 1400
  blackhole 203.0.113.0/24
}
static_rules {
  from 192.0.2.0/24 table 100 preference 10
  to 2001:db8::/32 lookup main fwmark 5/0xff
}
vrrp_instance V {
  interface eth0
  virtual_router_id 7
  virtual_ipaddress { 192.0.2.1 }
  virtual_routes { src 192.0.2.1 to 198.51.100.0/24 via 192.0.2.254 or 192.0.2.253 no_track }
})");
  ASSERT_FALSE(p.diag.has_errors()) << p.messages();
  const auto& r = p.config.statics.routes;
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(*r[0].table, 100u);
  EXPECT_EQ(r[0].metrics.at("mtu"), 1400u);
  EXPECT_EQ(r[0].locked_metrics.size(), 1u);
  EXPECT_EQ(r[1].type, RouteType::Blackhole);
  const auto& rules = p.config.statics.rules;
  EXPECT_EQ(*rules[0].preference, 10u);
  EXPECT_EQ(*rules[1].table, 254u);
  EXPECT_EQ(*rules[1].fwmask, 0xffu);
  EXPECT_TRUE(rules[1].is_v6());
  const auto& vr = p.config.vrrp_instances[0].routes[0];
  EXPECT_EQ(vr.or_via->to_string(), "192.0.2.253");
  EXPECT_TRUE(vr.no_track);
}

TEST(ConfVrrpParse, VigilExtensions) {
  auto p = parse_text(R"(
global_defs {
  vigil_metrics_listen [::1]:9650
  vigil_control_socket /run/vigil.sock
})");
  ASSERT_FALSE(p.diag.has_errors()) << p.messages();
  EXPECT_EQ(p.config.global.vigil_metrics_port, 9650);
  EXPECT_EQ(p.config.global.vigil_metrics_address->to_string(), "::1");
  EXPECT_EQ(*p.config.global.vigil_control_socket, "/run/vigil.sock");
}

}  // namespace
}  // namespace vigil::conf
