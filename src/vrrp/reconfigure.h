// Reload without flapping: what changed between the running configuration and a new one, as a
// pure function of the two. The Router (router.h) applies the result in place.
//
// vrrp_instance (matched by name):
//   Unchanged  every setting equal: state, timers and addresses are kept untouched.
//   InPlace    only settings that a running virtual router can take without leaving:
//              priority, advert_int, state (initial), nopreempt, preempt_delay,
//              higher_prio_send_advert, lower_prio_no_advert, down_timer_adverts, notify
//              scripts, smtp_alert, tracking lists and weights, garp_* settings,
//              virtual_ipaddress / virtual_ipaddress_excluded (only the difference is added
//              or removed), accept, skip_check_adv_addr, strict_mode, debug, sync_group.
//   Restart    anything else: what identifies the virtual router on the wire or binds it to
//              a socket (interface, VRID, version, family, authentication, source address,
//              multicast group, unicast peers and TTL, unicast source checks, VMAC/ipvlan,
//              dont_track_primary, ...) and what vigil cannot yet re-apply in place
//              (virtual_routes, virtual_rules). The instance leaves as on shutdown and starts
//              again. Any setting not named above counts as Restart, so a new model field is
//              safe by default.
//   Removed / Added.
// vrrp_script and track_file (by name): Unchanged ones keep running with their rise/fall
// state and value; a changed definition is Restart (fresh state); Removed / Added.
// vrrp_sync_group (by name): Unchanged, InPlace (membership or settings changed; groups are
// rebuilt, members keep running), Removed, Added.
// Settings are compared with the model's operator== (conf/model_vrrp.h), under which source
// locations and what was written before defaults were resolved always compare equal: moving a
// block or adding comments changes nothing. Only a differing instance has its settings named
// and classified, field by field (reconfigure.cpp), so an unchanged reload stays cheap.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "conf/model.h"

namespace vigil::vrrp {

enum class Change : uint8_t { Unchanged, InPlace, Restart, Removed, Added };
std::string_view to_string(Change c);

struct ItemDiff {
  std::string name;
  Change change = Change::Unchanged;
  // The instance settings that differ (named as in the model's JSON), for logs; empty unless
  // an instance changed.
  std::vector<std::string> fields;
};

// Which virtual addresses of one list leave and which arrive, by index into the old and the
// new list. An address whose attributes changed (label, scope, dev, ...) leaves and arrives.
struct AddressDelta {
  std::vector<size_t> removed;  // indexes into the old list
  std::vector<size_t> added;    // indexes into the new list
  bool empty() const { return removed.empty() && added.empty(); }
};

AddressDelta address_delta(const std::vector<conf::VirtualAddress>& old_list,
                           const std::vector<conf::VirtualAddress>& new_list);

struct ConfigDiff {
  // Instances in new-config order, then the removed ones in old-config order; the same for
  // the other lists.
  std::vector<ItemDiff> instances;
  std::vector<ItemDiff> sync_groups;
  std::vector<ItemDiff> scripts;
  std::vector<ItemDiff> track_files;

  const ItemDiff* instance(std::string_view name) const;
  const ItemDiff* script(std::string_view name) const;
  const ItemDiff* track_file(std::string_view name) const;
  // Nothing at all differs for the VRRP side.
  bool empty() const;
  // "3 unchanged, 1 changed in place, 0 restarted, 1 removed, 0 added" for the log.
  std::string summary() const;
};

ConfigDiff diff_configs(const conf::Config& old_config, const conf::Config& new_config);

// The interface an instance runs on (its own, else global default_interface) and where its
// adverts go (unicast peers, else its multicast group): both decide the socket it uses.
std::string effective_interface(const conf::Config& config, const conf::VrrpInstance& ic);
std::vector<IpAddress> advert_destinations(const conf::Config& config,
                                           const conf::VrrpInstance& ic);

}  // namespace vigil::vrrp
