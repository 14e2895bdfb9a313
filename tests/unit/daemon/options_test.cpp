#include "daemon/options.h"

#include <syslog.h>

#include <gtest/gtest.h>

namespace vigil::daemon {
namespace {

ParseResult parse(std::vector<std::string> args, std::string program = "vigild") {
  args.insert(args.begin(), program);
  return parse_options(args);
}

Options ok(std::vector<std::string> args, std::string program = "vigild") {
  auto r = parse(std::move(args), std::move(program));
  EXPECT_FALSE(r.exit_code) << r.err;
  return r.options;
}

TEST(DaemonOptions, Defaults) {
  Options o = ok({});
  EXPECT_EQ(o.config_file, "/etc/keepalived/keepalived.conf");
  EXPECT_EQ(o.pid_file, "/run/vigil/vigild.pid");
  EXPECT_EQ(o.vrrp_pid_file, "/run/vigil/vrrp.pid");
  EXPECT_EQ(o.checkers_pid_file, "/run/vigil/checkers.pid");
  EXPECT_EQ(ok({"-p", "/tmp/x/main.pid"}).vrrp_pid_file, "/tmp/x/vrrp.pid");
  EXPECT_TRUE(o.worker.empty());
  EXPECT_FALSE(o.single_process);
  EXPECT_FALSE(o.dont_fork);
  EXPECT_FALSE(o.config_test);
  EXPECT_EQ(o.log_facility, -1);
  EXPECT_EQ(o.lb, LbBackend::Auto);
  EXPECT_FALSE(o.config_id);
  EXPECT_TRUE(o.warnings.empty());
}

TEST(DaemonOptions, KeepalivedNameSelectsKeepalivedPidFiles) {
  Options o = ok({}, "/usr/sbin/keepalived");
  EXPECT_EQ(o.program_name, "keepalived");
  EXPECT_EQ(o.pid_file, "/run/keepalived.pid");
  EXPECT_EQ(o.vrrp_pid_file, "/run/vrrp.pid");
  EXPECT_EQ(o.checkers_pid_file, "/run/checkers.pid");
  Options explicit_pid = ok({"-p", "/tmp/k.pid", "-r", "/tmp/v.pid"}, "keepalived");
  EXPECT_EQ(explicit_pid.pid_file, "/tmp/k.pid");
  EXPECT_EQ(explicit_pid.vrrp_pid_file, "/tmp/v.pid");
}

TEST(DaemonOptions, FileAndPidOptionsShortAndLong) {
  Options s = ok({"-f", "/a.conf", "-p", "/p", "-r", "/r", "-c", "/c", "-b", "/b"});
  EXPECT_EQ(s.config_file, "/a.conf");
  EXPECT_EQ(s.pid_file, "/p");
  EXPECT_EQ(s.vrrp_pid_file, "/r");
  EXPECT_EQ(s.checkers_pid_file, "/c");
  EXPECT_EQ(s.bfd_pid_file, "/b");
  Options l = ok({"--use-file=/b.conf", "--pid=/p2", "--vrrp_pid", "/r2", "--checkers_pid=/c2",
                  "--bfd_pid=/b2"});
  EXPECT_EQ(l.config_file, "/b.conf");
  EXPECT_EQ(l.pid_file, "/p2");
  EXPECT_EQ(l.vrrp_pid_file, "/r2");
  EXPECT_EQ(l.checkers_pid_file, "/c2");
  EXPECT_EQ(l.bfd_pid_file, "/b2");
  EXPECT_EQ(ok({"-f/c.conf"}).config_file, "/c.conf");
}

TEST(DaemonOptions, BooleanFlags) {
  Options o = ok({"-P", "-B", "-l", "-D", "-G", "-X", "-V", "-I", "-R", "-n", "-d", "-a", "-m",
                  "-e", "--all", "--dump-conf-json"});
  EXPECT_TRUE(o.vrrp_only);
  EXPECT_TRUE(o.no_bfd);
  EXPECT_TRUE(o.log_console);
  EXPECT_TRUE(o.log_detail);
  EXPECT_TRUE(o.no_syslog);
  EXPECT_TRUE(o.release_vips);
  EXPECT_TRUE(o.dont_release_vrrp);
  EXPECT_TRUE(o.dont_release_ipvs);
  EXPECT_TRUE(o.dont_respawn);
  EXPECT_TRUE(o.dont_fork);
  EXPECT_TRUE(o.dump_conf);
  EXPECT_TRUE(o.address_monitoring);
  EXPECT_TRUE(o.core_dump);
  EXPECT_TRUE(o.all_config);
  EXPECT_TRUE(o.all_children);
  EXPECT_TRUE(o.dump_conf_json);
  EXPECT_FALSE(o.check_only);
  Options l =
      ok({"--check", "--log-console", "--log-detail", "--dont-fork", "--dump-conf", "--no-syslog",
          "--no_bfd", "--release-vips", "--dont-release-vrrp", "--dont-release-ipvs",
          "--dont-respawn", "--address-monitoring", "--core-dump", "--all-config"});
  EXPECT_TRUE(l.check_only);
  EXPECT_TRUE(l.log_console && l.log_detail && l.dont_fork && l.dump_conf && l.no_syslog);
  EXPECT_TRUE(l.no_bfd && l.release_vips && l.dont_release_vrrp && l.dont_release_ipvs);
  EXPECT_TRUE(l.dont_respawn && l.address_monitoring && l.core_dump && l.all_config);
}

TEST(DaemonOptions, CombinedShortFlags) {
  Options o = ok({"-nlD"});
  EXPECT_TRUE(o.dont_fork);
  EXPECT_TRUE(o.log_console);
  EXPECT_TRUE(o.log_detail);
}

TEST(DaemonOptions, VrrpAndCheckOnlyExcludeEachOther) {
  auto r = parse({"-P", "-C"});
  ASSERT_TRUE(r.exit_code);
  EXPECT_EQ(*r.exit_code, 1);
  EXPECT_NE(r.err.find("exclude"), std::string::npos);
}

TEST(DaemonOptions, LogFacility) {
  EXPECT_EQ(ok({"-S", "0"}).log_facility, LOG_LOCAL0);
  EXPECT_EQ(ok({"-S7"}).log_facility, LOG_LOCAL7);
  EXPECT_EQ(ok({"--log-facility=local3"}).log_facility, LOG_LOCAL3);
  EXPECT_EQ(ok({"-S", "user"}).log_facility, LOG_USER);
  EXPECT_EQ(ok({"-S", "daemon"}).log_facility, LOG_DAEMON);
  // keepalived warns and keeps the default on a bad facility.
  Options bad = ok({"-S", "9"});
  EXPECT_EQ(bad.log_facility, -1);
  ASSERT_EQ(bad.warnings.size(), 1u);
  EXPECT_NE(bad.warnings[0].find("'9'"), std::string::npos);
}

TEST(DaemonOptions, LogFileAndLevel) {
  Options o = ok({"-g", "/var/log/v.log", "--log-level=debug"});
  EXPECT_EQ(o.log_file, "/var/log/v.log");
  EXPECT_EQ(o.log_level, "debug");
  EXPECT_EQ(ok({"--log-file=/x"}).log_file, "/x");
  EXPECT_TRUE(parse({"--log-level=loud"}).exit_code);
}

TEST(DaemonOptions, ConfigTestWithOptionalAttachedLogFile) {
  Options plain = ok({"-t"});
  EXPECT_TRUE(plain.config_test);
  EXPECT_EQ(plain.config_test_log_file, "");
  Options attached = ok({"-t/tmp/check.log"});
  EXPECT_TRUE(attached.config_test);
  EXPECT_EQ(attached.config_test_log_file, "/tmp/check.log");
  Options long_form = ok({"--config-test=/tmp/c2.log", "-f", "/k.conf"});
  EXPECT_TRUE(long_form.config_test);
  EXPECT_EQ(long_form.config_test_log_file, "/tmp/c2.log");
  EXPECT_EQ(long_form.config_file, "/k.conf");
  // Like getopt's optional argument, a separate word is not taken as the log file.
  Options separate = ok({"-t", "-f", "/k.conf"});
  EXPECT_TRUE(separate.config_test);
  EXPECT_EQ(separate.config_test_log_file, "");
  EXPECT_EQ(separate.config_file, "/k.conf");
  EXPECT_TRUE(ok({"--config-test"}).config_test);
}

TEST(DaemonOptions, ConfigId) {
  EXPECT_EQ(ok({"-i", "node1"}).config_id, "node1");
  EXPECT_EQ(ok({"--config-id", "node2"}).config_id, "node2");
  EXPECT_EQ(ok({"--config-id=node3"}).config_id, "node3");
}

TEST(DaemonOptions, Umask) {
  EXPECT_EQ(ok({"-u", "022"}).umask, mode_t{022});
  EXPECT_EQ(ok({"--umask=077"}).umask, mode_t{077});
  EXPECT_EQ(ok({"-u", "0"}).umask, mode_t{0});
  auto bad = parse({"-u", "abc"});
  ASSERT_TRUE(bad.exit_code);
  EXPECT_EQ(*bad.exit_code, 1);
  EXPECT_TRUE(parse({"-u", "01000"}).exit_code);
}

TEST(DaemonOptions, NamespaceAndSnmpAndCorePattern) {
  Options o = ok({"-s", "blue", "-x", "-A", "/sock", "-M", "core.%p"});
  EXPECT_EQ(o.network_namespace, "blue");
  EXPECT_EQ(o.warnings.size(), 2u);  // SNMP, core pattern
  EXPECT_EQ(ok({"--namespace=red"}).network_namespace, "red");
  EXPECT_EQ(ok({"--snmp"}).warnings.size(), 1u);
}

TEST(DaemonOptions, LoadBalancerBackend) {
  EXPECT_EQ(ok({"--lb=ipvs"}).lb, LbBackend::Ipvs);
  EXPECT_EQ(ok({"--lb", "nft"}).lb, LbBackend::Nft);
  EXPECT_EQ(ok({"--lb=auto"}).lb, LbBackend::Auto);
  auto bad = parse({"--lb=iptables"});
  ASSERT_TRUE(bad.exit_code);
  EXPECT_EQ(*bad.exit_code, 1);
}

TEST(DaemonOptions, VersionPrintsAndExits) {
  for (const char* flag : {"-v", "--version"}) {
    auto r = parse({flag});
    ASSERT_TRUE(r.exit_code);
    EXPECT_EQ(*r.exit_code, 0);
    EXPECT_EQ(r.out.rfind("vigild " VIGIL_VERSION, 0), 0u) << r.out;
  }
}

TEST(DaemonOptions, VersionTextCarriesRuntimeFeatures) {
  EXPECT_TRUE(parse({"-v"}).version_requested);
  EXPECT_FALSE(parse({"-h"}).version_requested);
  EXPECT_EQ(version_text("vigild").find("features"), std::string::npos);
  std::string with = version_text("vigild", "vrrp checkers");
  EXPECT_EQ(with.rfind("vigild " VIGIL_VERSION, 0), 0u);
  EXPECT_NE(with.find("\nfeatures: vrrp checkers\n"), std::string::npos) << with;
}

TEST(DaemonOptions, HelpListsKeepalivedFlags) {
  auto r = parse({"--help"});
  ASSERT_TRUE(r.exit_code);
  EXPECT_EQ(*r.exit_code, 0);
  for (const char* flag :
       {"--use-file", "--vrrp", "--check", "--log-console", "--log-detail", "--log-facility",
        "--dont-fork", "--dump-conf", "--pid", "--vrrp_pid", "--checkers_pid", "--config-id",
        "--config-test", "--signum", "--version", "--dump-conf-json", "--lb"})
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
  EXPECT_EQ(*parse({"-h"}).exit_code, 0);
}

TEST(DaemonOptions, SignumPrintsKeepalivedNumbers) {
  auto stop = parse({"--signum=STOP"});
  ASSERT_TRUE(stop.exit_code);
  EXPECT_EQ(*stop.exit_code, 0);
  EXPECT_EQ(stop.out, "15\n");
  EXPECT_EQ(parse({"--signum=RELOAD"}).out, "1\n");
  EXPECT_EQ(parse({"--signum", "DATA"}).out, "10\n");
  EXPECT_EQ(parse({"--signum=STATS"}).out, "12\n");
  EXPECT_EQ(parse({"--signum=JSON"}).out, std::to_string(SIGRTMIN + 2) + "\n");
  EXPECT_EQ(parse({"--signum=STATS_CLEAR"}).out, std::to_string(SIGRTMAX - 1) + "\n");
  auto bad = parse({"--signum=stop"});
  ASSERT_TRUE(bad.exit_code);
  EXPECT_EQ(*bad.exit_code, 1);
  EXPECT_EQ(bad.err, "Unknown sigfunc stop\n");
}

TEST(DaemonOptions, UnknownOptionAndStrayArgumentAreErrors) {
  auto r = parse({"--bogus"});
  ASSERT_TRUE(r.exit_code);
  EXPECT_EQ(*r.exit_code, 1);
  EXPECT_NE(r.err.find("--bogus"), std::string::npos);
  EXPECT_EQ(*parse({"stray"}).exit_code, 1);
  EXPECT_EQ(*parse({"-f"}).exit_code, 1);  // missing value
}

TEST(DaemonOptions, GenhashModeIsRefused) {
  auto r = parse({"-T"});
  ASSERT_TRUE(r.exit_code);
  EXPECT_EQ(*r.exit_code, 1);
  EXPECT_NE(r.err.find("genhash"), std::string::npos);
}

}  // namespace
}  // namespace vigil::daemon
