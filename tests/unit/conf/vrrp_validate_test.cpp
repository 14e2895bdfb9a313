#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "conf_test_util.h"

namespace vigil::conf {
namespace {

using ::testing::HasSubstr;
using testing::parse_text;

std::string instance(std::string_view body, std::string_view name = "V") {
  return "vrrp_instance " + std::string(name) + " {\n  interface eth0\n" + std::string(body) +
         "\n  virtual_ipaddress {\n    192.0.2.1\n  }\n}\n";
}

TEST(ConfVrrpValidate, VridRange) {
  auto p = parse_text(instance("  virtual_router_id 256"));
  EXPECT_THAT(p.messages(),
              HasSubstr("test.conf:3:21: error: `virtual_router_id`: 256 is out of range 1-255"));
}

TEST(ConfVrrpValidate, MissingVrid) {
  auto p = parse_text(instance(""));
  EXPECT_THAT(p.messages(), HasSubstr("has no virtual_router_id"));
}

TEST(ConfVrrpValidate, PriorityRange) {
  auto p = parse_text(instance("  virtual_router_id 1\n  priority 0"));
  EXPECT_THAT(p.messages(), HasSubstr("`priority`: 0 is out of range 1-255"));
}

TEST(ConfVrrpValidate, AdvertIntV2WholeSeconds) {
  auto p = parse_text(instance("  virtual_router_id 1\n  advert_int 0.5"));
  EXPECT_THAT(p.messages(), HasSubstr("test.conf:4:14: error: vrrp_instance `V`: advert_int 0.5 "
                                      "is not valid for VRRP version 2"));
}

TEST(ConfVrrpValidate, AdvertIntV3Range) {
  auto ok = parse_text(instance("  virtual_router_id 1\n  version 3\n  advert_int 0.01"));
  EXPECT_FALSE(ok.diag.has_errors()) << ok.messages();
  EXPECT_EQ(ok.config.vrrp_instances[0].advert_interval, Micros(10000));
  auto bad = parse_text(instance("  virtual_router_id 1\n  version 3\n  advert_int 41"));
  EXPECT_THAT(bad.messages(), HasSubstr("out of range for VRRP version 3 (0.01-40.95 seconds)"));
  auto fine = parse_text(instance("  virtual_router_id 1\n  version 3\n  advert_int 0.001"));
  EXPECT_THAT(fine.messages(), HasSubstr("more than 2 decimal places"));
}

TEST(ConfVrrpValidate, UnknownTrackScriptWithSuggestion) {
  auto p = parse_text("vrrp_script chk_nginx {\n  script /bin/true\n}\n" +
                      instance("  virtual_router_id 1\n  track_script {\n    chk_ngnix\n  }"));
  EXPECT_THAT(p.messages(), HasSubstr("test.conf:8:5: error: unknown vrrp_script `chk_ngnix`"));
  bool hinted = false;
  for (const auto& d : p.diag.all()) hinted |= d.hint == "did you mean `chk_nginx`?";
  EXPECT_TRUE(hinted);
}

TEST(ConfVrrpValidate, UnknownTrackFileAndProcess) {
  auto p =
      parse_text(instance("  virtual_router_id 1\n  track_file {\n    nofile\n  }\n  track_process "
                          "{\n    noproc\n  }"));
  EXPECT_THAT(p.messages(), HasSubstr("unknown track_file `nofile`"));
  EXPECT_THAT(p.messages(), HasSubstr("unknown vrrp_track_process `noproc`"));
}

TEST(ConfVrrpValidate, UnknownSyncGroupMember) {
  auto p = parse_text("vrrp_sync_group G {\n  group {\n    V\n    W\n  }\n}\n" +
                      instance("  virtual_router_id 1"));
  EXPECT_THAT(p.messages(), HasSubstr("test.conf:4:5: error: unknown vrrp_instance `W`"));
}

TEST(ConfVrrpValidate, DuplicateInstanceName) {
  auto p = parse_text(instance("  virtual_router_id 1") + instance("  virtual_router_id 2"));
  EXPECT_THAT(p.messages(), HasSubstr("duplicate vrrp_instance `V`"));
}

TEST(ConfVrrpValidate, DuplicateVridSameInterfaceFamily) {
  auto p =
      parse_text(instance("  virtual_router_id 5", "A") + instance("  virtual_router_id 5", "B"));
  EXPECT_THAT(p.messages(), HasSubstr("virtual_router_id 5 is already used by `A`"));
  // Different families on one interface may share a VRID.
  auto q = parse_text(instance("  virtual_router_id 5", "A") +
                      "vrrp_instance B {\n interface eth0\n virtual_router_id 5\n"
                      " virtual_ipaddress {\n 2001:db8::1\n }\n}\n");
  EXPECT_FALSE(q.diag.has_errors()) << q.messages();
}

TEST(ConfVrrpValidate, AddressSyntax) {
  auto p = parse_text(
      "vrrp_instance V {\n interface eth0\n virtual_router_id 1\n"
      " virtual_ipaddress {\n 192.0.2.300/24\n }\n}\n");
  EXPECT_THAT(p.messages(), HasSubstr("test.conf:5:2: error: `192.0.2.300/24` is not an IP"));
}

TEST(ConfVrrpValidate, UnicastPeerFamily) {
  auto p = parse_text(instance("  virtual_router_id 1\n  unicast_peer {\n    2001:db8::2\n  }"));
  EXPECT_THAT(p.messages(),
              HasSubstr("unicast_peer 2001:db8::2 is not of the instance's address family"));
}

TEST(ConfVrrpValidate, AuthPassTruncatedWarning) {
  auto p =
      parse_text(instance("  virtual_router_id 1\n  authentication {\n    auth_type PASS\n    "
                          "auth_pass 123456789\n  }"));
  EXPECT_FALSE(p.diag.has_errors()) << p.messages();
  EXPECT_THAT(p.messages(), HasSubstr("warning: vrrp_instance `V`: auth_pass is longer than 8"));
  EXPECT_EQ(p.config.vrrp_instances[0].auth_pass, "12345678");
}

TEST(ConfVrrpValidate, UnknownKeywordSuggests) {
  auto p = parse_text(instance("  virtual_router_idd 1"));
  EXPECT_THAT(p.messages(), HasSubstr("unknown keyword `virtual_router_idd` in vrrp_instance"));
}

TEST(ConfVrrpValidate, DeprecatedAliasWarns) {
  auto p =
      parse_text("vrrp_track_file f {\n  file /tmp/x\n}\n" + instance("  virtual_router_id 1"));
  EXPECT_FALSE(p.diag.has_errors()) << p.messages();
  EXPECT_THAT(p.messages(), HasSubstr("`vrrp_track_file` is deprecated; use `track_file`"));
}

TEST(ConfVrrpValidate, StrictModeRejectsAuthAndUnicast) {
  auto p = parse_text("global_defs {\n  vrrp_strict\n}\n" +
                      instance("  virtual_router_id 1\n  authentication {\n    auth_type PASS\n"
                               "    auth_pass x\n  }\n  unicast_peer {\n    192.0.2.9\n  }"));
  EXPECT_THAT(p.messages(), HasSubstr("authentication is not allowed in strict mode"));
  EXPECT_THAT(p.messages(), HasSubstr("unicast_peer is not allowed in strict mode"));
}

TEST(ConfVrrpValidate, StrictModeAcceptDefaultsToOwnerOnly) {
  auto p = parse_text("global_defs {\n  vrrp_strict\n}\n" +
                      instance("  virtual_router_id 1\n  priority 200"));
  ASSERT_FALSE(p.diag.has_errors()) << p.messages();
  EXPECT_FALSE(p.config.vrrp_instances[0].accept);
  EXPECT_TRUE(p.config.vrrp_instances[0].lower_prio_no_advert);
}

TEST(ConfVrrpValidate, Ipv6WithVersion2IsError) {
  auto p = parse_text(
      "vrrp_instance V {\n interface eth0\n virtual_router_id 1\n version 2\n"
      " virtual_ipaddress {\n 2001:db8::1\n }\n}\n");
  EXPECT_THAT(p.messages(), HasSubstr("need VRRP version 3"));
}

TEST(ConfVrrpValidate, MixedFamilyVips) {
  auto p = parse_text(
      "vrrp_instance V {\n interface eth0\n virtual_router_id 1\n"
      " virtual_ipaddress {\n 192.0.2.1\n 2001:db8::1\n }\n}\n");
  EXPECT_THAT(p.messages(), HasSubstr("test.conf:6:2: error: vrrp_instance `V`: virtual_ipaddress "
                                      "2001:db8::1/128 is not of the instance's address family"));
}

TEST(ConfVrrpValidate, SyncGroupWeightsIgnoredWarning) {
  auto p = parse_text(
      "vrrp_script s {\n script /bin/true\n}\nvrrp_sync_group G {\n group {\n A\n B\n }\n}\n" +
      instance("  virtual_router_id 1\n  track_script {\n    s weight -10\n  }", "A") +
      instance("  virtual_router_id 2", "B"));
  EXPECT_FALSE(p.diag.has_errors()) << p.messages();
  EXPECT_THAT(p.messages(), HasSubstr("the weight of track_script `s` is ignored"));
}

TEST(ConfVrrpValidate, InstanceInTwoSyncGroups) {
  auto p = parse_text(
      "vrrp_sync_group G {\n group {\n A\n }\n}\nvrrp_sync_group H {\n group {\n A\n }\n}\n" +
      instance("  virtual_router_id 1", "A"));
  EXPECT_THAT(p.messages(), HasSubstr("is already a member of sync group `G`"));
}

}  // namespace
}  // namespace vigil::conf
