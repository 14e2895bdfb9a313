#include "daemon/options.h"

#include <cstdlib>
#include <sstream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "base/log.h"
#include "daemon/signals.h"

namespace vigil::daemon {

namespace {

std::string basename_of(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// keepalived's -t takes an *optional* attached value (-tFILE, --config-test=FILE), like
// getopt's "t::". CLI11 would instead swallow the next word, so -t is taken out here and
// everything else goes to CLI11.
std::vector<std::string> extract_config_test(const std::vector<std::string>& in, Options& o) {
  std::vector<std::string> out;
  for (size_t i = 0; i < in.size(); ++i) {
    const std::string& a = in[i];
    if (a == "--") {  // the rest is not options
      out.insert(out.end(), in.begin() + static_cast<long>(i), in.end());
      break;
    }
    if (a == "-t" || a == "--config-test") {
      o.config_test = true;
    } else if (a.rfind("--config-test=", 0) == 0) {
      o.config_test = true;
      o.config_test_log_file = a.substr(std::string("--config-test=").size());
    } else if (a.size() > 2 && a.rfind("-t", 0) == 0) {
      o.config_test = true;
      o.config_test_log_file = a.substr(2);
    } else {
      out.push_back(a);
    }
  }
  return out;
}

std::optional<mode_t> parse_umask(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  unsigned long v = std::strtoul(text.c_str(), &end, 0);  // "022" is octal, as in C
  if (*end != '\0' || v > 0777) return std::nullopt;
  return static_cast<mode_t>(v);
}

}  // namespace

std::string version_text(std::string_view program_name, std::string_view features) {
  std::string text =
      fmt::format("{} {} (keepalived.conf compatible, keepalived 2.2.7 command line)\n",
                  program_name, VIGIL_VERSION);
  if (!features.empty()) text += fmt::format("features: {}\n", features);
  return text;
}

ParseResult parse_options(const std::vector<std::string>& args) {
  ParseResult r;
  Options& o = r.options;
  std::string program = args.empty() ? std::string("vigild") : basename_of(args[0]);
  o.program_name = program;
  bool invoked_as_keepalived = program == "keepalived";

  std::vector<std::string> rest = extract_config_test(
      std::vector<std::string>(args.begin() + (args.empty() ? 0 : 1), args.end()), o);

  CLI::App app{"vigil: keepalived-compatible VRRP and load-balancer health-check daemon", program};
  app.set_help_flag("-h,--help", "Display this help message");
  app.get_formatter()->column_width(34);

  std::string facility, umask_text, signum, lb = "auto";
  bool version = false, genhash = false, snmp = false;
  std::string snmp_socket, core_pattern;

  app.add_option("-f,--use-file", o.config_file, "Use the specified configuration file")
      ->type_name("FILE")
      ->default_str(o.config_file);
  app.add_flag("-P,--vrrp", o.vrrp_only, "Only run with VRRP subsystem");
  app.add_flag("-C,--check", o.check_only, "Only run with Health-checker subsystem");
  app.add_flag("-B,--no_bfd", o.no_bfd, "Don't run BFD subsystem (vigil has none)");
  app.add_flag("--all", o.all_children, "Run all subsystems, even without configuration");
  app.add_flag("-l,--log-console", o.log_console, "Log messages to local console");
  app.add_flag("-D,--log-detail", o.log_detail, "Detailed log messages");
  app.add_option("-S,--log-facility", facility,
                 "Set syslog facility to LOG_LOCAL[0-7], user or daemon (default)")
      ->type_name("([0-7]|local[0-7]|user|daemon)");
  app.add_flag("-G,--no-syslog", o.no_syslog, "Don't log via syslog");
  app.add_option("-g,--log-file", o.log_file, "Also log to FILE")->type_name("FILE");
  app.add_option("--log-level", o.log_level, "vigil: trace, debug, info (default), warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  app.add_option("-u,--umask", umask_text, "umask for file creation (in numeric form)")
      ->type_name("MASK");
  app.add_flag("-X,--release-vips", o.release_vips, "Drop VIP on transition from signal");
  app.add_flag("-V,--dont-release-vrrp", o.dont_release_vrrp,
               "Don't remove VRRP VIPs and VROUTEs on daemon stop");
  app.add_flag("-I,--dont-release-ipvs", o.dont_release_ipvs,
               "Don't remove IPVS topology on daemon stop");
  app.add_flag("-R,--dont-respawn", o.dont_respawn, "Don't respawn child processes");
  app.add_flag("-n,--dont-fork", o.dont_fork, "Don't fork the daemon process");
  app.add_flag("-d,--dump-conf", o.dump_conf, "Dump the configuration data");
  app.add_flag("--dump-conf-json", o.dump_conf_json,
               "vigil: print the normalized configuration as JSON (with -t: and exit)");
  app.add_option("-p,--pid", o.pid_file, "Use specified pidfile for parent process")
      ->type_name("FILE");
  app.add_option("-r,--vrrp_pid", o.vrrp_pid_file, "Use specified pidfile for VRRP child process")
      ->type_name("FILE");
  app.add_flag("-T,--genhash", genhash, "genhash utility mode (not in vigild)");
  app.add_option("-c,--checkers_pid", o.checkers_pid_file,
                 "Use specified pidfile for checkers child process")
      ->type_name("FILE");
  app.add_flag("-a,--address-monitoring", o.address_monitoring,
               "Report all address additions/deletions notified via netlink");
  app.add_option("-b,--bfd_pid", o.bfd_pid_file, "Use specified pidfile for BFD child process")
      ->type_name("FILE");
  app.add_flag("-x,--snmp", snmp, "Enable SNMP subsystem (not supported; ignored)");
  app.add_option("-A,--snmp-agent-socket", snmp_socket, "SNMP master agent socket (ignored)")
      ->type_name("FILE");
  app.add_option("-s,--namespace", o.network_namespace,
                 "Run in network namespace NAME (overrides config)")
      ->type_name("NAME");
  app.add_flag("-m,--core-dump", o.core_dump, "Produce core dump if terminate abnormally");
  app.add_option("-M,--core-dump-pattern", core_pattern,
                 "Set /proc/sys/kernel/core_pattern (not done by vigil; ignored)")
      ->type_name("PATN")
      ->expected(0, 1);
  app.add_flag("-e,--all-config", o.all_config,
               "Error if any configuration file missing (same as includet)");
  app.add_option("-i,--config-id", o.config_id,
                 "Skip configuration lines beginning '@' that don't match id (default: "
                 "node name)")
      ->type_name("id");
  app.add_option("--signum", signum,
                 "Return signal number for STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON")
      ->type_name("SIGFUNC");
  // Shown in --help only: -t is parsed by extract_config_test() above.
  app.add_flag("-t,--config-test")
      ->description(
          "Check the configuration for obvious errors, output to stderr by default "
          "(-tFILE / --config-test=FILE)");
  app.add_option("--lb", lb, "vigil: load-balancer data plane: auto (default), ipvs or nft")
      ->check(CLI::IsMember({"auto", "ipvs", "nft"}));
  app.add_option("--control-socket", o.control_socket,
                 "vigil: control socket path (default /run/vigil/vigild.ctl)")
      ->type_name("PATH");
  app.add_option("--dump-dir", o.dump_dir,
                 "vigil: directory for the keepalived.data/.stats/.json dumps (default /tmp)")
      ->type_name("DIR");
  app.add_flag("-v,--version", version, "Display the version number");
  // Internal: how the supervisor starts its workers; hidden from --help.
  app.add_option("--worker", o.worker)->check(CLI::IsMember({"vrrp", "check"}))->group("");
  app.add_flag("--single-process", o.single_process)->group("");
  app.add_option("--restart-delay", o.restart_delay_ms)
      ->check(CLI::Range(1u, 3'600'000u))
      ->group("");

  std::ostringstream out, err;
  try {
    std::vector<std::string> reversed(rest.rbegin(), rest.rend());  // CLI11 takes them reversed
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    r.exit_code = app.exit(e, out, err);
    if (e.get_exit_code() != 0) r.exit_code = 1;
    r.out = out.str();
    r.err = err.str();
    return r;
  }

  if (version) {
    r.exit_code = 0;
    r.version_requested = true;
    r.out = version_text(program);
    return r;
  }
  if (!signum.empty()) {
    if (auto n = signum_for(signum)) {
      r.exit_code = 0;
      r.out = fmt::format("{}\n", *n);
    } else {
      r.exit_code = 1;
      r.err = fmt::format("Unknown sigfunc {}\n", signum);
    }
    return r;
  }
  if (genhash) {
    r.exit_code = 1;
    r.err = fmt::format("{}: genhash mode (-T) is not part of vigild\n", program);
    return r;
  }
  if (o.vrrp_only && o.check_only) {
    r.exit_code = 1;
    r.err = fmt::format("{}: -P/--vrrp and -C/--check exclude each other\n", program);
    return r;
  }
  if (!facility.empty()) {
    if (auto f = parse_log_facility(facility))
      o.log_facility = *f;
    else  // keepalived carries on with the default facility too
      o.warnings.push_back(fmt::format("Invalid log facility '{}', using daemon", facility));
  }
  if (!umask_text.empty()) {
    o.umask = parse_umask(umask_text);
    if (!o.umask) {
      r.exit_code = 1;
      r.err = fmt::format("{}: invalid umask '{}' (expected a number up to 0777)\n", program,
                          umask_text);
      return r;
    }
  }
  o.lb = lb == "ipvs" ? LbBackend::Ipvs : lb == "nft" ? LbBackend::Nft : LbBackend::Auto;
  if (snmp || !snmp_socket.empty())
    o.warnings.push_back("SNMP (-x/-A) is not supported by vigil; option ignored");
  if (app.count("-M"))
    o.warnings.push_back("-M/--core-dump-pattern is ignored: vigil does not change core_pattern");

  if (o.pid_file.empty())
    o.pid_file = invoked_as_keepalived ? "/run/keepalived.pid" : "/run/vigil/vigild.pid";
  if (invoked_as_keepalived) {
    if (o.vrrp_pid_file.empty()) o.vrrp_pid_file = "/run/vrrp.pid";
    if (o.checkers_pid_file.empty()) o.checkers_pid_file = "/run/checkers.pid";
  } else {
    // Beside the main pid file, so two vigilds with their own -p never share worker files.
    const size_t slash = o.pid_file.find_last_of('/');
    const std::string dir =
        slash == std::string::npos ? std::string(".") : o.pid_file.substr(0, slash);
    if (o.vrrp_pid_file.empty()) o.vrrp_pid_file = dir + "/vrrp.pid";
    if (o.checkers_pid_file.empty()) o.checkers_pid_file = dir + "/checkers.pid";
  }
  return r;
}

}  // namespace vigil::daemon
