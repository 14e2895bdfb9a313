// global_defs and the root-level daemon settings (net_namespace, instance, ...), with
// keepalived 2.2.7's defaults for every keyword that is absent.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "conf/model_common.h"

namespace vigil::conf {

struct SmtpServer {
  std::string host;  // IP address or host name
  uint16_t port = 25;
};

struct LvsSyncDaemon {
  std::string interface;
  std::optional<std::string> vrrp_instance;
  std::optional<uint8_t> sync_id;  // nullopt: the VRID of vrrp_instance, else 0
  std::optional<uint16_t> maxlen;
  std::optional<uint16_t> port;  // kernel default 8848
  std::optional<uint8_t> ttl;
  std::optional<IpAddress> group;  // kernel default 224.0.0.81
  SourceLoc loc;
};

struct LvsTimeouts {
  std::optional<Seconds> tcp;
  std::optional<Seconds> tcpfin;
  std::optional<Seconds> udp;
};

enum class LvsFlushOnStop : uint8_t { No, All, VirtualServers };
enum class RxBufsPolicy : uint8_t { SystemDefault, Mtu, Advert, Size };

struct ProcessTuning {               // vrrp_* / checker_* / bfd_* process settings
  std::optional<int> nice_priority;  // *_priority -20..19
  bool no_swap = false;
  std::vector<int> cpu_affinity;
  std::optional<int> rt_priority;         // 1..99
  std::optional<uint32_t> rlimit_rttime;  // usecs, default 10000 when rt_priority set
  std::optional<std::string> process_name;
};

struct NetlinkBufs {
  std::optional<uint32_t> cmd_rcv_bufs;
  bool cmd_rcv_bufs_force = false;
  std::optional<uint32_t> monitor_rcv_bufs;
  bool monitor_rcv_bufs_force = false;
};

struct FirewallSettings {
  // nftables
  std::optional<std::string> nftables_table;  // set when `nftables` given ("keepalived")
  int nftables_priority = -1;
  bool nftables_counters = false;
  bool nftables_ifindex = false;
  std::optional<std::string> nftables_ipvs_table;
  int nftables_ipvs_priority = -1;
  uint32_t nftables_ipvs_start_fwmark = 1000;
  // iptables
  bool iptables = false;
  std::string iptables_in_chain = "INPUT";
  std::optional<std::string> iptables_out_chain;
  std::vector<std::string> ipsets;
};

struct GlobalDefs {
  // Root-level daemon facilities.
  std::optional<std::string> net_namespace;
  std::optional<std::string> net_namespace_ipvs;  // "" = default namespace
  bool namespace_with_ipsets = false;
  std::optional<std::string> instance;
  bool use_pid_dir = false;
  bool linkbeat_use_polling = false;
  Seconds child_wait_time{5};

  // Configuration handling.
  std::optional<std::string> tmp_config_directory;
  std::optional<std::string> config_save_dir;
  bool process_names = false;
  std::optional<std::string> process_name;
  std::optional<std::string> reload_check_config;  // "" = check without a log file
  std::optional<std::string> include_check;
  std::optional<std::string> reload_time_file;
  bool reload_repeat = false;
  std::optional<std::string> reload_file;  // "" = default file name
  bool data_use_instance = false;
  std::optional<uint32_t> random_seed;
  std::optional<uint32_t> umask;

  // Startup / shutdown scripts.
  ScriptCommand startup_script;
  Seconds startup_script_timeout{10};
  ScriptCommand shutdown_script;
  Seconds shutdown_script_timeout{10};

  // E-mail alerts.
  std::vector<std::string> notification_email;
  std::optional<std::string> notification_email_from;  // default keepalived@<hostname>
  std::optional<SmtpServer> smtp_server;
  std::optional<std::string> smtp_helo_name;
  Seconds smtp_connect_timeout{30};
  std::optional<bool> smtp_alert;
  std::optional<bool> smtp_alert_vrrp;
  std::optional<bool> smtp_alert_checker;
  bool checker_log_all_failures = false;
  bool no_email_faults = false;
  bool no_checker_emails = false;
  bool rs_init_notifies = false;

  std::optional<std::string> router_id;  // default: local host name

  // VRRP defaults.
  IpAddress vrrp_mcast_group4 = *IpAddress::parse("224.0.0.18");
  IpAddress vrrp_mcast_group6 = *IpAddress::parse("ff02::12");
  std::string default_interface = "eth0";
  Seconds vrrp_garp_master_delay{5};
  uint32_t vrrp_garp_master_repeat = 5;
  std::optional<Seconds> vrrp_garp_lower_prio_delay;    // default vrrp_garp_master_delay
  std::optional<uint32_t> vrrp_garp_lower_prio_repeat;  // default vrrp_garp_master_repeat
  Seconds vrrp_garp_master_refresh{0};
  uint32_t vrrp_garp_master_refresh_repeat = 1;
  Micros vrrp_garp_interval{0};
  Micros vrrp_gna_interval{0};
  bool vrrp_min_garp = false;
  bool vrrp_garp_extra_if_all = false;
  Seconds vrrp_garp_extra_if{0};
  uint32_t vrrp_down_timer_adverts = 3;
  std::optional<bool> vrrp_lower_prio_no_advert;  // default: off, on under vrrp_strict
  std::optional<bool> vrrp_higher_prio_send_advert;
  int vrrp_version = 2;
  bool vrrp_check_unicast_src = false;
  bool vrrp_skip_check_adv_addr = false;
  bool vrrp_strict = false;
  bool vrrp_notify_priority_changes = false;
  bool disable_local_igmp = false;
  FirewallSettings firewall;
  Micros vrrp_startup_delay{0};
  bool log_unknown_vrids = false;
  std::string vmac_prefix = "vrrp";
  std::optional<std::string> vmac_addr_prefix;  // default vmac_prefix
  RxBufsPolicy vrrp_rx_bufs_policy = RxBufsPolicy::SystemDefault;
  uint32_t vrrp_rx_bufs_size = 0;  // with RxBufsPolicy::Size
  uint32_t vrrp_rx_bufs_multiplier = 3;
  bool dynamic_interfaces = false;
  bool allow_if_changes = false;

  // LVS globals.
  std::optional<LvsSyncDaemon> lvs_sync_daemon;
  LvsTimeouts lvs_timeouts;
  bool lvs_flush = false;
  LvsFlushOnStop lvs_flush_on_stop = LvsFlushOnStop::No;

  // Process scheduling.
  std::optional<int> max_auto_priority;  // -1..99
  Micros min_auto_priority_delay{1000000};
  ProcessTuning vrrp_process;
  ProcessTuning checker_process;
  ProcessTuning bfd_process;

  // Netlink / process monitor buffers.
  NetlinkBufs vrrp_netlink;
  NetlinkBufs lvs_netlink;
  std::optional<uint32_t> process_monitor_rcv_bufs;
  bool process_monitor_rcv_bufs_force = false;

  // SNMP / DBus.
  std::optional<std::string> snmp_socket;
  bool enable_snmp_vrrp = false;
  bool enable_snmp_checker = false;
  bool enable_snmp_rfcv2 = false;
  bool enable_snmp_rfcv3 = false;
  bool enable_traps = false;
  bool enable_dbus = false;
  std::optional<std::string> dbus_service_name;

  // Scripts.
  std::optional<std::string> script_user;  // default keepalived_script if it exists
  std::optional<std::string> script_group;
  bool enable_script_security = false;
  std::optional<NotifyFifo> notify_fifo;
  std::optional<NotifyFifo> vrrp_notify_fifo;
  std::optional<NotifyFifo> lvs_notify_fifo;
  bool fifo_write_vrrp_states_on_reload = false;

  // vigil extensions.
  std::optional<std::string> vigil_metrics_listen;  // "ADDR:PORT"
  std::optional<IpAddress> vigil_metrics_address;
  uint16_t vigil_metrics_port = 0;
  std::optional<std::string> vigil_control_socket;
};

// linkbeat_interfaces { IF [MII|ETHTOOL|IOCTL] }
enum class LinkbeatType : uint8_t { Default, Mii, Ethtool, Ioctl };
struct LinkbeatInterface {
  std::string name;
  LinkbeatType type = LinkbeatType::Default;
};

// interface_up_down_delays { IF DOWN [UP] }
struct InterfaceDelay {
  std::string name;
  Micros down_delay{0};
  Micros up_delay{0};
};

// track_group NAME { group { VI_1 ... } }
struct TrackGroup {
  std::string name;
  std::vector<TrackRef> instances;
  SourceLoc loc;
};

struct StaticConfig {
  std::vector<VirtualAddress> addresses;
  std::vector<Route> routes;
  std::vector<Rule> rules;
};

}  // namespace vigil::conf
