// Value types for rtnetlink requests and answers: links, addresses, routes, rules.
// Independent of conf/ (layering): the vrrp module converts its config model into these.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/address.h"

namespace vigil::netlink {

// An Ethernet (EUI-48) address.
struct MacAddress {
  std::array<uint8_t, 6> bytes{};

  // "00:00:5e:00:01:0a" (also accepts '-' separators).
  static std::optional<MacAddress> parse(std::string_view text);
  static MacAddress broadcast() { return {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}; }
  std::string to_string() const;
  auto operator<=>(const MacAddress&) const = default;
};

struct LinkInfo {
  int ifindex = 0;
  std::string name;
  unsigned flags = 0;             // IFF_*
  uint8_t oper_state = 0;         // IF_OPER_*
  std::optional<MacAddress> mac;  // absent for links without an Ethernet address (lo has one)
  int parent_ifindex = 0;         // IFLA_LINK (macvlan/veth peer), 0 when none
  std::string kind;               // IFLA_INFO_KIND ("macvlan", "veth", ...), empty when none
  uint32_t mtu = 0;

  // Administratively up and the driver reports carrier: what VRRP tracking needs.
  bool is_up() const;
};

enum class Scope : uint8_t {  // values are RT_SCOPE_*
  Universe = 0,
  Site = 200,
  Link = 253,
  Host = 254,
  Nowhere = 255,
};

// One address to add or delete, `ip addr add PREFIX [brd B] [scope S] [label L] dev IF`.
struct AddressSpec {
  int ifindex = 0;
  IpPrefix prefix;
  std::optional<IpAddress> broadcast;  // IPv4 only
  std::optional<IpPrefix> peer;        // point-to-point peer (IFA_ADDRESS)
  Scope scope = Scope::Universe;
  std::optional<std::string> label;  // IPv4 only; must start with the interface name
  bool nodad = false;                // IFA_F_NODAD (keepalived sets it for IPv6 VIPs)
  bool noprefixroute = false;
  bool home = false;  // IFA_F_HOMEADDRESS
  bool mngtmpaddr = false;
  // Seconds; nullopt: forever. keepalived uses 0 for IPv6 /128 VIPs (never a source address).
  std::optional<uint32_t> preferred_lft;
};

// An address as dumped from the kernel.
struct AddressInfo {
  int ifindex = 0;
  IpPrefix prefix;  // IFA_LOCAL (or IFA_ADDRESS when no local)
  std::optional<IpAddress> broadcast;
  Scope scope = Scope::Universe;
  std::string label;
  uint32_t flags = 0;  // IFA_F_*
};

enum class RouteType : uint8_t {  // values are RTN_*
  Unicast = 1,
  Local = 2,
  Broadcast = 3,
  Anycast = 4,
  Multicast = 5,
  Blackhole = 6,
  Unreachable = 7,
  Prohibit = 8,
  Throw = 9,
};

// `ip route add [TYPE] DST [via GW] [dev IF] [src S] [metric M] [table T] [scope S]`.
struct RouteSpec {
  RouteType type = RouteType::Unicast;
  IpPrefix destination;
  std::optional<IpAddress> via;
  int ifindex = 0;               // 0: none (blackhole, or via-only)
  std::optional<IpAddress> src;  // preferred source
  std::optional<uint32_t> metric;
  uint32_t table = 254;        // RT_TABLE_MAIN
  std::optional<Scope> scope;  // nullopt: link when no gateway, else universe
  uint8_t protocol = 4;        // RTPROT_STATIC, as ip(8) uses by default for 'add'
  bool onlink = false;
};

enum class RuleAction : uint8_t {  // values are FR_ACT_*
  ToTable = 1,
  Goto = 2,
  Nop = 3,
  Blackhole = 6,
  Unreachable = 7,
  Prohibit = 8,
};

// `ip rule add [not] [from P] [to P] [fwmark M[/MASK]] [iif I] [oif O] [priority N] table T`.
struct RuleSpec {
  Family family = Family::V4;
  bool invert = false;
  std::optional<IpPrefix> from;
  std::optional<IpPrefix> to;
  RuleAction action = RuleAction::ToTable;
  uint32_t table = 0;                   // ToTable
  std::optional<uint32_t> goto_target;  // Goto
  std::optional<uint32_t> priority;
  std::optional<uint32_t> fwmark;
  std::optional<uint32_t> fwmask;
  std::optional<std::string> iif;
  std::optional<std::string> oif;
  std::optional<uint8_t> tos;
};

}  // namespace vigil::netlink
