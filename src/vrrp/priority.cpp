#include "vrrp/priority.h"

#include <algorithm>

namespace vigil::vrrp {

namespace {

// Product of a file value and a weight, kept within +-2^31 so that absurd file contents cannot
// overflow the sum (anything that large is far outside [-253, 253] anyway).
int64_t bounded_product(int64_t value, int32_t weight) {
  constexpr int64_t kLimit = int64_t{1} << 31;
  return std::clamp(std::clamp(value, -kLimit, kLimit) * weight, -kLimit, kLimit);
}

}  // namespace

ItemEffect item_effect(const TrackedItem& item) {
  ItemEffect e;
  if (item.kind == TrackKind::File) {
    if (item.weight == 0) {
      e.fault = item.reverse ? item.value == 0 : item.value != 0;
      return e;
    }
    int64_t product = bounded_product(item.value, item.weight);
    if (item.reverse) product = -product;
    if (product < kFileFaultBelow)
      e.fault = true;
    else
      e.adjustment = product;
    return e;
  }
  if (item.weight == 0) {
    e.fault = item.reverse ? item.up : !item.up;
    return e;
  }
  const bool applies = item.weight > 0 ? item.up : !item.up;
  if (applies) e.adjustment = item.reverse ? -int64_t{item.weight} : int64_t{item.weight};
  return e;
}

PriorityResult compute_priority(uint8_t base_priority, std::span<const TrackedItem> items) {
  PriorityResult r;
  int64_t sum = 0;
  for (const TrackedItem& item : items) {
    const ItemEffect e = item_effect(item);
    if (e.fault) {
      r.fault = true;
      r.fault_items.push_back(item.name);
    }
    sum += e.adjustment;
  }
  if (base_priority == 255) {
    r.effective = 255;  // the address owner's priority is never moved by tracking
    return r;
  }
  const int64_t p = std::clamp<int64_t>(int64_t{base_priority} + sum, kMinEffectivePriority,
                                        kMaxEffectivePriority);
  r.effective = static_cast<uint8_t>(p);
  return r;
}

}  // namespace vigil::vrrp
