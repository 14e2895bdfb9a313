#include "vrrp/process_match.h"

#include <gtest/gtest.h>

namespace vigil::vrrp {
namespace {

conf::VrrpTrackProcess tracked(std::vector<std::string> process,
                               conf::ParamMatch m = conf::ParamMatch::None) {
  conf::VrrpTrackProcess tp;
  tp.name = "app";
  tp.process = std::move(process);
  tp.param_match = m;
  if (tp.process.size() > 1 && m == conf::ParamMatch::None)
    tp.param_match = conf::ParamMatch::Exact;  // as the parser sets it
  return tp;
}

ProcessInfo proc(std::string name, std::vector<std::string> cmdline) {
  return {std::move(name), std::move(cmdline)};
}

TEST(ProcessMatch, NameIsExactNotAPattern) {
  auto tp = tracked({"ssh"});
  EXPECT_TRUE(process_matches(tp, proc("ssh", {"ssh", "host"})));
  EXPECT_FALSE(process_matches(tp, proc("sshd", {"/usr/sbin/sshd"})));
  EXPECT_FALSE(process_matches(tp, proc("ss", {"ss"})));
}

TEST(ProcessMatch, LongNamesAreCutLikeTheKernelCutsThem) {
  auto tp = tracked({"a-very-long-daemon-name"});
  EXPECT_TRUE(process_matches(tp, proc("a-very-long-dae", {"/usr/bin/a-very-long-daemon-name"})));
}

TEST(ProcessMatch, ParametersExactPartialInitial) {
  auto exact = tracked({"/usr/sbin/nginx", "-g", "daemon off;"});
  EXPECT_TRUE(process_matches(exact, proc("nginx", {"/usr/sbin/nginx", "-g", "daemon off;"})));
  EXPECT_FALSE(
      process_matches(exact, proc("nginx", {"/usr/sbin/nginx", "-g", "daemon off;", "-q"})));
  EXPECT_FALSE(process_matches(exact, proc("nginx", {"nginx", "-g", "daemon off;"})));

  auto partial = tracked({"/usr/sbin/nginx", "-g"}, conf::ParamMatch::Partial);
  EXPECT_TRUE(process_matches(partial, proc("nginx", {"/usr/sbin/nginx", "-g", "x"})));
  EXPECT_FALSE(process_matches(partial, proc("nginx", {"/usr/sbin/nginx", "-gx"})));

  auto initial = tracked({"/usr/sbin/nginx", "-c", "/etc/ng"}, conf::ParamMatch::Initial);
  EXPECT_TRUE(
      process_matches(initial, proc("nginx", {"/usr/sbin/nginx", "-c", "/etc/nginx.conf"})));
  EXPECT_FALSE(process_matches(initial, proc("nginx", {"/usr/sbin/nginx", "-C", "/etc/nginx"})));
}

TEST(ProcessMatch, ParamMatchWithoutParametersMeansNoArguments) {
  auto tp = tracked({"/bin/sleep"}, conf::ParamMatch::Exact);
  EXPECT_TRUE(process_matches(tp, proc("sleep", {"/bin/sleep"})));
  EXPECT_FALSE(process_matches(tp, proc("sleep", {"/bin/sleep", "10"})));
}

TEST(ProcessMatch, FullCommandComparesTheWholeLine) {
  auto tp = tracked({"/bin/sleep 1000"});
  tp.full_command = true;
  EXPECT_TRUE(process_matches(tp, proc("sleep", {"/bin/sleep", "1000"})));
  EXPECT_FALSE(process_matches(tp, proc("sleep", {"/bin/sleep", "100"})));
  // Kernel threads have no command line.
  EXPECT_FALSE(process_matches(tp, proc("kworker/0:1", {})));
}

TEST(ProcessMatch, QuorumAndQuorumMax) {
  auto tp = tracked({"app"});
  tp.quorum = 2;
  tp.quorum_max = 3;
  EXPECT_FALSE(quorum_met(tp, 1));
  EXPECT_TRUE(quorum_met(tp, 2));
  EXPECT_TRUE(quorum_met(tp, 3));
  EXPECT_FALSE(quorum_met(tp, 4));
  tp.quorum = 0;
  tp.quorum_max = 0;  // up only while nothing matching runs
  EXPECT_TRUE(quorum_met(tp, 0));
  EXPECT_FALSE(quorum_met(tp, 1));
}

const MonoTime match_t0{};
const Micros sec{1'000'000};

TEST(ProcessStatus, InitialScanDecidesAtOnce) {
  auto tp = tracked({"app"});
  tp.fork_delay = 2 * sec;
  EXPECT_TRUE(ProcessStatus(tp, 1).up());
  EXPECT_FALSE(ProcessStatus(tp, 0).up());
}

TEST(ProcessStatus, WithoutDelaysChangesImmediately) {
  auto tp = tracked({"app"});
  ProcessStatus s(tp, 1);
  EXPECT_TRUE(s.set_count(0, match_t0));
  EXPECT_FALSE(s.up());
  EXPECT_FALSE(s.deadline());
  EXPECT_TRUE(s.set_count(1, match_t0));
  EXPECT_TRUE(s.up());
}

TEST(ProcessStatus, TerminateDelayHoldsTheUpStatus) {
  auto tp = tracked({"app"});
  tp.terminate_delay = 2 * sec;
  ProcessStatus s(tp, 1);
  EXPECT_FALSE(s.set_count(0, match_t0));
  EXPECT_TRUE(s.up());
  ASSERT_TRUE(s.deadline());
  EXPECT_EQ(*s.deadline(), match_t0 + 2 * sec);
  EXPECT_FALSE(s.on_timer(match_t0 + sec));  // early: nothing
  EXPECT_TRUE(s.on_timer(match_t0 + 2 * sec));
  EXPECT_FALSE(s.up());
}

TEST(ProcessStatus, RestartWithinTerminateDelayDoesNotBounce) {
  auto tp = tracked({"app"});
  tp.terminate_delay = 2 * sec;
  ProcessStatus s(tp, 1);
  EXPECT_FALSE(s.set_count(0, match_t0));
  EXPECT_FALSE(s.set_count(1, match_t0 + sec));  // the parent re-forked it
  EXPECT_FALSE(s.deadline());
  EXPECT_FALSE(s.on_timer(match_t0 + 3 * sec));
  EXPECT_TRUE(s.up());
}

TEST(ProcessStatus, ForkDelayBeforeUp) {
  auto tp = tracked({"app"});
  tp.fork_delay = sec;
  ProcessStatus s(tp, 0);
  EXPECT_FALSE(s.set_count(1, match_t0));
  EXPECT_FALSE(s.up());
  EXPECT_TRUE(s.on_timer(match_t0 + sec));
  EXPECT_TRUE(s.up());
}

}  // namespace
}  // namespace vigil::vrrp
