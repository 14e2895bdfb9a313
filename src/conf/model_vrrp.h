// The VRRP part of the configuration: scripts and other tracked objects, sync groups, garp
// groups and instances. Every field holds the value the engine should use: where a keyword is
// absent, keepalived 2.2.7's default (or the matching global_defs value) has been filled in.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "conf/boxed.h"
#include "conf/model_common.h"

namespace vigil::conf {

// vrrp_script NAME { ... }
struct VrrpScript {
  std::string name;
  ScriptCommand script;
  Seconds interval{1};
  std::optional<Seconds> timeout;  // nullopt: the interval
  int32_t weight = 0;
  bool reverse = false;
  uint32_t rise = 1;
  uint32_t fall = 1;
  bool init_fail = false;
  SourceLoc loc;

  bool operator==(const VrrpScript&) const = default;
};

// track_file NAME { ... } (vrrp_track_file is the deprecated name)
struct VrrpTrackFile {
  std::string name;
  std::string file;
  int32_t weight = 1;
  bool reverse = false;
  bool init_file = false;
  int64_t init_value = 0;
  bool init_overwrite = false;
  SourceLoc loc;

  bool operator==(const VrrpTrackFile&) const = default;
};

enum class ParamMatch : uint8_t { None, Exact, Partial, Initial };

// vrrp_track_process NAME { ... }
struct VrrpTrackProcess {
  std::string name;
  std::vector<std::string> process;           // name, then parameters
  ParamMatch param_match = ParamMatch::None;  // Exact when parameters are given
  int32_t weight = 1;
  bool reverse = false;
  uint32_t quorum = 1;
  uint32_t quorum_max = UINT32_MAX;
  Micros fork_delay{0};
  Micros terminate_delay{0};
  bool full_command = false;
  SourceLoc loc;

  bool operator==(const VrrpTrackProcess&) const = default;
};

// The tracking lists shared by vrrp_instance and vrrp_sync_group.
struct Tracking {
  std::vector<TrackedInterface> interfaces;
  std::vector<TrackRef> scripts;
  std::vector<TrackRef> files;
  std::vector<TrackRef> processes;
  std::vector<TrackRef> bfds;

  bool operator==(const Tracking&) const = default;
};

// The notify scripts shared by vrrp_instance and vrrp_sync_group.
struct Notifies {
  ScriptCommand master;
  ScriptCommand backup;
  ScriptCommand fault;
  ScriptCommand stop;
  bool deleted = false;  // send DELETED instead of FAULT when removed on reload
  ScriptCommand deleted_script;
  ScriptCommand any;                  // `notify`
  ScriptCommand master_rx_lower_pri;  // instances only
  bool priority_changes = false;
  std::optional<bool> smtp_alert;  // resolved in instances; groups keep nullopt if unset

  bool operator==(const Notifies&) const = default;
};

struct VrrpSyncGroup {
  std::string name;
  std::vector<TrackRef> members;
  Tracking tracking;
  Boxed<Notifies> notify;  // boxed: most groups and instances have no notify script
  bool global_tracking = false;
  bool sync_group_tracking_weight = false;
  SourceLoc loc;

  bool operator==(const VrrpSyncGroup&) const = default;
};

struct GarpGroup {
  Micros garp_interval{0};
  Micros gna_interval{0};
  std::vector<std::string> interfaces;
  SourceLoc loc;
};

enum class VrrpState : uint8_t { Backup, Master };
enum class AuthType : uint8_t { None, Pass, Ah };
enum class IpvlanMode : uint8_t { Bridge, Private, Vepa };
enum class OldChecksum : uint8_t { Off, On, Never };

struct UnicastPeer {
  IpAddress address;
  std::optional<uint8_t> min_ttl;
  std::optional<uint8_t> max_ttl;
  SourceLoc loc;

  bool operator==(const UnicastPeer&) const = default;
};

struct Vmac {
  std::optional<std::string> name;  // set at load when absent: <vmac_prefix>.<VRID>
  std::optional<std::string> mac;   // 5 or 6 octets as written

  bool operator==(const Vmac&) const = default;
};

struct Ipvlan {
  std::optional<std::string> name;
  std::optional<IpPrefix> address;
  IpvlanMode mode = IpvlanMode::Bridge;

  bool operator==(const Ipvlan&) const = default;
};

// vrrp_instance NAME { ... }
// Members are grouped by topic and, within a group, ordered so that the small ones share words:
// a generated configuration can hold 65,024 of these, and at 1,008 bytes or less an instance
// stays in malloc's small-request path (larger ones made each allocation consolidate the
// parser's freed memory first).
struct VrrpInstance {
  std::string name;
  std::optional<std::string> interface;
  std::optional<std::string> vrf;
  Micros advert_interval{1000000};
  uint8_t vrid = 0;  // required; validated 1-255
  uint8_t priority = 100;
  VrrpState initial_state = VrrpState::Backup;
  Family family = Family::V4;  // from the VIPs (or unicast/mcast addresses)
  int version = 2;             // global vrrp_version; 3 for IPv6 instances

  AuthType auth_type = AuthType::None;
  std::string auth_pass;  // PASS: at most 8 bytes used; AH: key

  std::vector<VirtualAddress> vips;
  std::vector<VirtualAddress> excluded_vips;
  std::vector<Route> routes;
  std::vector<Rule> rules;

  std::optional<Vmac> vmac;
  Boxed<std::optional<Ipvlan>> ipvlan;  // boxed: rarely used
  bool promote_secondaries = false;
  bool use_vmac_addr = false;
  bool vmac_xmit_base = false;
  bool native_ipv6 = false;
  bool dont_track_primary = false;
  bool linkbeat_use_polling = false;

  Tracking tracking;

  std::optional<IpAddress> src_ip;        // mcast_src_ip / unicast_src_ip
  std::optional<IpAddress> mcast_dst_ip;  // default vrrp_mcast_group4/6
  bool track_src_ip = false;
  bool unicast_fault_no_peer = false;
  uint8_t unicast_ttl = 255;
  bool check_unicast_src = false;  // default global vrrp_check_unicast_src
  OldChecksum old_unicast_checksum = OldChecksum::Off;
  std::vector<UnicastPeer> unicast_peers;

  // GARP / NA (defaults from global_defs).
  Seconds garp_master_delay{5};
  Seconds garp_lower_prio_delay{5};
  Seconds garp_master_refresh{0};
  Seconds garp_extra_if{0};
  uint32_t garp_master_repeat = 5;
  uint32_t garp_lower_prio_repeat = 5;
  uint32_t garp_master_refresh_repeat = 1;
  bool garp_extra_if_all = false;

  bool lower_prio_no_advert = false;
  bool higher_prio_send_advert = false;
  bool accept = true;  // accept mode; no_accept clears it (vrrp_strict default: prio 255 only)
  uint32_t down_timer_adverts = 3;
  bool nopreempt = false;
  bool skip_check_adv_addr = false;
  bool strict_mode = false;
  bool smtp_alert = false;
  int debug = 0;
  Micros preempt_delay{0};

  Boxed<Notifies> notify;  // boxed: 1.1 KB inline, and most instances set none
  std::optional<uint32_t> kernel_rx_buf_size;
  std::optional<std::string> lvs_sync_daemon_interface;  // deprecated; see global lvs_sync_daemon
  std::optional<std::string> sync_group;  // name of the sync group this instance belongs to

  SourceLoc loc;
  // Where some values were written, for cross-checks after parsing.
  SourceLoc vrid_loc, priority_loc, advert_int_loc, state_loc, auth_pass_loc;
  double advert_int_seconds = 1.0;  // as written; checked against the version after parsing
  // Values written in this instance's block, before defaults from global_defs were applied.
  // The engine uses the plain fields above; these only drive default resolution.
  struct Given {
    std::optional<Seconds> garp_master_delay;
    std::optional<Seconds> garp_lower_prio_delay;
    std::optional<Seconds> garp_master_refresh;
    std::optional<Seconds> garp_extra_if;
    std::optional<int> version;
    std::optional<uint32_t> garp_master_repeat;
    std::optional<uint32_t> garp_lower_prio_repeat;
    std::optional<uint32_t> garp_master_refresh_repeat;
    std::optional<uint32_t> down_timer_adverts;
    std::optional<bool> accept;
    std::optional<bool> strict_mode;
    std::optional<bool> skip_check_adv_addr;
    std::optional<bool> check_unicast_src;
    std::optional<bool> lower_prio_no_advert;
    std::optional<bool> higher_prio_send_advert;
    bool vrid = false;
    bool preempt_delay = false;
    // What was written only steered default resolution; the resolved fields above are what
    // runs, so `given` never makes two instances differ (reload diffs, vrrp/reconfigure.h).
    bool operator==(const Given&) const { return true; }
  } given;

  bool operator==(const VrrpInstance&) const = default;
};

}  // namespace vigil::conf
