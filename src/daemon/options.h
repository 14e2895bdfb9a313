// vigild's command line: keepalived's flags (keepalived 2.2.7 `--help`) plus vigil's own.
// parse_options() is pure (no I/O, no exit): it returns what to print and the exit code.
//
// Pid files: the supervisor parent writes the main one (-p), the VRRP and checker workers
// (daemon/supervisor.h) write -r and -c. Defaults are /run/vigil/vigild.pid, with the worker
// files vrrp.pid and checkers.pid beside the main one, so vigil can run beside a real
// keepalived; when invoked under the name "keepalived" (a drop-in symlink) the defaults are
// keepalived's: /run/keepalived.pid, /run/vrrp.pid and /run/checkers.pid. Explicit -p/-r/-c
// always win. -b is written by the parent (vigil has no BFD worker).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::daemon {

enum class LbBackend { Auto, Ipvs, Nft };

struct Options {
  std::string program_name = "vigild";
  std::string config_file = "/etc/keepalived/keepalived.conf";  // -f
  bool vrrp_only = false;                                       // -P
  bool check_only = false;                                      // -C
  bool no_bfd = false;                                          // -B
  bool all_children = false;                                    // --all
  bool log_console = false;                                     // -l
  bool log_detail = false;                                      // -D
  int log_facility = -1;                                        // -S (syslog.h value; <0 daemon)
  bool no_syslog = false;                                       // -G
  std::string log_file;                                         // -g
  std::string log_level = "info";                               // --log-level (vigil)
  std::optional<mode_t> umask;                                  // -u
  bool release_vips = false;                                    // -X
  bool dont_release_vrrp = false;                               // -V
  bool dont_release_ipvs = false;                               // -I
  bool dont_respawn = false;                                    // -R
  bool dont_fork = false;                                       // -n
  bool dump_conf = false;                                       // -d
  bool dump_conf_json = false;                                  // --dump-conf-json (vigil)
  std::string pid_file;                                         // -p
  std::string vrrp_pid_file;                                    // -r ("" = not written)
  std::string checkers_pid_file;                                // -c
  std::string bfd_pid_file;                                     // -b
  bool address_monitoring = false;                              // -a
  std::string network_namespace;                                // -s
  bool core_dump = false;                                       // -m
  bool all_config = false;                                      // -e
  std::optional<std::string> config_id;                         // -i
  bool config_test = false;                                     // -t
  std::string config_test_log_file;                             // -t=FILE
  LbBackend lb = LbBackend::Auto;                               // --lb (vigil)
  std::string control_socket;     // --control-socket (vigil); "" = vigil_control_socket or default
  std::string dump_dir = "/tmp";  // --dump-dir (vigil): where SIGUSR1/SIGUSR2/JSON dumps go
  // Internal (not in --help): "vrrp" or "check" when this process is a worker the supervisor
  // started (daemon/supervisor.h); empty in the parent.
  std::string worker;
  // Undocumented, for tests and benchmarks: VRRP and checkers in this one process, no workers.
  bool single_process = false;
  // Undocumented, for tests: the first restart back-off of a dead worker in milliseconds
  // (default 500), long enough to watch what happens while a worker is down.
  std::optional<unsigned> restart_delay_ms;
  // Messages about accepted-but-ignored flags (-x, -A, -M, ...), for the log.
  std::vector<std::string> warnings;
};

struct ParseResult {
  // When set, the program prints `out`/`err` and exits with this code (help, version,
  // --signum, bad usage). Otherwise `options` describes the run.
  std::optional<int> exit_code;
  bool version_requested = false;  // -v: `out` holds version_text(program) without features
  std::string out;
  std::string err;
  Options options;
};

// args[0] is the program name (its basename selects the pid file defaults, see above).
ParseResult parse_options(const std::vector<std::string>& args);

// "vigild 0.1.0 (...)\n", plus "features: <features>\n" when `features` is not empty.
std::string version_text(std::string_view program_name, std::string_view features = {});

}  // namespace vigil::daemon
