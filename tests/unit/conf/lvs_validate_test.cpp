// Cross-checks of validate_lvs: duplicates, references, address families, quorum, ...
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lvs_test_util.h"

namespace vigil::conf {
namespace {

using ::testing::HasSubstr;
using testing::parse_lvs_text;

TEST(LvsValidate, CleanConfigHasNoFindings) {
  auto r = parse_lvs_text(R"(virtual_server_group G {
    203.0.113.10 80
}
virtual_server group G {
    protocol TCP
    quorum 2
    real_server 198.51.100.1 80 {
        weight 1
    }
    real_server 198.51.100.2 80 {
        weight 1
    }
}
)");
  EXPECT_TRUE(r.diag.all().empty()) << r.text();
}

TEST(LvsValidate, DuplicateVirtualServersAndRealServers) {
  auto r = parse_lvs_text(R"(virtual_server 203.0.113.10 80 {
    protocol TCP
    real_server 198.51.100.1 80 {
    }
    real_server 198.51.100.1 80 {
    }
}
virtual_server 203.0.113.10 80 {
    protocol TCP
    real_server 198.51.100.1 80 {
    }
}
virtual_server 203.0.113.10 80 {
    protocol UDP
    real_server 198.51.100.1 80 {
    }
}
)");
  std::string all = r.text();
  EXPECT_EQ(r.diag.error_count(), 2u) << all;
  EXPECT_THAT(all, HasSubstr("test.conf:5:5: error: real_server 198.51.100.1 80 appears twice"));
  EXPECT_THAT(all, HasSubstr("test.conf:3:5: note: first defined here"));
  EXPECT_THAT(
      all,
      HasSubstr("test.conf:8:1: error: virtual_server 203.0.113.10:80 (TCP) is defined twice"));
}

TEST(LvsValidate, UnknownGroupIsAnErrorWithSuggestion) {
  auto r = parse_lvs_text(R"(virtual_server_group WEB_SERVERS {
    203.0.113.10 80
}
virtual_server group WEB_SERVER {
    protocol TCP
    real_server 198.51.100.1 80 {
    }
}
)");
  ASSERT_EQ(r.diag.error_count(), 1u) << r.text();
  EXPECT_EQ(r.diag.all()[0].loc.line, 4u);
  EXPECT_THAT(r.diag.all()[0].message,
              HasSubstr("virtual_server_group `WEB_SERVER` is not defined"));
  EXPECT_EQ(r.diag.all()[0].hint, "did you mean `WEB_SERVERS`?");
}

TEST(LvsValidate, AddressFamiliesMustMatchUnlessTunnelled) {
  auto r = parse_lvs_text(R"(virtual_server 203.0.113.10 80 {
    protocol TCP
    sorry_server 2001:db8::9 80
    real_server 2001:db8::1 80 {
    }
    real_server 2001:db8::2 80 {
        lvs_method TUN
    }
}
virtual_server 2001:db8::10 80 {
    protocol TCP
    lvs_method TUN
    sorry_server 198.51.100.9 80
    real_server 198.51.100.1 80 {
    }
}
)");
  std::string all = r.text();
  EXPECT_EQ(r.diag.error_count(), 2u) << all;
  EXPECT_THAT(all, HasSubstr("test.conf:3:5: error: sorry_server 2001:db8::9 is IPv6 but"));
  EXPECT_THAT(all, HasSubstr("test.conf:4:5: error: real_server 2001:db8::1 is IPv6 but "
                             "virtual_server 203.0.113.10:80 is IPv4"));
}

TEST(LvsValidate, AdvisoryWarnings) {
  auto r = parse_lvs_text(R"(virtual_server 203.0.113.10 {
    quorum 5
    hysteresis 5
    sorry_server_inhibit
    sorry_server_lvs_method DR
    real_server 198.51.100.1 80 {
        weight 2
        uthreshold 5
        lthreshold 10
    }
}
virtual_server 203.0.113.11 80 {
    protocol TCP
}
virtual_server_group EMPTY {
}
)");
  std::string all = r.text();
  EXPECT_EQ(r.diag.error_count(), 1u) << all;
  EXPECT_THAT(all, HasSubstr("test.conf:6:5: error: real_server 198.51.100.1: lthreshold 10 is "
                             "above uthreshold 5"));
  EXPECT_THAT(all, HasSubstr("test.conf:1:1: warning: virtual_server 203.0.113.10 has no port"));
  EXPECT_THAT(all, HasSubstr("sets no `protocol`; keepalived 2.2.7 then uses UDP"));
  EXPECT_THAT(all, HasSubstr("quorum 5 exceeds the total weight of its real servers (2)"));
  EXPECT_THAT(all, HasSubstr("hysteresis 5 is not below quorum 5"));
  EXPECT_THAT(all, HasSubstr("test.conf:5:5: warning: `sorry_server_lvs_method` without"));
  EXPECT_THAT(all, HasSubstr("`sorry_server_inhibit` without a `sorry_server`"));
  EXPECT_THAT(all, HasSubstr("test.conf:12:1: warning: virtual_server 203.0.113.11:80 has no "
                             "real_server"));
  EXPECT_THAT(all, HasSubstr("test.conf:15:1: warning: virtual_server_group `EMPTY` is empty"));
}

TEST(LvsValidate, ProtocolRulesFollowKeepalived) {
  auto r = parse_lvs_text(R"(virtual_server fwmark 3 {
    protocol TCP
    real_server 198.51.100.1 {
    }
}
virtual_server fwmark 4 {
    real_server 198.51.100.1 {
    }
}
virtual_server 203.0.113.10 80 {
    protocol TCP
    ops
    real_server 198.51.100.1 80 {
    }
}
virtual_server 203.0.113.10 53 {
    protocol UDP
    ops
    real_server 198.51.100.1 53 {
    }
}
)");
  std::string all = r.text();
  EXPECT_EQ(r.diag.error_count(), 0u) << all;
  EXPECT_EQ(r.diag.warning_count(), 2u) << all;
  EXPECT_THAT(all, HasSubstr("test.conf:1:1: warning: virtual_server fwmark 3: `protocol` is "
                             "ignored for fwmark services"));
  EXPECT_THAT(all, HasSubstr("test.conf:10:1: warning: virtual_server 203.0.113.10:80: `ops`"));
}

TEST(LvsValidate, TrackFilesAreCheckedOnlyWhenKnown) {
  const char* text = R"(virtual_server 203.0.113.10 80 {
    protocol TCP
    real_server 198.51.100.1 80 {
        FILE_CHECK {
            track_file missing
        }
    }
}
)";
  EXPECT_EQ(parse_lvs_text(text).diag.error_count(), 0u);
  auto r = parse_lvs_text(text, true, LvsExternalNames{true, {"present"}});
  EXPECT_EQ(r.diag.error_count(), 1u) << r.text();
}

TEST(LvsValidate, GranularityLongerThanIpv4) {
  auto r = parse_lvs_text(R"(virtual_server 203.0.113.10 80 {
    protocol TCP
    persistence_granularity 64
    real_server 198.51.100.1 80 {
    }
}
)");
  ASSERT_EQ(r.diag.error_count(), 1u) << r.text();
  EXPECT_THAT(r.diag.all()[0].message, HasSubstr("/64 is longer than an IPv4 address"));
}

}  // namespace
}  // namespace vigil::conf
