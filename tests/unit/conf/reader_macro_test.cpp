// Parameter substitution ($NAME=value, $NAME, ${NAME}, multi-line definitions, built-ins).
#include <gtest/gtest.h>

#include <cstdlib>

#include "conf/reader.h"
#include "reader_test_support.h"

namespace vigil::conf {
namespace {

using testing::loc;
using testing::read;

TEST(ReaderMacro, DefinedParametersAreSubstitutedWithAndWithoutBraces) {
  auto r = read(
      "$PRIO=150\n"
      "$NET=192.0.2\n"
      "priority $PRIO\n"
      "address ${NET}.10/24 \"q${NET}\" x$PRIO\n");
  EXPECT_EQ(r.messages(), "");
  EXPECT_EQ(r.text(), "priority 150\naddress 192.0.2.10/24 \"q192.0.2\" x150\n");
}

TEST(ReaderMacro, UnbracedParameterNeedsTrailingWhitespace) {
  auto r = read("$D=val\nk $Dy \"q$D\" $D\n");
  EXPECT_EQ(r.text(), "k $Dy \"q$D\" val\n");
}

TEST(ReaderMacro, TokensFromAMacroUseTheLocationOfTheUse) {
  auto r = read("$ADDR=192.0.2.1 dev eth0\n  k  x ${ADDR} y\n");
  ASSERT_EQ(r.tree.nodes.size(), 1u);
  const auto& a = r.tree.nodes[0].args;
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(loc(a[0].loc), "/virtual/keepalived.conf:2:6");
  EXPECT_EQ(loc(a[1].loc), "/virtual/keepalived.conf:2:8");
  EXPECT_EQ(loc(a[2].loc), "/virtual/keepalived.conf:2:8");
  EXPECT_EQ(loc(a[3].loc), "/virtual/keepalived.conf:2:8");
  EXPECT_EQ(a[4].text, "y");
  EXPECT_EQ(loc(a[4].loc), "/virtual/keepalived.conf:2:16");
}

TEST(ReaderMacro, ValuesAreExpandedAtUseTime) {
  // The example of keepalived.conf(5).
  auto r = read(
      "$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}\n"
      "$ADDRESS_BASE_SUB=0\n"
      "${ADDRESS_BASE}.100/32\n"
      "$ADDRESS_BASE_SUB=10\n"
      "${ADDRESS_BASE}.100/32\n");
  EXPECT_EQ(r.messages(), "");
  EXPECT_EQ(r.text(), "10.2.0.100/32\n10.2.10.100/32\n");
}

TEST(ReaderMacro, UndefinedParametersStayButBracedOnesOutsideQuotesAreErrors) {
  auto r = read("misc_path \"/bin/sh -c 'echo ${HOME} $USER'\" $PLAIN\n  k ${NOPE}\n");
  EXPECT_EQ(r.messages(), "/virtual/keepalived.conf:2:5: error: undefined parameter `NOPE`\n");
  EXPECT_EQ(r.tree.nodes[0].args[0].text, "/bin/sh -c 'echo ${HOME} $USER'");
  EXPECT_EQ(r.tree.nodes[0].args[1].text, "$PLAIN");
}

TEST(ReaderMacro, EmptyValueIsAllowed) {
  auto r = read("$E=\nk a${E}b $E c\n");
  EXPECT_EQ(r.text(), "k ab c\n");
}

TEST(ReaderMacro, MultilineDefinitionsExpandToSeveralLines) {
  auto r = read(
      "$INSTANCE= \\\n"
      "vrrp_instance VI_${NUM} { \\\n"
      "    interface eth0.${NUM} \\\n"
      "    @high priority 130 \\\n"
      "    @node1 priority 120 \\\n"
      "    virtual_ipaddress { \\\n"
      "        192.0.2.${NUM}/24 \\\n"
      "    } \\\n"
      "}\n"
      "$NUM=1\n"
      "$INSTANCE\n"
      "$NUM=2\n"
      "  $INSTANCE\n");
  EXPECT_EQ(r.messages(), "");
  EXPECT_EQ(r.text(),
            "vrrp_instance VI_1\n"
            "  interface eth0.1\n"
            "  priority 120\n"
            "  virtual_ipaddress\n"
            "    192.0.2.1/24\n"
            "vrrp_instance VI_2\n"
            "  interface eth0.2\n"
            "  priority 120\n"
            "  virtual_ipaddress\n"
            "    192.0.2.2/24\n");
  // Everything a multi-line parameter produced points at its use.
  const Node& second = r.tree.nodes[1];
  EXPECT_EQ(loc(second.loc()), "/virtual/keepalived.conf:13:3");
  EXPECT_EQ(loc(second.children[2].children[0].loc()), "/virtual/keepalived.conf:13:3");
}

TEST(ReaderMacro, BlankLineEndsAMultilineDefinition) {
  auto r = read("$M= \\\na \\\n\nb\n$M\n");
  EXPECT_EQ(r.text(), "b\na\n");
}

TEST(ReaderMacro, MultilineDefinitionsNestAndRedefineWhileExpanding) {
  auto r = read(
      "$RS= \\\n"
      "real_server 192.0.2.${RS_NUM} 80 { \\\n"
      "    weight ${RS_NUM} \\\n"
      "}\n"
      "$VS= \\\n"
      "virtual_server 203.0.113.${VS_NUM} 80 { \\\n"
      "    $RS_NUM=1 \\\n"
      "    $RS \\\n"
      "    $RS_NUM=2 \\\n"
      "    $RS \\\n"
      "}\n"
      "$VS_NUM=7\n"
      "$VS\n");
  EXPECT_EQ(r.messages(), "");
  EXPECT_EQ(r.text(),
            "virtual_server 203.0.113.7 80\n"
            "  real_server 192.0.2.1 80\n"
            "    weight 1\n"
            "  real_server 192.0.2.2 80\n"
            "    weight 2\n");
}

TEST(ReaderMacro, BuiltinsPwdInstanceHashBang) {
  ReadOptions o;
  o.config_id = "lb1";
  auto r = read("k ${_PWD} ${_INSTANCE} a${_HASH}b c${_BANG}d $_INSTANCE\n", o);
  EXPECT_EQ(r.messages(), "");
  EXPECT_EQ(r.text(), "k /virtual lb1 a#b c!d lb1\n");
}

TEST(ReaderMacro, RandomStaysInItsRange) {
  auto r = read("k ${_RANDOM 5 5} ${_RANDOM 3 4} ${_RANDOM}\n");
  EXPECT_EQ(r.messages(), "");
  const auto& a = r.tree.nodes.at(0).args;
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].text, "5");
  EXPECT_TRUE(a[1].text == "3" || a[1].text == "4") << a[1].text;
  int v = std::stoi(a[2].text);
  EXPECT_GE(v, 0);
  EXPECT_LE(v, 32767);
}

TEST(ReaderMacro, EnvReadsTheEnvironment) {
  ::setenv("VIGIL_TEST_ENV_VALUE", "eth7", 1);
  ::unsetenv("VIGIL_TEST_ENV_UNSET");
  auto r = read("interface ${_ENV VIGIL_TEST_ENV_VALUE} x${_ENV VIGIL_TEST_ENV_UNSET}y\n");
  EXPECT_EQ(r.messages(), "");
  EXPECT_EQ(r.text(), "interface eth7 xy\n");
}

// keepalived has no user-defined parameterised definitions: only the pre-defined _RANDOM and
// _ENV take arguments. Anything else with arguments stays unreplaced and is reported where it
// is written, saying why.
TEST(ReaderMacro, ArgumentsOnlyForPredefinedParametersAndReportedWhenWrong) {
  auto r = read(
      "$ADDR=192.0.2.1\n"
      "k ${ADDR 1}\n"
      "k ${_RANDOM 1 x}\n"
      "k ${_RANDOM 1 2 3}\n"
      "k ${_ENV}\n"
      "k ${_PWD 1}\n"
      "k ${NOPE 1}\n"
      "k \"${ADDR 1}\" ${ADDR}\n");
  EXPECT_EQ(r.messages(),
            "/virtual/keepalived.conf:2:3: error: `${ADDR 1}`: `ADDR` is a definition, which "
            "takes no arguments (only pre-defined parameters such as _RANDOM do)\n"
            "/virtual/keepalived.conf:3:3: error: `${_RANDOM 1 x}`: `_RANDOM` takes at most two "
            "non-negative integers, MIN and MAX\n"
            "/virtual/keepalived.conf:4:3: error: `${_RANDOM 1 2 3}`: `_RANDOM` takes at most two "
            "non-negative integers, MIN and MAX\n"
            "/virtual/keepalived.conf:5:3: error: `${_ENV}`: `_ENV` takes one environment "
            "variable name\n"
            "/virtual/keepalived.conf:6:3: error: `${_PWD 1}`: `_PWD` takes no arguments\n"
            "/virtual/keepalived.conf:7:3: error: undefined parameter `NOPE` in `${NOPE 1}`\n");
  // Inside quotes the text stays as written (keepalived's behaviour), without a report.
  EXPECT_EQ(r.tree.nodes.back().args[0].text, "${ADDR 1}");
  EXPECT_EQ(r.tree.nodes.back().args[1].text, "192.0.2.1");
}

TEST(ReaderMacro, PredefinedParametersFromOptions) {
  ReadOptions o;
  o.predefined["IF"] = "eth9";
  auto r = read("interface $IF\n", o);
  EXPECT_EQ(r.text(), "interface eth9\n");
}

TEST(ReaderMacro, SelfReferenceIsReportedNotLooped) {
  auto r = read("$A=x${B}\n$B=${A}\nk ${A}\nafter\n");
  EXPECT_EQ(r.diag.error_count(), 1u);
  EXPECT_NE(r.messages().find("/virtual/keepalived.conf:3:3: error: parameter expansion does not "
                              "terminate"),
            std::string::npos)
      << r.messages();
  EXPECT_EQ(r.text(), "after\n");
}

TEST(ReaderMacro, DirectSelfReferenceIsReportedAtItsFirstRepeat) {
  auto r = read("$A=x $A\nk $A\nafter\n");
  EXPECT_EQ(r.diag.error_count(), 1u);
  EXPECT_NE(r.messages().find("/virtual/keepalived.conf:2:3: error: parameter expansion does not "
                              "terminate (recursive definition of `A`)"),
            std::string::npos)
      << r.messages();
  EXPECT_EQ(r.text(), "after\n");
}

TEST(ReaderMacro, AUseReachingPastAValueIsNotARepeat) {
  // `${A}` becomes `x $`, which with the following `A` is a new use of A that is not inside A's
  // value: it expands once more and the expansion ends.
  auto r = read("$A=x $\nk ${A}A y\n");
  EXPECT_EQ(r.diag.error_count(), 0u) << r.messages();
  EXPECT_EQ(r.text(), "k x x $ y\n");
}

TEST(ReaderMacro, AParameterUsedTwiceInAValueIsNoRecursion) {
  auto r = read("$B=b\n$A=$B ${B}\n$C=${A} $A\nk $C\n");
  EXPECT_EQ(r.diag.error_count(), 0u) << r.messages();
  EXPECT_EQ(r.text(), "k b b b b\n");
}

TEST(ReaderMacro, MultilineSelfReferenceIsBounded) {
  auto r = read("$M= \\\nx \\\n$M\n$M\nafter\n");
  EXPECT_EQ(r.diag.error_count(), 1u);
  EXPECT_NE(
      r.messages().find("/virtual/keepalived.conf:4:1: error: parameters nested more than 64 deep"),
      std::string::npos)
      << r.messages();
  EXPECT_EQ(r.tree.nodes.back().keyword.text, "after");
}

TEST(ReaderMacro, ParameterCanProduceAConditional) {
  ReadOptions main;
  main.config_id = "main";
  auto r = read("$IF_MAIN=@main\n$IF_MAIN priority 240\n", main);
  EXPECT_EQ(r.text(), "priority 240\n");
  ReadOptions other;
  other.config_id = "backup";
  EXPECT_EQ(read("$IF_MAIN=@main\n$IF_MAIN priority 240\n", other).text(), "");
}

TEST(ReaderMacro, CommentsInDefinitionsAreStripped) {
  auto r = read("$X=a b # comment\nk $X\n");
  EXPECT_EQ(r.text(), "k a b\n");
}

}  // namespace
}  // namespace vigil::conf
