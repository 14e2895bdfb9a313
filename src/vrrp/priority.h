// Effective priority of a VRRP instance from its configured priority and tracked items
// (track_interface, track_script, track_file, track_process, track_bfd), following the
// rules keepalived documents in keepalived.conf(5):
//   - weight 0: the item failing puts the instance into FAULT ("weight 0 reverse": the item
//     being up does);
//   - positive weight: added while the item is up; negative weight: added (so subtracted)
//     while it is down; "reverse" flips the direction of the adjustment;
//   - track_file: the number in the file times the weight is added; with weight 0 a non-zero
//     value is a failure; a product below -253 is a failure;
//   - the result is limited to [1, 254]; an address owner (configured 255) keeps 255 whatever
//     the weights (keepalived requires weight 0 there; the config layer should warn).
// Pure: the caller keeps the item statuses and recomputes on every change.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace vigil::vrrp {

enum class TrackKind : uint8_t { Interface, Script, File, Process, Bfd };

struct TrackedItem {
  TrackKind kind = TrackKind::Script;
  std::string name;  // for fault reasons in logs/status
  int32_t weight = 0;
  bool reverse = false;
  bool up = true;     // Interface, Script, Process, Bfd: current status
  int64_t value = 0;  // File: the number read from the file
};

struct PriorityResult {
  uint8_t effective = 0;
  bool fault = false;
  // Names of the items that force the fault, in input order.
  std::vector<std::string> fault_items;

  bool operator==(const PriorityResult&) const = default;
};

inline constexpr int kMinEffectivePriority = 1;
inline constexpr int kMaxEffectivePriority = 254;
// A track_file product below this puts the instance into FAULT.
inline constexpr int64_t kFileFaultBelow = -253;

// What one item contributes: its priority adjustment, and whether it forces FAULT.
struct ItemEffect {
  int64_t adjustment = 0;
  bool fault = false;
  bool operator==(const ItemEffect&) const = default;
};
ItemEffect item_effect(const TrackedItem& item);

PriorityResult compute_priority(uint8_t base_priority, std::span<const TrackedItem> items);

}  // namespace vigil::vrrp
