// virtual_server and real_server keywords: values, defaults, aliases and located errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lvs_test_util.h"

namespace vigil::conf {
namespace {

using ::testing::HasSubstr;
using testing::parse_lvs_text;

constexpr const char* kSeedLikeDr = R"(
virtual_server 203.0.113.10 80 {
    delay_loop 6
    lb_algo wrr
    lb_kind DR
    persistence_timeout 50
    protocol TCP
    sorry_server 198.51.100.99 8080
    real_server 198.51.100.1 80 {
        weight 3
        HTTP_GET {
            url {
                path /index.html
                status_code 200
            }
            connect_timeout 3
            retry 3
            delay_before_retry 3
        }
    }
    real_server 198.51.100.2 80 {
        weight 1
        TCP_CHECK {
            connect_port 80
            connect_timeout 2.5
        }
    }
}
)";

TEST(LvsVirtualServer, ParsesSeedStyleDirectRoutingService) {
  auto r = parse_lvs_text(kSeedLikeDr);
  EXPECT_EQ(r.diag.error_count(), 0u) << r.text();
  EXPECT_EQ(r.diag.warning_count(), 0u) << r.text();
  ASSERT_EQ(r.lvs.virtual_servers.size(), 1u);
  const VirtualServer& vs = r.lvs.virtual_servers[0];
  EXPECT_EQ(vs.kind, VirtualServerKind::Address);
  EXPECT_EQ(vs.address.to_string(), "203.0.113.10");
  EXPECT_EQ(vs.port, 80);
  EXPECT_EQ(vs.timing.delay_loop, Micros{6'000'000});
  EXPECT_EQ(vs.scheduler, LvsScheduler::Wrr);
  ASSERT_TRUE(vs.forwarding);
  EXPECT_EQ(vs.forwarding->method, LvsForwarding::Dr);
  EXPECT_EQ(vs.persistence_timeout, 50u);
  EXPECT_EQ(vs.protocol, LvsProtocol::Tcp);
  ASSERT_TRUE(vs.sorry_server);
  EXPECT_EQ(vs.sorry_server->address.to_string(), "198.51.100.99");
  EXPECT_EQ(vs.sorry_server->port, 8080);
  ASSERT_EQ(vs.real_servers.size(), 2u);
  EXPECT_EQ(vs.real_servers[0].weight, 3u);
  EXPECT_EQ(vs.real_servers[0].loc.line, 9u);
  ASSERT_EQ(vs.real_servers[0].checkers.size(), 1u);
  const HealthChecker& http = vs.real_servers[0].checkers[0];
  EXPECT_EQ(http.kind, CheckerKind::HttpGet);
  const auto& h = std::get<HttpCheck>(http.spec);
  ASSERT_EQ(h.urls.size(), 1u);
  EXPECT_EQ(h.urls[0].path, "/index.html");
  ASSERT_EQ(h.urls[0].status_codes.size(), 1u);
  EXPECT_EQ(h.urls[0].status_codes[0], (StatusCodeRange{200, 200}));
  CheckerTiming t = resolve_checker_timing(vs, vs.real_servers[0], http);
  EXPECT_EQ(t.connect_timeout, Micros{3'000'000});
  EXPECT_EQ(t.retry, 3u);
  EXPECT_EQ(t.delay_before_retry, Micros{3'000'000});
  EXPECT_EQ(t.delay_loop, Micros{6'000'000});  // inherited from the virtual server
  EXPECT_EQ(t.warmup, Micros{6'000'000});      // defaults to delay_loop

  const HealthChecker& tcp = vs.real_servers[1].checkers[0];
  EXPECT_EQ(tcp.kind, CheckerKind::Tcp);
  EXPECT_EQ(tcp.common.connection.connect_port, 80);
  EXPECT_EQ(resolve_checker_timing(vs, vs.real_servers[1], tcp).connect_timeout, Micros{2'500'000});
}

TEST(LvsVirtualServer, DefaultsFollowKeepalived) {
  auto r = parse_lvs_text(R"(
virtual_server 203.0.113.10 80 {
    protocol TCP
    real_server 198.51.100.1 80 {
        TCP_CHECK {
        }
        HTTP_GET {
            url {
                path /
            }
        }
        DNS_CHECK {
        }
        MISC_CHECK {
            misc_path /bin/true
        }
    }
}
)");
  ASSERT_EQ(r.diag.error_count(), 0u) << r.text();
  const VirtualServer& vs = r.lvs.virtual_servers[0];
  const RealServer& rs = vs.real_servers[0];
  EXPECT_EQ(rs.weight, 1u);
  EXPECT_EQ(vs.quorum, 1u);
  EXPECT_EQ(vs.hysteresis, 0u);
  EXPECT_EQ(effective_scheduler(vs), LvsScheduler::Wlc);
  EXPECT_EQ(effective_forwarding(vs, rs).method, LvsForwarding::Nat);
  auto tcp = resolve_checker_timing(vs, rs, rs.checkers[0]);
  EXPECT_EQ(tcp.delay_loop, Micros{60'000'000});
  EXPECT_EQ(tcp.connect_timeout, Micros{5'000'000});
  EXPECT_EQ(tcp.retry, 1u);
  EXPECT_EQ(tcp.delay_before_retry, Micros{1'000'000});
  EXPECT_FALSE(tcp.alpha);
  EXPECT_EQ(resolve_checker_timing(vs, rs, rs.checkers[1]).delay_before_retry, Micros{3'000'000});
  auto dns = resolve_checker_timing(vs, rs, rs.checkers[2]);
  EXPECT_EQ(dns.retry, 3u);
  EXPECT_EQ(dns.delay_before_retry, dns.delay_loop);
  EXPECT_EQ(resolve_checker_timing(vs, rs, rs.checkers[3]).retry, 0u);
  EXPECT_EQ(std::get<HttpCheck>(rs.checkers[1].spec).urls[0].effective_status_codes(),
            (std::vector<StatusCodeRange>{{200, 299}}));
}

TEST(LvsVirtualServer, RealServerSettingsOverrideVirtualServerOnes) {
  auto r = parse_lvs_text(R"(
virtual_server 203.0.113.10 80 {
    protocol TCP
    delay_loop 10
    retry 4
    alpha
    inhibit_on_failure
    lvs_method TUN
    real_server 198.51.100.1 80 {
        delay_loop 20
        alpha off
        lvs_method DR
        inhibit_on_failure false
        TCP_CHECK {
            retry 7
        }
    }
}
)");
  ASSERT_EQ(r.diag.error_count(), 0u) << r.text();
  const VirtualServer& vs = r.lvs.virtual_servers[0];
  const RealServer& rs = vs.real_servers[0];
  auto t = resolve_checker_timing(vs, rs, rs.checkers[0]);
  EXPECT_EQ(t.delay_loop, Micros{20'000'000});
  EXPECT_EQ(t.retry, 7u);
  EXPECT_FALSE(t.alpha);
  EXPECT_EQ(effective_forwarding(vs, rs).method, LvsForwarding::Dr);
  EXPECT_FALSE(effective_inhibit_on_failure(vs, rs));
}

TEST(LvsVirtualServer, CurrentAndOlderKeywordNamesAreEquivalent) {
  auto r = parse_lvs_text(R"(
virtual_server 203.0.113.10 80 {
    protocol UDP
    lvs_sched sh
    lvs_method NAT
    sh-port
    sh-fallback
    ops
    real_server 198.51.100.1 80 {
    }
}
)");
  EXPECT_EQ(r.diag.error_count(), 0u) << r.text();
  EXPECT_EQ(r.diag.warning_count(), 0u) << r.text();
  const VirtualServer& vs = r.lvs.virtual_servers[0];
  EXPECT_EQ(vs.scheduler, LvsScheduler::Sh);
  EXPECT_TRUE(vs.flag_1);
  EXPECT_TRUE(vs.flag_2);
  EXPECT_FALSE(vs.flag_3);
  EXPECT_TRUE(vs.ops);
}

TEST(LvsVirtualServer, UnknownSchedulerIsLocatedWithSuggestion) {
  auto r = parse_lvs_text(R"(
virtual_server 203.0.113.10 80 {
    protocol TCP
    lb_algo wrrr
}
)");
  ASSERT_EQ(r.diag.error_count(), 1u) << r.text();
  const Diagnostic& d = r.diag.all()[0];
  EXPECT_EQ(d.loc.line, 4u);
  EXPECT_EQ(d.loc.col, 13u);
  EXPECT_THAT(d.message, HasSubstr("wrrr"));
  EXPECT_THAT(d.hint, HasSubstr("`wrr`"));
}

TEST(LvsVirtualServer, UnknownKeywordSuggestsTheClosestOne) {
  auto r = parse_lvs_text(R"(
virtual_server 203.0.113.10 80 {
    protocol TCP
    delay_lop 5
    real_server 198.51.100.1 80 {
        wieght 2
    }
}
)");
  ASSERT_EQ(r.diag.error_count(), 2u) << r.text();
  EXPECT_EQ(r.diag.all()[0].loc.line, 4u);
  EXPECT_THAT(r.diag.all()[0].hint, HasSubstr("delay_loop"));
  EXPECT_EQ(r.diag.all()[1].loc.line, 6u);
  EXPECT_THAT(r.diag.all()[1].message, HasSubstr("real_server"));
  EXPECT_THAT(r.diag.all()[1].hint, HasSubstr("weight"));
}

TEST(LvsVirtualServer, RangesAreEnforcedWithLocations) {
  auto r = parse_lvs_text(R"(
virtual_server 203.0.113.10 80 {
    protocol TCP
    persistence_timeout 2678401
    quorum 0
    delay_loop 0
    connect_timeout 4295
    retry 0
    real_server 198.51.100.1 80 {
        weight 2147483648
    }
    real_server 198.51.100.2 65536 {
    }
}
)",
                          false);
  std::string all = r.text();
  EXPECT_EQ(r.diag.error_count(), 7u) << all;
  EXPECT_THAT(
      all,
      HasSubstr("test.conf:4:25: error: `persistence_timeout`: 2678401 is out of range 1-2678400"));
  EXPECT_THAT(all, HasSubstr("test.conf:5:12: error: `quorum`: 0 is out of range"));
  EXPECT_THAT(all, HasSubstr("test.conf:6:16: error: `delay_loop`"));
  EXPECT_THAT(all, HasSubstr("test.conf:7:21: error: `connect_timeout`"));
  EXPECT_THAT(all, HasSubstr("test.conf:8:11: error: `retry`"));
  EXPECT_THAT(
      all, HasSubstr("test.conf:10:16: error: `weight`: 2147483648 is out of range 0-2147483647"));
  EXPECT_THAT(all,
              HasSubstr("test.conf:12:30: error: `real_server`: 65536 is out of range 0-65535"));
}

TEST(LvsVirtualServer, AcceptsTheLongTailOfVirtualServerKeywords) {
  auto r = parse_lvs_text(R"(
virtual_server 2001:db8::10 443 {
    protocol SCTP
    lvs_sched mh
    mh-port
    mh-fallback
    flag-3
    lvs_method TUN type gue port 6080 csum
    persistence_engine sip
    persistence_timeout
    persistence_granularity 64
    ha_suspend
    smtp_alert on
    virtualhost www.example.com
    snmp_name web
    alpha
    omega
    quorum 2
    hysteresis 1
    quorum_up "/usr/local/bin/up.sh arg" nobody nogroup
    quorum_down /usr/local/bin/down.sh
    ip_family inet6
    sorry_server 2001:db8::99 443
    sorry_server_inhibit
    sorry_server_lvs_method TUN type gre nocsum
    connect_timeout 1.5
    retry 2
    delay_before_retry 0
    warmup 0
    delay_loop 0.25
    inhibit_on_failure
    real_server 2001:db8::1 443 {
        weight 2
        lvs_method TUN type ipip
        notify_up "/bin/echo up" root
        notify_down /bin/echo
        uthreshold 100
        lthreshold 10
        smtp_alert no
        virtualhost rs.example.com
        snmp_name rs1
        alpha yes
        connect_timeout 2
        retry 5
        delay_before_retry 2
        warmup 1
        delay_loop 3
        inhibit_on_failure yes
    }
}
)");
  EXPECT_EQ(r.diag.error_count(), 0u) << r.text();
  const VirtualServer& vs = r.lvs.virtual_servers[0];
  EXPECT_EQ(vs.protocol, LvsProtocol::Sctp);
  EXPECT_TRUE(vs.flag_1 && vs.flag_2 && vs.flag_3);
  ASSERT_TRUE(vs.forwarding);
  EXPECT_EQ(vs.forwarding->method, LvsForwarding::Tun);
  EXPECT_EQ(vs.forwarding->tunnel_type, TunnelType::Gue);
  EXPECT_EQ(vs.forwarding->tunnel_port, 6080);
  EXPECT_EQ(vs.forwarding->tunnel_checksum, TunnelChecksum::Csum);
  EXPECT_EQ(vs.persistence_timeout, kDefaultPersistenceTimeout);
  EXPECT_EQ(vs.persistence_granularity, 64);
  EXPECT_TRUE(vs.ha_suspend);
  EXPECT_EQ(vs.smtp_alert, true);
  EXPECT_TRUE(vs.omega);
  EXPECT_EQ(vs.timing.alpha, true);
  EXPECT_EQ(vs.quorum, 2u);
  ASSERT_TRUE(vs.quorum_up);
  EXPECT_EQ(vs.quorum_up->command, "/usr/local/bin/up.sh arg");
  EXPECT_EQ(vs.quorum_up->user, "nobody");
  EXPECT_EQ(vs.quorum_up->group, "nogroup");
  EXPECT_EQ(vs.ip_family, Family::V6);
  EXPECT_TRUE(vs.sorry_server_inhibit);
  EXPECT_EQ(vs.sorry_server_forwarding->tunnel_type, TunnelType::Gre);
  EXPECT_EQ(vs.timing.delay_loop, Micros{250'000});
  EXPECT_EQ(vs.timing.delay_before_retry, Micros{0});
  const RealServer& rs = vs.real_servers[0];
  EXPECT_EQ((*rs.notify_up)->user, "root");
  EXPECT_FALSE((*rs.notify_up)->group);
  EXPECT_EQ(rs.uthreshold, 100u);
  EXPECT_EQ(rs.smtp_alert, false);
  EXPECT_EQ(rs.inhibit_on_failure, true);
  EXPECT_EQ(rs.timing.warmup, Micros{1'000'000});
}

TEST(LvsVirtualServer, FwmarkAndGroupServices) {
  auto r = parse_lvs_text(R"(
virtual_server_group WEB {
    203.0.113.10 80
}
virtual_server fwmark 7 {
    protocol TCP
    persistence_timeout 60
    real_server 198.51.100.1 {
    }
}
virtual_server group WEB {
    protocol TCP
    real_server 198.51.100.1 80 {
    }
}
)");
  EXPECT_EQ(r.diag.error_count(), 0u) << r.text();
  ASSERT_EQ(r.lvs.virtual_servers.size(), 2u);
  EXPECT_EQ(r.lvs.virtual_servers[0].kind, VirtualServerKind::Fwmark);
  EXPECT_EQ(r.lvs.virtual_servers[0].fwmark, 7u);
  EXPECT_FALSE(r.lvs.virtual_servers[0].real_servers[0].port);
  EXPECT_EQ(r.lvs.virtual_servers[1].kind, VirtualServerKind::Group);
  EXPECT_EQ(r.lvs.virtual_servers[1].group, "WEB");
}

TEST(LvsVirtualServer, TutorialLeftoversWarnInsteadOfFailing) {
  auto r = parse_lvs_text(R"(
virtual_server 203.0.113.10 80 {
    protocol TCP
    nat_mask 255.255.255.0
    persistence_timeout 0
    real_server 198.51.100.1 80 {
        TCP_CHECK {
            nb_get_retry 3
        }
    }
}
)");
  EXPECT_EQ(r.diag.error_count(), 0u) << r.text();
  std::string all = r.text();
  EXPECT_THAT(all, HasSubstr("test.conf:4:5: warning: `nat_mask` is obsolete and ignored"));
  EXPECT_THAT(all, HasSubstr("test.conf:5:25: warning: `persistence_timeout 0` means no"));
  EXPECT_THAT(all, HasSubstr("test.conf:8:13: warning: `nb_get_retry` is deprecated; use `retry`"));
  EXPECT_FALSE(r.lvs.virtual_servers[0].persistence_timeout);
}

TEST(LvsVirtualServer, BadTunnelOptionsAreErrors) {
  auto r = parse_lvs_text(R"(
virtual_server 203.0.113.10 80 {
    lvs_method TUN type gue
    lvs_method NAT type ipip
    lvs_method TUN type gre remcsum
    lvs_method TUN csum
    lvs_method BRIDGE
}
)",
                          false);
  EXPECT_EQ(r.diag.error_count(), 5u) << r.text();
  for (const auto& d : r.diag.all()) EXPECT_EQ(d.severity, Severity::Error);
}

TEST(LvsVirtualServer, HeaderErrors) {
  auto r = parse_lvs_text(R"(
virtual_server 203.0.113.300 80 {
}
virtual_server fwmark 0 {
}
virtual_server 203.0.113.1 80
)",
                          false);
  EXPECT_EQ(r.diag.error_count(), 3u) << r.text();
  EXPECT_TRUE(r.lvs.virtual_servers.empty());
  EXPECT_THAT(r.text(), HasSubstr("test.conf:2:16: error: `203.0.113.300` is not"));
  EXPECT_THAT(r.text(),
              HasSubstr("test.conf:6:1: error: `virtual_server` needs a `{ ... }` block"));
}

}  // namespace
}  // namespace vigil::conf
