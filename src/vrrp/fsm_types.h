// Value types of the VRRP state machine (fsm.h): configuration, events and the actions the
// caller must carry out. Kept apart so that instance/sync-group code can use them without
// pulling in the machine itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "base/address.h"
#include "base/time.h"

namespace vigil::vrrp {

enum class State : uint8_t { Initialize, Backup, Master, Fault, Stop };

// "INIT", "BACKUP", "MASTER", "FAULT", "STOP": the spelling keepalived's notify scripts use.
std::string_view to_string(State s);

// Protocol version as the state machine sees it: only the timer arithmetic differs.
// (The packet codec may define its own enum; convert at the instance layer.)
enum class FsmVersion : uint8_t { V2 = 2, V3 = 3 };

inline constexpr uint8_t kPriorityStop = 0;     // "the master is leaving"
inline constexpr uint8_t kPriorityOwner = 255;  // the address owner

struct FsmConfig {
  uint8_t vrid = 1;
  FsmVersion version = FsmVersion::V2;
  // Configured (base) priority 1..255. The effective priority starts here and moves with
  // PriorityChanged events (track scripts etc., see priority.h).
  uint8_t priority = 100;
  // Our own Advertisement_Interval (advert_int).
  Micros advert_interval = Micros(1'000'000);
  // keepalived "state MASTER". With priority 255 the instance becomes Master at once;
  // otherwise it only disables nopreempt and preempt_delay (keepalived clears both for an
  // initial state of MASTER, which the man page documents as "the initial state must not be
  // MASTER" for them to work).
  bool start_as_master = false;
  bool preempt = true;  // false = nopreempt
  // keepalived preempt_delay: from the first advert of a lower-priority master, keep
  // accepting that master's adverts for this long before preempting (so the take-over comes
  // about preempt_delay + Master_Down_Interval after it was first heard). With no master at
  // all it does not delay anything (keepalived 2.2.7 behaves so). Zero disables it.
  Micros preempt_delay = Micros(0);
  // keepalived higher_prio_send_advert: a Master that hears a better master sends one advert
  // of its own before stepping down (so the peer repeats its gratuitous ARPs).
  bool higher_prio_send_advert = false;
  // keepalived lower_prio_no_advert: a Master that hears a worse advert discards it silently
  // instead of answering at once with its own advert (the answer is RFC 9568 behaviour and
  // keepalived's default).
  bool lower_prio_no_advert = false;
  // keepalived down_timer_adverts: Master_Down_Interval is this many advert intervals plus
  // Skew_Time. 3 per the RFCs.
  uint8_t down_timer_adverts = 3;
  // Our primary address on the interface (the source of our adverts): the tie-break for
  // equal priorities compares it with the packet's source address.
  IpAddress primary_address;
};

namespace event {
struct Start {};
// Stop the instance (daemon shutdown or instance removed on reload).
struct Shutdown {};
// A validated advert for this VRID (the caller has checked TTL, auth, checksum, VRID,
// addresses); the state machine only needs these fields.
struct AdvertReceived {
  uint8_t priority = 0;
  // Max Adver Int from the packet (v3: centiseconds converted; v2: seconds converted).
  Micros interval = Micros(1'000'000);
  IpAddress source;
};
// The deadline returned by next_deadline() has passed. Calling it early is harmless.
struct TimerExpired {};
// The instance must be down (interface down, weight-0 tracked item failed, sync group fault).
struct FaultOn {};
struct FaultOff {};
// The effective priority moved (tracked items changed; see priority.h).
struct PriorityChanged {
  uint8_t effective = 0;
};
// A sync group moves this member along with another (see sync_group_logic.h).
struct ForceMaster {};
struct ForceBackup {};
}  // namespace event

using Event = std::variant<event::Start, event::Shutdown, event::AdvertReceived,
                           event::TimerExpired, event::FaultOn, event::FaultOff,
                           event::PriorityChanged, event::ForceMaster, event::ForceBackup>;

// What the caller must do, in this order: send the advert, remove the addresses, add the
// addresses, send gratuitous ARP / unsolicited NA, then run notifies for the transition.
struct Actions {
  bool send_advert = false;
  uint8_t advert_priority = 0;  // priority field of that advert (0 when leaving)
  bool remove_addresses = false;
  bool add_addresses = false;
  bool send_garp = false;
  // A Master heard a lower-priority advert (keepalived notify_master_rx_lower_pri,
  // garp_lower_prio_repeat).
  bool master_rx_lower_priority = false;
  // The new state when the state changed (run notify scripts for it).
  std::optional<State> transition;
  // Why, in a few words, for logs and status. Empty when nothing happened.
  std::string reason;

  bool empty() const {
    return !send_advert && !remove_addresses && !add_addresses && !send_garp &&
           !master_rx_lower_priority && !transition;
  }
};

}  // namespace vigil::vrrp
