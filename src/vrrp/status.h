// A snapshot of the VRRP runtime for operators: plain values copied out of the Router, so the
// control socket, /metrics and the signal dumps render the same facts without reaching into
// the runtime's internals (and without holding references across loop turns).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/address.h"
#include "base/time.h"
#include "vrrp/fsm_types.h"
#include "vrrp/instance.h"

namespace vigil::vrrp {

using WallTime = std::chrono::system_clock::time_point;

struct TransitionStatus {
  State from = State::Initialize;
  State to = State::Initialize;
  WallTime when{};  // wall clock, converted from the monotonic time of the transition
  std::string why;
};

struct InstanceStatus {
  std::string name;
  std::string interface;
  uint8_t vrid = 0;
  int version = 2;
  Family family = Family::V4;
  State state = State::Initialize;
  uint8_t base_priority = 0;       // configured
  uint8_t effective_priority = 0;  // after tracked items and the maintenance offset
  int priority_offset = 0;         // set through the control socket (0: none)
  // The master as this router sees it: itself when Master, the source of the adverts it
  // accepts when Backup; unset before any master was heard.
  std::optional<IpAddress> master_address;
  uint8_t master_priority = 0;
  std::optional<IpAddress> primary_address;  // our advert source
  Micros advert_interval{0};                 // our own advert_int
  Micros master_advert_interval{0};          // in use for the down timer (v3: learnt)
  Micros master_down_interval{0};
  std::vector<std::string> addresses;  // configured VIPs (and excluded ones), "ADDR/LEN"
  bool addresses_held = false;         // currently set on the interface
  std::string fault_reason;            // empty unless Fault
  std::optional<std::string> sync_group;
  InstanceCounters counters;
  std::optional<TransitionStatus> last_transition;
};

struct SyncGroupStatus {
  std::string name;
  std::vector<std::string> members;
  // The members' common state, or Initialize while they disagree (mid-transition).
  State state = State::Initialize;
};

struct RouterStatus {
  std::vector<InstanceStatus> instances;
  std::vector<SyncGroupStatus> sync_groups;
  // Adverts received for a VRID that no instance on the receiving interface has (RFC 6527
  // vrrpv3RouterVrIdErrors; keepalived drops these without counting them).
  uint64_t vrid_errors = 0;
};

// Wall clock of a monotonic instant, given a pair of clocks read at the same moment.
inline WallTime wall_time_of(MonoTime at, MonoTime mono_now, WallTime wall_now) {
  return wall_now - std::chrono::duration_cast<WallTime::duration>(mono_now - at);
}

}  // namespace vigil::vrrp
