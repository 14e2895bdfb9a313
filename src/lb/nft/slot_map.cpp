#include "lb/nft/slot_map.h"

#include <algorithm>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace vigil::lb::nft {
namespace {

uint32_t slot_pow2_at_least(uint64_t x) {
  uint64_t p = 64;
  while (p < x && p < kSlots) p <<= 1;
  return static_cast<uint32_t>(p);
}

// Chunks of weight w out of `total`: [lo, hi] with hi = lo + 1 unless the share is whole;
// `rest` is the remainder's numerator (its denominator is `total`) for tie-breaking.
struct SlotShare {
  uint32_t lo = 0;
  uint32_t hi = 0;
  uint64_t rest = 0;
};

SlotShare slot_share(uint32_t chunks, uint32_t weight, uint64_t total) {
  const uint64_t scaled = uint64_t{chunks} * weight;
  SlotShare s;
  s.lo = static_cast<uint32_t>(scaled / total);
  s.rest = scaled % total;
  s.hi = s.lo + (s.rest != 0 ? 1 : 0);
  return s;
}

bool slot_range_less(const RangeElement& a, const RangeElement& b) {
  return std::tie(a.first, a.last, a.target) < std::tie(b.first, b.last, b.target);
}

}  // namespace

uint32_t chunk_count(size_t n, uint32_t previous) {
  n = std::max<size_t>(n, 1);
  if (previous != 0 && previous >= slot_pow2_at_least(uint64_t{32} * n) &&
      previous <= slot_pow2_at_least(uint64_t{128} * n))
    return previous;
  return slot_pow2_at_least(uint64_t{64} * n);
}

SlotMap assign_slots(const SlotMap* previous, const std::vector<WeightedName>& destinations) {
  const size_t n = destinations.size();
  size_t live = 0;
  uint64_t total = 0;
  for (const WeightedName& d : destinations) {
    live += d.weight != 0 ? 1 : 0;
    total += d.weight;
  }
  const uint32_t m = chunk_count(live, previous ? previous->chunks : 0);
  if (previous && previous->chunks != m) previous = nullptr;  // re-laid from scratch

  SlotMap out;
  out.chunks = m;
  out.owner.assign(m, kNoDestination);
  out.home.assign(m, kNoDestination);
  std::unordered_map<std::string_view, uint32_t> index;
  for (const WeightedName& d : destinations) {
    index.emplace(d.name, static_cast<uint32_t>(out.names.size()));
    out.names.push_back(d.name);
  }

  if (!previous) {
    // Canonical layout: contiguous runs in destination order, floor(m * cumulative / total).
    if (total == 0) return out;
    uint64_t cumulative = 0;
    uint32_t start = 0;
    for (size_t i = 0; i < n; ++i) {
      cumulative += destinations[i].weight;
      const auto end = static_cast<uint32_t>(uint64_t{m} * cumulative / total);
      for (uint32_t c = start; c < end; ++c) out.owner[c] = out.home[c] = static_cast<uint32_t>(i);
      start = end;
    }
    return out;
  }

  // Carry the previous map over: owners that stay (with a weight) keep their chunks, homes
  // keep pointing at their destination, also one that is gone for now (it may come back).
  std::vector<uint32_t> remap(previous->names.size(), kNoDestination);
  for (size_t j = 0; j < previous->names.size(); ++j)
    if (auto it = index.find(previous->names[j]); it != index.end()) remap[j] = it->second;
  auto carried_home = [&](uint32_t h) {
    if (h == kNoDestination || h >= remap.size()) return kNoDestination;
    if (remap[h] == kNoDestination) {  // a destination absent now: keep its name for later
      remap[h] = static_cast<uint32_t>(out.names.size());
      out.names.push_back(previous->names[h]);
    }
    return remap[h];
  };
  std::vector<uint32_t> count(n, 0);
  for (uint32_t c = 0; c < m; ++c) {
    out.home[c] = carried_home(previous->home[c]);
    const uint32_t o = previous->owner[c];
    if (o == kNoDestination || o >= remap.size() || remap[o] >= n) continue;
    if (destinations[remap[o]].weight == 0) continue;
    out.owner[c] = remap[o];
    ++count[remap[o]];
  }
  if (total == 0) {
    std::fill(out.owner.begin(), out.owner.end(), kNoDestination);
    return out;
  }

  // Targets: within [floor, ceil] of the exact share, as close as the sum allows to what each
  // holds plus its home chunks held elsewhere (a destination coming back wants those). Who
  // gives up or gains the odd chunk: first where it is not at home, then whoever holds
  // others' home chunks (give) or misses their own (gain), then by remainder, then by order.
  std::vector<SlotShare> share(n);
  std::vector<uint32_t> target(n);
  std::vector<uint32_t> foreign(n, 0);   // held chunks whose home is another live destination
  std::vector<uint32_t> homeward(n, 0);  // own home chunks held by others or by nobody
  std::vector<uint32_t> homes(n, 0);     // chunks whose home it is: its natural share
  for (uint32_t c = 0; c < m; ++c) {
    const uint32_t o = out.owner[c];
    const uint32_t h = out.home[c];
    const bool home_live = h < n && destinations[h].weight != 0;
    if (o != kNoDestination && h != o && home_live) ++foreign[o];
    if (home_live && o != h) ++homeward[h];
    if (h < n) ++homes[h];
  }
  uint64_t sum = 0;
  for (size_t i = 0; i < n; ++i) {
    share[i] = slot_share(m, destinations[i].weight, total);
    target[i] = std::clamp(count[i] + homeward[i], share[i].lo, share[i].hi);
    sum += target[i];
  }
  auto natural_hi = [&](uint32_t i) { return homes[i] >= share[i].hi ? 0 : 1; };
  std::vector<uint32_t> order;
  if (sum > m) {
    for (uint32_t i = 0; i < n; ++i)
      if (target[i] == share[i].hi && share[i].hi > share[i].lo) order.push_back(i);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return std::tuple(-natural_hi(a), -int64_t{foreign[a]}, share[a].rest, a) <
             std::tuple(-natural_hi(b), -int64_t{foreign[b]}, share[b].rest, b);
    });
    for (size_t k = 0; k < sum - m && k < order.size(); ++k) --target[order[k]];
  } else if (sum < m) {
    for (uint32_t i = 0; i < n; ++i)
      if (target[i] == share[i].lo && share[i].hi > share[i].lo) order.push_back(i);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return std::tuple(-int64_t{homeward[a]}, natural_hi(a), -static_cast<int64_t>(share[a].rest),
                        a) < std::tuple(-int64_t{homeward[b]}, natural_hi(b),
                                        -static_cast<int64_t>(share[b].rest), b);
    });
    for (size_t k = 0; k < m - sum && k < order.size(); ++k) ++target[order[k]];
  }

  // Release what is over target: chunks of other live destinations first, then other foreign
  // chunks, then own ones from the end.
  std::vector<uint32_t> excess(n, 0);
  for (size_t i = 0; i < n; ++i) excess[i] = count[i] > target[i] ? count[i] - target[i] : 0;
  auto release = [&](uint32_t c) {
    --excess[out.owner[c]];
    --count[out.owner[c]];
    out.owner[c] = kNoDestination;
  };
  for (uint32_t c = 0; c < m; ++c) {
    const uint32_t o = out.owner[c];
    const uint32_t h = out.home[c];
    if (o != kNoDestination && excess[o] > 0 && h != o && h < n && destinations[h].weight != 0)
      release(c);
  }
  for (uint32_t c = 0; c < m; ++c) {
    const uint32_t o = out.owner[c];
    if (o != kNoDestination && excess[o] > 0 && out.home[c] != o) release(c);
  }
  for (uint32_t c = m; c-- > 0;) {
    const uint32_t o = out.owner[c];
    if (o != kNoDestination && excess[o] > 0) release(c);
  }

  // Hand out free chunks: to their home when it is short, then in chunk order.
  std::vector<uint32_t> deficit(n, 0);
  for (size_t i = 0; i < n; ++i) deficit[i] = target[i] > count[i] ? target[i] - count[i] : 0;
  for (uint32_t c = 0; c < m; ++c) {
    const uint32_t h = out.home[c];
    if (out.owner[c] == kNoDestination && h < n && deficit[h] > 0) {
      out.owner[c] = h;
      --deficit[h];
    }
  }
  size_t next = 0;
  for (uint32_t c = 0; c < m; ++c) {
    if (out.owner[c] != kNoDestination) continue;
    while (next < n && deficit[next] == 0) ++next;
    if (next == n) break;
    out.owner[c] = static_cast<uint32_t>(next);
    --deficit[next];
  }
  // A chunk without a home belongs to whoever has it now.
  for (uint32_t c = 0; c < m; ++c)
    if (out.home[c] == kNoDestination) out.home[c] = out.owner[c];
  return out;
}

std::vector<RangeElement> slot_ranges(const SlotMap& map) {
  std::vector<RangeElement> out;
  if (map.chunks == 0) return out;
  const uint32_t size = kSlots / map.chunks;
  for (uint32_t c = 0; c < map.chunks;) {
    const uint32_t o = map.owner[c];
    uint32_t end = c + 1;
    while (end < map.chunks && map.owner[end] == o) ++end;
    if (o != kNoDestination) out.push_back({c * size, end * size - 1, map.names[o]});
    c = end;
  }
  return out;
}

void range_difference(const std::vector<RangeElement>& before,
                      const std::vector<RangeElement>& after, std::vector<RangeElement>& removed,
                      std::vector<RangeElement>& added) {
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::back_inserter(removed), slot_range_less);
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(added), slot_range_less);
}

}  // namespace vigil::lb::nft
