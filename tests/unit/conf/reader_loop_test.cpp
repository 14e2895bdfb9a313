// ~SEQ / ~SEQx / ~LST loops.
#include <gtest/gtest.h>

#include "conf/reader.h"
#include "reader_test_support.h"

namespace vigil::conf {
namespace {

using testing::loc;
using testing::read;

TEST(ReaderLoop, SeqRepeatsTheRestOfTheLine) {
  auto r = read("~SEQ(SUBNET, 0, 3) ip_address 10.0.${SUBNET}.1\n");
  EXPECT_EQ(r.messages(), "");
  EXPECT_EQ(r.text(),
            "ip_address 10.0.0.1\nip_address 10.0.1.1\nip_address 10.0.2.1\nip_address 10.0.3.1\n");
  EXPECT_EQ(loc(r.tree.nodes[2].loc()), "/virtual/keepalived.conf:1:20");
  EXPECT_EQ(loc(r.tree.nodes[2].args[0].loc), "/virtual/keepalived.conf:1:31");
}

TEST(ReaderLoop, SeqStepAndDefaults) {
  EXPECT_EQ(read("~SEQ(V, 1, 2, 6) $V\n").text(), "1\n3\n5\n");
  EXPECT_EQ(read("~SEQ(V, 3) $V\n").text(), "1\n2\n3\n");
  EXPECT_EQ(read("~SEQ(V, -2) $V\n").text(), "-1\n-2\n");
  EXPECT_EQ(read("~SEQ(V, 3, 1) $V\n").text(), "3\n2\n1\n");
  EXPECT_EQ(read("~SEQ(V, 3, -2, -1) $V\n").text(), "3\n1\n-1\n");
  EXPECT_EQ(read("~SEQ(V, 3, 1, 1) $V\n").text(), "");
}

TEST(ReaderLoop, SeqxFormatsHex) {
  auto expect =
      "ip_address fe80::20:90:1\nip_address fe80::20:a0:1\n"
      "ip_address fe80::20:b0:1\nip_address fe80::20:c0:1\n";
  EXPECT_EQ(read("~SEQx(SUBNET, 144, 16, 192) ip_address fe80::20:${SUBNET}:1\n").text(), expect);
  EXPECT_EQ(read("~SEQx(SUBNET, 0x90, 0x10, 0xc0) ip_address fe80::20:${SUBNET}:1\n").text(),
            expect);
}

TEST(ReaderLoop, SeveralLoopsOnOneLineNest) {
  auto r = read("~SEQx(AD2, 0x90, 0x10, 0xa0) ~SEQx(AD1, 0x12, -1, 0x11) fe81::10:${AD2}:${AD1}\n");
  EXPECT_EQ(r.text(), "fe81::10:90:12\nfe81::10:90:11\nfe81::10:a0:12\nfe81::10:a0:11\n");
}

TEST(ReaderLoop, LstWithOneAndSeveralVariables) {
  EXPECT_EQ(read("~LST(IP, 1, 2) ~LST(IP1, 5,6) 192.0.${IP}.${IP1}\n").text(),
            "192.0.1.5\n192.0.1.6\n192.0.2.5\n192.0.2.6\n");
  EXPECT_EQ(
      read("~LST({IP, IP1}, {10,1},{20,4}) ~SEQ(IP2,168,2,170) 192.${IP2}.${IP}.${IP1}\n").text(),
      "192.168.10.1\n192.170.10.1\n192.168.20.4\n192.170.20.4\n");
}

TEST(ReaderLoop, LoopOverMultilineParameterBuildsBlocks) {
  auto r = read(
      "$VI= \\\n"
      "vrrp_instance v${ID} { \\\n"
      "  virtual_router_id ${ID} \\\n"
      "}\n"
      "~SEQ(ID, 1, 3) $VI\n");
  EXPECT_EQ(r.messages(), "");
  EXPECT_EQ(r.text(),
            "vrrp_instance v1\n  virtual_router_id 1\n"
            "vrrp_instance v2\n  virtual_router_id 2\n"
            "vrrp_instance v3\n  virtual_router_id 3\n");
}

TEST(ReaderLoop, VariableIsLocalToTheLoop) {
  auto r = read("$V=outer\n~SEQ(V, 1, 2) k $V\nafter $V\n");
  EXPECT_EQ(r.text(), "k 1\nk 2\nafter outer\n");
}

TEST(ReaderLoop, ParametersInTheSpecAndParametersMakingALoop) {
  EXPECT_EQ(read("$MAX=3\n~SEQ(ID, 2, ${MAX}) k${ID}\n").text(), "k2\nk3\n");
  auto r = read("$P=~SEQ(ID, 2, 3)\n$P k${ID}\n");
  EXPECT_EQ(r.messages(), "");
  EXPECT_EQ(r.text(), "k2\nk3\n");
}

TEST(ReaderLoop, ErrorInsideALoopIsReportedOnce) {
  auto r = read("~SEQ(V, 1, 50) k ${UNDEFINED}\n");
  EXPECT_EQ(r.messages(),
            "/virtual/keepalived.conf:1:18: error: undefined parameter `UNDEFINED`\n");
}

TEST(ReaderLoop, MalformedLoopsAreErrorsAtTheLine) {
  auto r = read("  ~SEQ(V, 1, 0, 3) k\n~SEQ(V, x) k\n~LST({A,B}, {1}) k\n~SEQ(V, 3 k\n");
  EXPECT_EQ(r.messages(),
            "/virtual/keepalived.conf:1:3: error: ~SEQ step must not be 0\n"
            "/virtual/keepalived.conf:2:1: error: invalid number `x` in ~SEQ\n"
            "/virtual/keepalived.conf:3:1: error: ~LST value `{1}` does not match the 2 "
            "variable(s)\n"
            "/virtual/keepalived.conf:4:1: error: missing `)` after ~SEQ\n");
  EXPECT_EQ(r.text(), "");
}

TEST(ReaderLoop, ManPageExampleProduces65024Instances) {
  std::string text =
      "$VI4= \\\n"
      "vrrp_instance vrrp4.${IF}.${NUM}.${ID} { \\\n"
      "    interface bond${IF}.${NUM} \\\n"
      "    virtual_router_id ${ID} \\\n"
      "    virtual_ipaddress { \\\n"
      "        10.${IF}.${NUM}.${ID}/24 \\\n"
      "    } \\\n"
      "}\n"
      "~SEQ(IF,0,7) ~SEQ(NUM,0,31) ~SEQ(ID,1,254) $VI4\n";
  auto r = read(text);
  EXPECT_EQ(r.messages(), "");
  ASSERT_EQ(r.tree.nodes.size(), 65024u);
  EXPECT_EQ(r.tree.nodes.front().args[0].text, "vrrp4.0.0.1");
  EXPECT_EQ(r.tree.nodes.back().args[0].text, "vrrp4.7.31.254");
  EXPECT_EQ(r.tree.nodes.back().children[2].children[0].keyword.text, "10.7.31.254/24");
}

}  // namespace
}  // namespace vigil::conf
