// The load balancer's desired state: the kernel-neutral list of virtual services and their
// destinations that a back end (IPVS, nftables) reconciles the kernel to. Value types only,
// comparable, so back ends diff the previous and the next state.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/address.h"
#include "conf/model_lvs.h"

namespace vigil::lb {

// IPVS service flag bits (include/uapi/linux/ip_vs.h); kept in the kernel's encoding so the
// IPVS back end passes them through and the nftables back end reads the ones it honours.
inline constexpr uint32_t kSvcPersistent = 0x0001;  // IP_VS_SVC_F_PERSISTENT
inline constexpr uint32_t kSvcOnePacket = 0x0004;   // IP_VS_SVC_F_ONEPACKET
inline constexpr uint32_t kSvcSched1 = 0x0008;      // sh-fallback / mh-fallback
inline constexpr uint32_t kSvcSched2 = 0x0010;      // sh-port / mh-port
inline constexpr uint32_t kSvcSched3 = 0x0020;

struct Destination {
  IpAddress address;
  uint16_t port = 0;  // host order; 0 for port-less destinations (fwmark services)
  uint32_t weight = 1;
  conf::LvsForwarding forwarding = conf::LvsForwarding::Nat;
  conf::TunnelType tunnel_type = conf::TunnelType::Ipip;
  uint16_t tunnel_port = 0;
  std::optional<conf::TunnelChecksum> tunnel_checksum;
  uint32_t upper_threshold = 0;  // uthreshold, 0 = none
  uint32_t lower_threshold = 0;  // lthreshold

  bool operator==(const Destination&) const = default;
};

// Identifies one kernel service: (family, protocol, address, port) or (family, fwmark).
struct ServiceKey {
  Family family = Family::V4;
  uint32_t fwmark = 0;  // non-zero: a fwmark service (protocol/address/port unused)
  conf::LvsProtocol protocol = conf::LvsProtocol::Tcp;
  IpAddress address;
  uint16_t port = 0;

  auto operator<=>(const ServiceKey&) const = default;
  // "TCP 203.0.113.10:80", "TCP [2001:db8::1]:80", "FWM 5 inet" for messages.
  std::string to_string() const;
};

struct Service {
  ServiceKey key;
  conf::LvsScheduler scheduler = conf::LvsScheduler::Wlc;
  uint32_t flags = 0;                    // kSvc* bits
  uint32_t persistence_timeout = 0;      // seconds; 0 = not persistent
  uint8_t persistence_granularity = 32;  // prefix length of the client address (IPVS netmask)
  std::string persistence_engine;        // e.g. "sip"; empty = none
  conf::LvsForwarding forwarding = conf::LvsForwarding::Nat;  // the virtual server's default
  std::vector<Destination> destinations;                      // ordered by (address, port)

  bool persistent() const { return persistence_timeout != 0; }
  bool operator==(const Service&) const = default;
};

struct DesiredState {
  std::vector<Service> services;  // ordered by key, keys unique

  const Service* find(const ServiceKey& key) const;
  bool operator==(const DesiredState&) const = default;
};

}  // namespace vigil::lb
