// Typed model of keepalived's LVS side: virtual_server_group, virtual_server, real_server,
// sorry_server, the SSL block and bfd_instance. Values are kept as written (std::optional for
// "not configured"); the effective_* helpers apply keepalived 2.2.7's defaults and the
// virtual server -> real server -> checker inheritance the man page describes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/address.h"
#include "base/time.h"
#include "conf/boxed.h"
#include "conf/model_checkers.h"
#include "conf/source.h"

namespace vigil::conf {

enum class LvsScheduler { Rr, Wrr, Lc, Wlc, Lblc, Sh, Mh, Dh, Fo, Ovf, Lblcr, Sed, Nq, Twos };
enum class LvsForwarding { Nat, Dr, Tun };
enum class TunnelType { Ipip, Gue, Gre };
enum class TunnelChecksum { NoCsum, Csum, RemCsum };
enum class LvsProtocol { Tcp, Udp, Sctp };

// lvs_method NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]
struct ForwardingMethod {
  LvsForwarding method = LvsForwarding::Nat;
  TunnelType tunnel_type = TunnelType::Ipip;
  uint16_t tunnel_port = 0;  // GUE only
  std::optional<TunnelChecksum> tunnel_checksum;
  SourceLoc loc;

  bool operator==(const ForwardingMethod&) const = default;
};

struct RealServer {
  IpAddress address;
  std::optional<uint16_t> port;                // may be omitted (e.g. fwmark services, DR)
  uint32_t weight = 1;                         // keepalived: 0-2147483647, default 1
  std::optional<ForwardingMethod> forwarding;  // defaults to the virtual server's
  // Boxed (conf/boxed.h): rarely written, 144 bytes each inline, and a configuration can
  // have tens of thousands of real servers (each byte of the model is a page fault to come on
  // every load and reload).
  Boxed<std::optional<LvsScript>> notify_up;
  Boxed<std::optional<LvsScript>> notify_down;
  std::optional<uint32_t> uthreshold;
  std::optional<uint32_t> lthreshold;
  std::optional<bool> smtp_alert;
  std::optional<std::string> virtualhost;
  std::optional<std::string> snmp_name;
  std::optional<bool> inhibit_on_failure;
  CheckTimingOptions timing;
  std::vector<HealthChecker> checkers;
  SourceLoc loc;

  bool operator==(const RealServer&) const = default;
};

struct SorryServer {
  IpAddress address;
  std::optional<uint16_t> port;
  SourceLoc loc;

  bool operator==(const SorryServer&) const = default;
};

// How the virtual service is addressed: "IP [PORT]", "fwmark N" or "group NAME".
enum class VirtualServerKind { Address, Fwmark, Group };

struct VirtualServer {
  VirtualServerKind kind = VirtualServerKind::Address;
  IpAddress address;             // kind Address
  std::optional<uint16_t> port;  // kind Address; may be omitted only for persistent services
  uint32_t fwmark = 0;           // kind Fwmark
  std::string group;             // kind Group

  std::optional<LvsScheduler> scheduler;       // lvs_sched / lb_algo; keepalived default wlc
  std::optional<ForwardingMethod> forwarding;  // lvs_method / lb_kind; keepalived default NAT
  bool flag_1 = false;                         // also sh-fallback / mh-fallback
  bool flag_2 = false;                         // also sh-port / mh-port
  bool flag_3 = false;
  bool ops = false;  // one-packet scheduling (UDP)
  std::optional<std::string> persistence_engine;
  std::optional<uint32_t> persistence_timeout;  // seconds; bare keyword means 360
  // -M netmask as a prefix length (written as a dotted IPv4 mask or a length).
  std::optional<uint8_t> persistence_granularity;
  // keepalived 2.2.7 defaults to UDP when unset; fwmark services have no protocol.
  std::optional<LvsProtocol> protocol;
  bool ha_suspend = false;
  std::optional<bool> smtp_alert;
  std::optional<std::string> virtualhost;
  std::optional<std::string> snmp_name;
  bool omega = false;
  uint32_t quorum = 1;
  uint32_t hysteresis = 0;
  std::optional<LvsScript> quorum_up;
  std::optional<LvsScript> quorum_down;
  std::optional<Family> ip_family;
  std::optional<SorryServer> sorry_server;
  bool sorry_server_inhibit = false;
  std::optional<ForwardingMethod> sorry_server_forwarding;
  std::optional<bool> inhibit_on_failure;
  CheckTimingOptions
      timing;  // alpha, connect_timeout, retry, delay_before_retry, warmup, delay_loop
  std::vector<RealServer> real_servers;
  SourceLoc loc;

  // "192.0.2.1:80", "[2001:db8::1]:80", "fwmark 5" or "group NAME", for messages.
  std::string label() const;

  bool operator==(const VirtualServer&) const = default;
};

// One line of a virtual_server_group: an address range with optional port, or a fwmark.
struct VirtualServerGroupEntry {
  bool is_fwmark = false;
  IpAddress first;  // range start (== last for a single address)
  IpAddress last;
  std::optional<uint16_t> port;
  uint32_t fwmark = 0;
  std::optional<Family> family;  // fwmark ... inet|inet6
  SourceLoc loc;

  bool operator==(const VirtualServerGroupEntry&) const = default;
};

struct VirtualServerGroup {
  std::string name;
  std::vector<VirtualServerGroupEntry> entries;
  SourceLoc loc;

  bool operator==(const VirtualServerGroup&) const = default;
};

// The top-level SSL block used by SSL_GET checkers.
struct SslConfig {
  std::optional<std::string> password;
  std::optional<std::string> ca;
  std::optional<std::string> certificate;
  std::optional<std::string> key;
  SourceLoc loc;

  bool operator==(const SslConfig&) const = default;
};

struct BfdInstance {
  std::string name;
  std::optional<IpAddress> neighbor_ip;  // required; validation reports its absence
  std::optional<IpAddress> source_ip;
  Micros min_rx{10'000};
  Micros min_tx{10'000};
  Micros idle_tx{1'000'000};
  uint8_t multiplier = 5;
  bool passive = false;
  uint8_t ttl = 255;
  uint8_t hoplimit = 64;
  int16_t max_hops = 0;  // -1..255; 255 disables hop checking
  int32_t weight = 0;    // -253..253
  bool reverse = false;
  bool notify_vrrp = true;  // both true unless `vrrp` or `checker` restricts them
  bool notify_checker = true;
  SourceLoc loc;

  bool operator==(const BfdInstance&) const = default;
};

struct LvsConfig {
  std::vector<VirtualServerGroup> groups;
  std::vector<VirtualServer> virtual_servers;
  std::vector<BfdInstance> bfd;
  std::optional<SslConfig> ssl;

  bool operator==(const LvsConfig&) const = default;
};

// keepalived 2.2.7 defaults.
inline constexpr Micros kDefaultDelayLoop{60'000'000};
inline constexpr Micros kDefaultConnectTimeout{5'000'000};
inline constexpr uint32_t kDefaultPersistenceTimeout = 360;

// The effective timing of one checker after inheritance and defaults.
struct CheckerTiming {
  bool alpha = false;
  Micros connect_timeout = kDefaultConnectTimeout;
  uint32_t retry = 1;
  Micros delay_before_retry{1'000'000};
  Micros warmup = kDefaultDelayLoop;  // random initial delay of at most this; 0 disables
  Micros delay_loop = kDefaultDelayLoop;
  bool log_all_failures = false;

  bool operator==(const CheckerTiming&) const = default;
};

// Checker setting, else real server's, else virtual server's, else keepalived's default for the
// checker kind (retry: DNS 3, MISC 0, others 1; delay_before_retry: DNS delay_loop, HTTP/SSL 3s,
// others 1s; warmup: delay_loop).
CheckerTiming resolve_checker_timing(const VirtualServer& vs, const RealServer& rs,
                                     const HealthChecker& c);

LvsScheduler effective_scheduler(const VirtualServer& vs);
ForwardingMethod effective_forwarding(const VirtualServer& vs, const RealServer& rs);
LvsProtocol effective_protocol(const VirtualServer& vs);
bool effective_inhibit_on_failure(const VirtualServer& vs, const RealServer& rs);

std::string_view to_string(LvsScheduler s);
std::string_view to_string(LvsForwarding f);
std::string_view to_string(LvsProtocol p);
std::string_view to_string(TunnelType t);
std::string_view to_string(TunnelChecksum c);
std::string_view to_string(HttpProtocol p);
std::string_view to_string(DnsQueryType t);

}  // namespace vigil::conf
