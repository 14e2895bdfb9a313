// From the configuration model to what the VRRP runtime's parts take: the state machine's
// FsmConfig, the wire settings, and rtnetlink address specs.
#pragma once

#include "conf/model.h"
#include "netlink/types.h"
#include "vrrp/fsm_types.h"
#include "vrrp/instance.h"

namespace vigil::vrrp {

// Everything but primary_address (known only once the interface is resolved).
FsmConfig fsm_config_from(const conf::VrrpInstance& ic);
InstanceWire instance_wire_from(const conf::VrrpInstance& ic);
netlink::AddressSpec address_spec_from(const conf::VirtualAddress& v, int ifindex);

}  // namespace vigil::vrrp
