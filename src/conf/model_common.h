// Value types shared by several configuration sections: scripts to run, references to tracked
// objects, and the address / route / rule lines of static_* and virtual_* blocks.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/address.h"
#include "conf/source.h"

namespace vigil::conf {

using Seconds = std::chrono::seconds;
using Micros = std::chrono::microseconds;

// A program keepalived runs (notify_*, vrrp_script, startup_script ...). `argv` is the command
// split like keepalived does: unquoted spaces separate words, quotes group them.
struct ScriptCommand {
  std::string command;            // the text as written (quotes removed)
  std::vector<std::string> argv;  // command split into words
  std::optional<std::string> user;
  std::optional<std::string> group;
  SourceLoc loc;
  bool empty() const { return argv.empty(); }

  bool operator==(const ScriptCommand&) const = default;
};

// A FIFO that receives notify events, optionally with a script reading it.
struct NotifyFifo {
  std::string path;
  std::optional<std::string> user;
  std::optional<std::string> group;
  ScriptCommand script;  // *_fifo_script; empty when absent
};

// A name that refers to another configuration object (track_script NAME weight -10 ...).
struct TrackRef {
  std::string name;
  std::optional<int32_t> weight;  // nullopt: use the tracked object's own weight
  bool reverse = false;
  SourceLoc loc;  // where the reference was written, for "unknown name" errors

  bool operator==(const TrackRef&) const = default;
};

struct TrackedInterface {
  std::string name;
  int32_t weight = 0;  // 0: interface down means FAULT
  bool reverse = false;
  SourceLoc loc;

  bool operator==(const TrackedInterface&) const = default;
};

enum class AddressScope : uint8_t { Global, Site, Link, Host, Nowhere };

// One line of virtual_ipaddress / virtual_ipaddress_excluded / static_ipaddress.
struct VirtualAddress {
  IpPrefix address;
  enum class Broadcast : uint8_t { None, Address, SetHostBits, ClearHostBits };
  Broadcast broadcast = Broadcast::None;
  std::optional<IpAddress> broadcast_address;
  std::optional<std::string> dev;  // nullopt: the instance's interface (or default_interface)
  bool use_vmac = false;
  AddressScope scope = AddressScope::Global;
  std::optional<std::string> label;
  std::optional<IpPrefix> peer;
  bool home = false;
  bool nodad = false;
  bool mngtmpaddr = false;
  bool noprefixroute = false;
  bool autojoin = false;
  bool no_track = false;
  // Seconds; UINT32_MAX means "forever". nullopt: kernel default (0 for IPv6 /128 VIPs).
  std::optional<uint32_t> preferred_lft;
  std::optional<std::string> track_group;  // static_ipaddress only
  SourceLoc loc;

  bool operator==(const VirtualAddress&) const = default;
};

enum class RouteType : uint8_t {
  Unicast,
  Local,
  Broadcast,
  Anycast,
  Multicast,
  Blackhole,
  Unreachable,
  Prohibit,
  Throw,
  Nat,
  Xresolve
};

struct RouteNextHop {
  std::optional<IpAddress> via;
  std::optional<std::string> dev;
  std::optional<uint32_t> weight;
  bool onlink = false;
  std::optional<std::string> realms;

  bool operator==(const RouteNextHop&) const = default;
};

// One line of virtual_routes / static_routes (the `ip route add` grammar).
struct Route {
  RouteType type = RouteType::Unicast;
  IpPrefix destination;
  std::optional<IpAddress> src;     // preferred source (`src`)
  std::optional<IpPrefix> from;     // source prefix (IPv6 `from`)
  std::optional<IpAddress> via;     // gateway (`via` or `gw`)
  std::optional<IpAddress> or_via;  // keepalived's `or` alternative gateway
  std::optional<std::string> dev;
  std::optional<AddressScope> scope;
  std::optional<uint32_t> table;
  std::optional<uint32_t> metric;  // `metric`, `priority` or `preference`
  std::optional<uint8_t> protocol;
  std::optional<uint8_t> tos;
  std::optional<std::string> realms;
  // Route metrics (mtu, hoplimit, advmss, rtt, rttvar, reordering, window, cwnd, ssthresh,
  // rto_min, initcwnd, initrwnd, quickack, fastopen_no_cookie, ...), with their lock flags.
  std::map<std::string, uint32_t> metrics;
  std::vector<std::string> locked_metrics;
  std::optional<std::string> congctl;
  bool congctl_lock = false;
  bool features_ecn = false;
  std::optional<uint8_t> pref;  // IPv6 router preference: 0 medium, 1 high, 3 low
  std::optional<std::string> vrf;
  std::vector<RouteNextHop> nexthops;
  bool onlink = false;
  bool append = false;
  bool inet6 = false;
  bool no_track = false;
  std::optional<std::string> track_group;
  SourceLoc loc;

  bool operator==(const Route&) const = default;
};

enum class RuleAction : uint8_t { ToTable, Goto, Nop, Blackhole, Unreachable, Prohibit };

// One line of virtual_rules / static_rules (the `ip rule add` grammar).
struct Rule {
  bool invert = false;  // `not`
  std::optional<IpPrefix> from;
  std::optional<IpPrefix> to;
  RuleAction action = RuleAction::ToTable;
  std::optional<uint32_t> table;
  std::optional<uint32_t> goto_target;
  std::optional<uint32_t> preference;
  std::optional<std::string> iif;
  std::optional<std::string> oif;
  std::optional<uint8_t> tos;
  std::optional<uint32_t> fwmark;
  std::optional<uint32_t> fwmask;
  std::optional<std::string> realms;
  std::optional<std::pair<uint32_t, uint32_t>> uidrange;
  bool l3mdev = false;
  std::optional<uint8_t> protocol;
  std::optional<uint8_t> ip_proto;
  std::optional<std::pair<uint16_t, uint16_t>> sport;
  std::optional<std::pair<uint16_t, uint16_t>> dport;
  std::optional<uint32_t> suppress_prefixlength;
  std::optional<uint32_t> suppress_ifgroup;
  bool inet6 = false;
  bool no_track = false;
  std::optional<std::string> track_group;
  SourceLoc loc;
  // Family of the rule: from/to decide; `inet6` forces IPv6 when neither is given.
  bool is_v6() const {
    if (from) return from->address.is_v6();
    if (to) return to->address.is_v6();
    return inet6;
  }

  bool operator==(const Rule&) const = default;
};

}  // namespace vigil::conf
