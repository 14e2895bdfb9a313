// Checker blocks: every checker type's keywords, defaults, deprecated alias and errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lvs_test_util.h"

namespace vigil::conf {
namespace {

using ::testing::HasSubstr;
using testing::parse_lvs_text;

// Wraps checker text in a virtual/real server and returns the parse.
// The checker text's first line is line 4 (its leading newline is dropped).
testing::LvsParse with_checker(std::string checker, bool validate = true) {
  if (!checker.empty() && checker[0] == '\n') checker.erase(0, 1);
  return parse_lvs_text(
      "virtual_server 203.0.113.10 80 {\n"
      "    protocol TCP\n"
      "    real_server 198.51.100.1 80 {\n" +
          checker +
          "    }\n"
          "}\n"
          "bfd_instance BFD1 {\n"
          "    neighbor_ip 198.51.100.1\n"
          "}\n",
      validate, LvsExternalNames{true, {"down_file"}});
}

const HealthChecker& only_checker(const testing::LvsParse& r) {
  return r.lvs.virtual_servers.at(0).real_servers.at(0).checkers.at(0);
}

TEST(LvsCheckers, CommonConnectionOptions) {
  auto r = with_checker(R"(
        TCP_CHECK {
            connect_ip 198.51.100.7
            connect_port 8080
            bindto 198.51.100.250
            bind_if eth1
            bind_port 40000
            fwmark 12
            alpha
            connect_timeout 0.5
            retry 0
            delay_before_retry 2
            warmup 0
            delay_loop 4
            log_all_failures on
        }
)");
  ASSERT_EQ(r.diag.error_count(), 0u) << r.text();
  const HealthChecker& c = only_checker(r);
  EXPECT_EQ(c.common.connection.connect_ip->to_string(), "198.51.100.7");
  EXPECT_EQ(c.common.connection.connect_port, 8080);
  EXPECT_EQ(c.common.connection.bindto->to_string(), "198.51.100.250");
  EXPECT_EQ(c.common.connection.bind_if, "eth1");
  EXPECT_EQ(c.common.connection.bind_port, 40000);
  EXPECT_EQ(c.common.connection.fwmark, 12u);
  const auto& vs = r.lvs.virtual_servers[0];
  auto t = resolve_checker_timing(vs, vs.real_servers[0], c);
  EXPECT_TRUE(t.alpha);
  EXPECT_EQ(t.connect_timeout, Micros{500'000});
  EXPECT_EQ(t.retry, 0u);
  EXPECT_EQ(t.delay_before_retry, Micros{2'000'000});
  EXPECT_EQ(t.warmup, Micros{0});
  EXPECT_EQ(t.delay_loop, Micros{4'000'000});
  EXPECT_TRUE(t.log_all_failures);
}

TEST(LvsCheckers, NbGetRetryIsADeprecatedAliasOfRetry) {
  auto r = with_checker(R"(
        HTTP_GET {
            url {
                path /
            }
            nb_get_retry 4
        }
)");
  ASSERT_EQ(r.diag.error_count(), 0u) << r.text();
  ASSERT_EQ(r.diag.warning_count(), 1u) << r.text();
  EXPECT_EQ(r.diag.all()[0].loc.line, 8u);
  EXPECT_THAT(r.diag.all()[0].message, HasSubstr("use `retry`"));
  EXPECT_EQ(only_checker(r).common.timing.retry, 4u);
}

TEST(LvsCheckers, HttpAndSslGetUrls) {
  auto r = with_checker(R"(
        SSL_GET {
            http_protocol 1.1
            fast_recovery
            enable_sni
            virtualhost www.example.com
            url {
                path /health
                digest 640205B7B0FC66C1EA91C463FAC6334D
                status_code 200-299 400-499 503
                virtualhost other.example.com
                regex "^OK"
                regex_no_match
                regex_options caseless multiline
                regex_stack 32768 65536
                regex_min_offset 0
                regex_max_offset 100
            }
            url {
                path /second
            }
        }
)");
  ASSERT_EQ(r.diag.error_count(), 0u) << r.text();
  const HealthChecker& c = only_checker(r);
  EXPECT_EQ(c.kind, CheckerKind::SslGet);
  const auto& h = std::get<HttpCheck>(c.spec);
  EXPECT_TRUE(h.ssl);
  EXPECT_EQ(h.http_protocol, HttpProtocol::V1_1);
  EXPECT_TRUE(h.fast_recovery);
  EXPECT_TRUE(h.enable_sni);
  EXPECT_EQ(h.virtualhost, "www.example.com");
  ASSERT_EQ(h.urls.size(), 2u);
  const HttpUrl& u = h.urls[0];
  EXPECT_EQ(u.digest, "640205b7b0fc66c1ea91c463fac6334d");
  EXPECT_EQ(u.status_codes, (std::vector<StatusCodeRange>{{200, 299}, {400, 499}, {503, 503}}));
  EXPECT_EQ(u.regex, "^OK");
  EXPECT_TRUE(u.regex_no_match);
  EXPECT_EQ(u.regex_options, (std::vector<std::string>{"caseless", "multiline"}));
  EXPECT_EQ(u.regex_stack_start, 32768u);
  EXPECT_EQ(u.regex_stack_max, 65536u);
  EXPECT_EQ(u.regex_max_offset, 100u);
  EXPECT_TRUE(h.urls[1].status_codes.empty());
}

TEST(LvsCheckers, HttpErrors) {
  auto r = with_checker(R"(
        HTTP_GET {
            http_protocol 2
            url {
                path /
                status_code 99 200-600 300-200 404
                digest xyz
                regex_options caseles
            }
        }
        HTTP_GET {
        }
)");
  std::string all = r.text();
  EXPECT_EQ(r.diag.error_count(), 7u) << all;
  EXPECT_THAT(all, HasSubstr("test.conf:5:27: error: `http_protocol`: `2` is not one of"));
  EXPECT_THAT(all, HasSubstr("test.conf:8:29: error: `status_code`: `99`"));
  EXPECT_THAT(all, HasSubstr("`200-600`"));
  EXPECT_THAT(all, HasSubstr("`300-200`"));
  EXPECT_THAT(all, HasSubstr("test.conf:9:24: error: `digest`"));
  EXPECT_THAT(all, HasSubstr("unknown option `caseles`"));
  EXPECT_THAT(all, HasSubstr("test.conf:13:9: error: HTTP_GET needs at least one `url"));
  // 404 survives the bad neighbours on its line.
  const auto& u = std::get<HttpCheck>(only_checker(r).spec).urls[0];
  EXPECT_EQ(u.status_codes, (std::vector<StatusCodeRange>{{404, 404}}));
}

TEST(LvsCheckers, SmtpCheckWithHosts) {
  auto r = with_checker(R"(
        SMTP_CHECK {
            helo_name "mail.example.com"
            connect_timeout 10
            host {
                connect_ip 198.51.100.20
                connect_port 2525
                bindto 198.51.100.250
            }
            host {
                connect_ip 198.51.100.21
            }
        }
)");
  ASSERT_EQ(r.diag.error_count(), 0u) << r.text();
  const auto& s = std::get<SmtpCheck>(only_checker(r).spec);
  EXPECT_EQ(s.helo_name, "mail.example.com");
  ASSERT_EQ(s.hosts.size(), 2u);
  EXPECT_EQ(s.hosts[0].connection.connect_port, 2525);
  EXPECT_EQ(s.hosts[1].connection.connect_ip->to_string(), "198.51.100.21");
}

TEST(LvsCheckers, DnsCheck) {
  auto r = with_checker(R"(
        DNS_CHECK {
            type aaaa
            name www.example.com
        }
        DNS_CHECK {
            type SRV
        }
)");
  ASSERT_EQ(r.diag.error_count(), 1u) << r.text();
  EXPECT_EQ(r.diag.all()[0].loc.line, 9u);
  const auto& rs = r.lvs.virtual_servers[0].real_servers[0];
  EXPECT_EQ(std::get<DnsCheck>(rs.checkers[0].spec).type, DnsQueryType::AAAA);
  EXPECT_EQ(std::get<DnsCheck>(rs.checkers[0].spec).name, "www.example.com");
  EXPECT_EQ(std::get<DnsCheck>(rs.checkers[1].spec).type, DnsQueryType::SOA);
  EXPECT_EQ(std::get<DnsCheck>(rs.checkers[1].spec).name, ".");
}

TEST(LvsCheckers, MiscCheck) {
  auto r = with_checker(R"(
        MISC_CHECK {
            misc_path "/usr/local/bin/check.sh arg1 arg2"
            misc_timeout 7
            misc_dynamic
            user nobody nogroup
            warmup 3
        }
        MISC_CHECK {
            misc_timeout 1
        }
)");
  ASSERT_EQ(r.diag.error_count(), 1u) << r.text();
  EXPECT_THAT(r.text(), HasSubstr("test.conf:11:9: error: MISC_CHECK needs `misc_path`"));
  const auto& m = std::get<MiscCheck>(only_checker(r).spec);
  EXPECT_EQ(m.path, "/usr/local/bin/check.sh arg1 arg2");
  EXPECT_EQ(m.timeout, Micros{7'000'000});
  EXPECT_TRUE(m.dynamic);
  EXPECT_EQ(m.user, "nobody");
  EXPECT_EQ(m.group, "nogroup");
}

TEST(LvsCheckers, UdpCheckHexFollowsKeepalivedsFreeFormat) {
  auto r = with_checker(R"(
        UDP_CHECK {
            payload Ab12f 3 456 546443123
            require_reply 0aXx
            min_reply_length 2
            max_reply_length 40
        }
)");
  ASSERT_EQ(r.diag.error_count(), 0u) << r.text();
  const auto& u = std::get<UdpCheck>(only_checker(r).spec);
  // The man page's own example: AB 12 0F 03 45 06 54 64 43 12 03.
  EXPECT_EQ(*u.payload, (std::vector<uint8_t>{0xab, 0x12, 0x0f, 0x03, 0x45, 0x06, 0x54, 0x64, 0x43,
                                              0x12, 0x03}));
  EXPECT_TRUE(u.require_reply);
  ASSERT_EQ(u.reply_pattern.size(), 4u);
  EXPECT_EQ(u.reply_pattern[1], (UdpReplyNibble{0xa, false}));
  EXPECT_TRUE(u.reply_pattern[2].wildcard);
  EXPECT_EQ(u.min_reply_length, 2);
  EXPECT_EQ(u.max_reply_length, 40);
}

TEST(LvsCheckers, UdpCheckErrors) {
  auto r = with_checker(R"(
        UDP_CHECK {
            payload 12zz
            max_reply_length 70000
        }
        UDP_CHECK {
            require_reply
            min_reply_length 10
            max_reply_length 5
        }
)");
  EXPECT_EQ(r.diag.error_count(), 3u) << r.text();
  EXPECT_THAT(r.text(), HasSubstr("test.conf:5:21: error: `payload`: `12zz` is not hexadecimal"));
  EXPECT_THAT(r.text(), HasSubstr("min_reply_length 10 is larger than max_reply_length 5"));
  const auto& rs = r.lvs.virtual_servers[0].real_servers[0];
  EXPECT_TRUE(std::get<UdpCheck>(rs.checkers[1].spec).require_reply);
  EXPECT_TRUE(std::get<UdpCheck>(rs.checkers[1].spec).reply_pattern.empty());
}

TEST(LvsCheckers, PingFileAndBfdChecks) {
  auto r = with_checker(R"(
        PING_CHECK {
            retry 2
        }
        FILE_CHECK {
            track_file down_file
            dynamic
            weight -5 reverse
        }
        BFD_CHECK {
            name BFD1
        }
)");
  ASSERT_EQ(r.diag.error_count(), 0u) << r.text();
  const auto& rs = r.lvs.virtual_servers[0].real_servers[0];
  EXPECT_EQ(rs.checkers[0].kind, CheckerKind::Ping);
  const auto& f = std::get<FileCheck>(rs.checkers[1].spec);
  EXPECT_EQ(f.track_file, "down_file");
  EXPECT_TRUE(f.dynamic);
  EXPECT_EQ(f.weight, -5);
  EXPECT_TRUE(f.reverse);
  EXPECT_EQ(std::get<BfdCheck>(rs.checkers[2].spec).bfd_instance, "BFD1");
}

TEST(LvsCheckers, FileAndBfdChecksTakeNoConnectionOptions) {
  auto r = with_checker(R"(
        FILE_CHECK {
            track_file down_fil
            connect_port 80
        }
        BFD_CHECK {
            name BFD2
            retry 3
        }
)");
  std::string all = r.text();
  EXPECT_EQ(r.diag.error_count(), 4u) << all;
  EXPECT_THAT(all,
              HasSubstr("test.conf:6:13: error: unknown keyword `connect_port` in FILE_CHECK"));
  EXPECT_THAT(all, HasSubstr("test.conf:10:13: error: unknown keyword `retry` in BFD_CHECK"));
  EXPECT_THAT(all, HasSubstr("track_file `down_fil` is not defined"));
  EXPECT_THAT(all, HasSubstr("bfd_instance `BFD2` is not defined"));
  bool hinted = false;
  for (const auto& d : r.diag.all()) hinted = hinted || d.hint == "did you mean `down_file`?";
  EXPECT_TRUE(hinted) << all;
}

TEST(LvsCheckers, CheckerRangeErrors) {
  auto r = with_checker(R"(
        TCP_CHECK {
            connect_port 0
            bind_port 65536
            retry -1
            connect_timeout 0
            connect_ip 198.51.100
        }
)");
  EXPECT_EQ(r.diag.error_count(), 5u) << r.text();
  for (const auto& d : r.diag.all()) {
    EXPECT_EQ(d.severity, Severity::Error);
    EXPECT_GE(d.loc.line, 5u);
    EXPECT_LE(d.loc.line, 9u);
  }
}

}  // namespace
}  // namespace vigil::conf
