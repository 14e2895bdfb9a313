// Comments, quoting, blocks and locations of the keepalived.conf reader.
#include <gtest/gtest.h>

#include "conf/reader.h"
#include "reader_test_support.h"

namespace vigil::conf {
namespace {

using testing::loc;
using testing::read;

TEST(ReaderSyntax, BlocksNestAndCarryArguments) {
  auto r = read(
      "vrrp_instance VI_1 {\n"
      "    state MASTER\n"
      "    virtual_ipaddress {\n"
      "        192.0.2.10/24 dev eth0\n"
      "    }\n"
      "}\n");
  EXPECT_EQ(r.messages(), "");
  EXPECT_EQ(r.text(),
            "vrrp_instance VI_1\n"
            "  state MASTER\n"
            "  virtual_ipaddress\n"
            "    192.0.2.10/24 dev eth0\n");
  ASSERT_EQ(r.tree.nodes.size(), 1u);
  const Node& vi = r.tree.nodes[0];
  EXPECT_TRUE(vi.has_block);
  EXPECT_EQ(loc(vi.block_loc), "/virtual/keepalived.conf:1:20");
  EXPECT_EQ(loc(vi.children[1].children[0].args[1].loc), "/virtual/keepalived.conf:4:27");
}

TEST(ReaderSyntax, CommentsStartWithHashOrBangAnywhereOutsideQuotes) {
  auto r = read(
      "# whole line\n"
      "! also whole line\n"
      "router_id r1 # trailing\n"
      "a!b\n"
      "script \"x # y ! z\" ! gone\n");
  EXPECT_EQ(r.messages(), "");
  EXPECT_EQ(r.text(), "router_id r1\na\nscript \"x # y ! z\"\n");
}

TEST(ReaderSyntax, DoubleQuotesJoinTextAndKeepBlanks) {
  auto r = read("k abcd\" efg h jkl \"mnop \"q r\" 'a b'\n");
  ASSERT_EQ(r.tree.nodes.size(), 1u);
  const auto& args = r.tree.nodes[0].args;
  ASSERT_EQ(args.size(), 4u);
  EXPECT_EQ(args[0].text, "abcd efg h jkl mnop");
  EXPECT_TRUE(args[0].quoted);
  EXPECT_EQ(args[1].text, "q r");
  // keepalived's tokenizer does not treat single quotes as quoting (scripts split them later).
  EXPECT_EQ(args[2].text, "'a");
  EXPECT_FALSE(args[2].quoted);
  EXPECT_EQ(args[3].text, "b'");
  EXPECT_EQ(loc(args[1].loc), "/virtual/keepalived.conf:1:25");
}

TEST(ReaderSyntax, QuotedStringsResolveEscapes) {
  auto r = read(R"(k "a\tb\n\x41\101\cA\"\\\E" "\q")"
                "\n");
  ASSERT_EQ(r.tree.nodes.size(), 1u);
  ASSERT_EQ(r.tree.nodes[0].args.size(), 2u);
  EXPECT_EQ(r.tree.nodes[0].args[0].text, std::string("a\tb\nAA\x01\"\\\x1b"));
  EXPECT_EQ(r.tree.nodes[0].args[1].text, "q");
}

TEST(ReaderSyntax, QuotedBracesAreWordsNotBlocks) {
  auto r = read("k \"{\" \"}\"\n");
  EXPECT_EQ(r.messages(), "");
  EXPECT_EQ(r.text(), "k \"{\" \"}\"\n");
}

TEST(ReaderSyntax, UnterminatedQuoteIsReportedAtTheQuote) {
  auto r = read("notify \"/bin/true x\n");
  EXPECT_EQ(r.messages(), "/virtual/keepalived.conf:1:8: error: unterminated quoted string\n");
}

TEST(ReaderSyntax, BraceOnNextLineOpensThePreviousLinesBlock) {
  auto r = read(
      "vrrp_instance VI_1\n"
      "{\n"
      "  state BACKUP\n"
      "}\n");
  EXPECT_EQ(r.messages(), "");
  EXPECT_EQ(r.text(), "vrrp_instance VI_1\n  state BACKUP\n");
  EXPECT_EQ(loc(r.tree.nodes[0].block_loc), "/virtual/keepalived.conf:2:1");
}

TEST(ReaderSyntax, OneLineBlocksAndGluedBraces) {
  auto r = read(
      "notification_email { a@example.com b@example.com }\n"
      "vrrp_instance VI_2{\n"
      "  track_interface { eth0\n"
      "  eth1 }\n"
      "  empty {\n"
      "  }}\n");
  EXPECT_EQ(r.messages(), "");
  EXPECT_EQ(r.text(),
            "notification_email\n"
            "  a@example.com b@example.com\n"
            "vrrp_instance VI_2\n"
            "  track_interface\n"
            "    eth0\n"
            "    eth1\n"
            "  empty {}\n");
}

TEST(ReaderSyntax, UnmatchedClosingBraceIsAnErrorAtTheBrace) {
  auto r = read("a {\n}\n  }\nb\n");
  EXPECT_EQ(r.messages(), "/virtual/keepalived.conf:3:3: error: unmatched `}`\n");
  EXPECT_EQ(r.text(), "a {}\nb\n");
}

TEST(ReaderSyntax, UnclosedBlockIsReportedAtEndWithNoteAtTheBrace) {
  auto r = read("vrrp_instance X {\n  state MASTER\n  virtual_ipaddress {\n");
  EXPECT_EQ(r.messages(),
            "/virtual/keepalived.conf:3:22: error: 2 missing `}` at end of input\n"
            "/virtual/keepalived.conf:3:21: note: block opened here\n"
            "/virtual/keepalived.conf:1:17: note: block opened here\n");
}

TEST(ReaderSyntax, StrayOpeningBraceIsReportedAndItsContentKept) {
  auto r = read("{\n  x 1\n}\n");
  EXPECT_EQ(r.messages(),
            "/virtual/keepalived.conf:1:1: error: unexpected `{` without a keyword before it\n");
  EXPECT_EQ(r.text(), "x 1\n");
}

TEST(ReaderSyntax, TokensCarryFileLineAndColumn) {
  auto r = read("\n\tglobal_defs {\n\t\trouter_id  \"r 1\"\n\t}\n");
  ASSERT_EQ(r.tree.nodes.size(), 1u);
  const Node& g = r.tree.nodes[0];
  EXPECT_EQ(loc(g.loc()), "/virtual/keepalived.conf:2:2");
  EXPECT_EQ(loc(g.children[0].loc()), "/virtual/keepalived.conf:3:3");
  EXPECT_EQ(loc(g.children[0].args[0].loc), "/virtual/keepalived.conf:3:14");
  EXPECT_EQ(g.children[0].loc().file->path, "/virtual/keepalived.conf");
}

TEST(ReaderSyntax, CrLfLineEndingsAndEmbeddedNulsDoNotBreakReading) {
  std::string text = "a 1\r\nb 2\r\n";
  text += std::string("c \0d\n", 5);
  auto r = read(text);
  EXPECT_EQ(r.tree.nodes.size(), 3u);
  EXPECT_EQ(r.tree.nodes[0].args[0].text, "1");
  EXPECT_EQ(r.tree.nodes[2].args[0].text, std::string("\0d", 2));
}

TEST(ReaderSyntax, BlocksPastTheDepthLimitAreReportedOncePerRun) {
  std::string text;
  for (int i = 0; i < 256; ++i) text += "b {\n";
  // A run of 50 blocks past the limit is one error; a second run after it closed is another.
  for (int i = 0; i < 50; ++i) text += "deeper {\n";
  for (int i = 0; i < 50; ++i) text += "}\n";
  text += "again {\n}\n";
  for (int i = 0; i < 256; ++i) text += "}\n";
  auto r = read(text);
  EXPECT_EQ(r.messages(),
            "/virtual/keepalived.conf:257:8: error: blocks nested more than 256 deep\n"
            "/virtual/keepalived.conf:357:7: error: blocks nested more than 256 deep\n");
}

TEST(ReaderSyntax, NestingIsBoundedSoTreeWalkersCannotOverflowTheStack) {
  std::string text;
  for (int i = 0; i < 256; ++i) text += "b {\n";
  text += "too_deep {\n  x\n}\n";
  for (int i = 0; i < 256; ++i) text += "}\n";
  auto r = read(text);
  EXPECT_EQ(r.messages(),
            "/virtual/keepalived.conf:257:10: error: blocks nested more than 256 deep\n");
  const Node* n = &r.tree.nodes.at(0);
  int depth = 1;
  while (!n->children.empty()) n = &n->children.back(), ++depth;
  // The over-deep block's content is kept one level up; the braces stay balanced.
  EXPECT_EQ(depth, 257);
  EXPECT_EQ(n->keyword.text, "x");
  EXPECT_EQ(n[-1].keyword.text, "too_deep");
}

}  // namespace
}  // namespace vigil::conf
