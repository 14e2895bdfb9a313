#include "vrrp/conf_convert.h"

namespace vigil::vrrp {

FsmConfig fsm_config_from(const conf::VrrpInstance& ic) {
  FsmConfig c;
  c.vrid = ic.vrid;
  c.version = ic.version == 3 ? FsmVersion::V3 : FsmVersion::V2;
  c.priority = ic.priority;
  c.advert_interval = ic.advert_interval;
  c.start_as_master = ic.initial_state == conf::VrrpState::Master;
  c.preempt = !ic.nopreempt;
  c.preempt_delay = ic.preempt_delay;
  c.higher_prio_send_advert = ic.higher_prio_send_advert;
  c.lower_prio_no_advert = ic.lower_prio_no_advert;
  c.down_timer_adverts = static_cast<uint8_t>(ic.down_timer_adverts);
  return c;
}

InstanceWire instance_wire_from(const conf::VrrpInstance& ic) {
  InstanceWire w;
  w.family = ic.family;
  w.version = ic.version == 3 ? Version::V3 : Version::V2;
  switch (ic.auth_type) {
    case conf::AuthType::None:
      w.auth = AuthType::None;
      break;
    case conf::AuthType::Pass:
      w.auth = AuthType::Pass;
      break;
    case conf::AuthType::Ah:
      w.auth = AuthType::Ah;
      break;
  }
  if (w.version == Version::V3) w.auth = AuthType::None;  // v3 has no authentication
  w.auth_pass = ic.auth_pass;
  w.strict = ic.strict_mode;
  w.unicast = !ic.unicast_peers.empty();
  for (const auto& v : ic.vips)
    if (v.address.address.family() == ic.family) w.advert_addresses.push_back(v.address.address);
  return w;
}

netlink::AddressSpec address_spec_from(const conf::VirtualAddress& v, int ifindex) {
  netlink::AddressSpec s;
  s.ifindex = ifindex;
  s.prefix = v.address;
  if (v.address.address.is_v4()) {
    switch (v.broadcast) {
      case conf::VirtualAddress::Broadcast::Address:
        s.broadcast = v.broadcast_address;
        break;
      case conf::VirtualAddress::Broadcast::SetHostBits: {
        // `brd +`: the network address with all host bits set.
        uint32_t host = v.address.length >= 32 ? 0 : (0xffffffffu >> v.address.length);
        s.broadcast = IpAddress::v4_from_host(v.address.network().v4_host_order() | host);
        break;
      }
      case conf::VirtualAddress::Broadcast::ClearHostBits:
        s.broadcast = v.address.network();
        break;
      case conf::VirtualAddress::Broadcast::None:
        break;
    }
  }
  switch (v.scope) {
    case conf::AddressScope::Global:
      s.scope = netlink::Scope::Universe;
      break;
    case conf::AddressScope::Site:
      s.scope = netlink::Scope::Site;
      break;
    case conf::AddressScope::Link:
      s.scope = netlink::Scope::Link;
      break;
    case conf::AddressScope::Host:
      s.scope = netlink::Scope::Host;
      break;
    case conf::AddressScope::Nowhere:
      s.scope = netlink::Scope::Nowhere;
      break;
  }
  s.label = v.label;
  s.peer = v.peer;
  // keepalived adds IPv6 VIPs without duplicate address detection, so they are usable at once.
  s.nodad = v.nodad || v.address.address.is_v6();
  s.noprefixroute = v.noprefixroute;
  s.home = v.home;
  s.mngtmpaddr = v.mngtmpaddr;
  s.preferred_lft = v.preferred_lft;
  return s;
}

}  // namespace vigil::vrrp
