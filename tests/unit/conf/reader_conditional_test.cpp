// Conditional lines: @id keeps a line on the node whose config id is id, @^id on the others.
#include <gtest/gtest.h>

#include "conf/reader.h"
#include "reader_test_support.h"

namespace vigil::conf {
namespace {

using testing::loc;
using testing::read;

constexpr const char* kConfig =
    "global_defs {\n"
    "    @main   router_id main_router\n"
    "    @backup router_id backup_router\n"
    "}\n"
    "vrrp_instance VRRP {\n"
    "    unicast_peer {\n"
    "        @^main    192.0.2.4\n"
    "        @^backup  192.0.2.5\n"
    "        @^backup2 192.0.2.6\n"
    "    }\n"
    "}\n";

std::string read_as(const std::string& id) {
  ReadOptions o;
  o.config_id = id;
  return read(kConfig, o).text();
}

TEST(ReaderConditional, PositiveLinesOnlyOnTheMatchingNode) {
  EXPECT_EQ(read_as("main"),
            "global_defs\n  router_id main_router\n"
            "vrrp_instance VRRP\n  unicast_peer\n    192.0.2.5\n    192.0.2.6\n");
  EXPECT_EQ(read_as("backup"),
            "global_defs\n  router_id backup_router\n"
            "vrrp_instance VRRP\n  unicast_peer\n    192.0.2.4\n    192.0.2.6\n");
  EXPECT_EQ(read_as("other"),
            "global_defs {}\n"
            "vrrp_instance VRRP\n  unicast_peer\n    192.0.2.4\n    192.0.2.5\n    192.0.2.6\n");
}

TEST(ReaderConditional, KeptLineKeepsItsColumns) {
  ReadOptions o;
  o.config_id = "main";
  auto r = read(kConfig, o);
  EXPECT_EQ(loc(r.tree.nodes[0].children[0].loc()), "/virtual/keepalived.conf:2:13");
}

TEST(ReaderConditional, IdMustBeFollowedByBlankNotPrefixMatched) {
  ReadOptions o;
  o.config_id = "main";
  EXPECT_EQ(read("@mainx a\n@mai b\n@main c\n", o).text(), "c\n");
}

TEST(ReaderConditional, ConditionalDefinitions) {
  ReadOptions o;
  o.config_id = "backup";
  auto r = read("@main $PRIORITY=240\n@backup $PRIORITY=200\npriority $PRIORITY\n", o);
  EXPECT_EQ(r.text(), "priority 200\n");
}

TEST(ReaderConditional, ConditionalBlockOpener) {
  ReadOptions o;
  o.config_id = "a";
  // A dropped block opener takes only its own line: its braces stay balanced with the rest.
  auto r = read("@a x {\n@b y {\n}\n", o);
  EXPECT_EQ(r.messages(), "");
  EXPECT_EQ(r.text(), "x {}\n");
}

TEST(ReaderConditional, DefaultConfigIdIsTheFirstLabelOfTheHostName) {
  char host[256] = {};
  ASSERT_EQ(gethostname(host, sizeof host - 1), 0);
  std::string first = std::string(host).substr(0, std::string(host).find('.'));
  Diagnostics d;
  auto t = read_config_text("x.conf", "@" + first + " yes\n@^" + first + " no\n", ReadOptions{}, d);
  ASSERT_EQ(t.nodes.size(), 1u);
  EXPECT_EQ(t.nodes[0].keyword.text, "yes");
}

}  // namespace
}  // namespace vigil::conf
