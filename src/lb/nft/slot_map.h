// The weighted choice of one service as a map of fixed chunks: numgen/jhash modulo kSlots
// picks a slot, the slots form `chunks` equal chunks, and each chunk belongs to one
// destination, in proportion to the weights. What a change costs is what moves: when a
// destination goes (or its weight changes) only its own chunks are handed to others, and when
// it comes back it takes back the chunks it had ("home" chunks), so one real server's death or
// return touches O(its share) pick-map elements instead of shifting every range; sh/dh clients
// of the other destinations keep their destination.
//
// Pure: the assignment is a function of the previous map (history) and the destinations; with
// no previous map it is the canonical contiguous layout, so a rebuild from scratch always
// reaches a valid state.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lb/nft/nft_model.h"

namespace vigil::lb::nft {

inline constexpr uint32_t kNoDestination = UINT32_MAX;

struct SlotMap {
  uint32_t chunks = 0;             // power of two dividing kSlots; 0 = no map yet
  std::vector<std::string> names;  // destinations (chain names) referred to by owner/home
  std::vector<uint32_t> owner;     // per chunk: index into names, kNoDestination = none
  std::vector<uint32_t> home;      // per chunk: the destination it goes back to
  bool operator==(const SlotMap&) const = default;
};

// One destination as the map sees it: its chain name (identity) and weight (0 = no chunks).
struct WeightedName {
  std::string name;
  uint32_t weight = 0;
};

// The chunk count for `n` destinations with a weight: ~64 chunks per destination (weights are
// honoured to about ±1/64 of an average share), kept from `previous` while it stays within a
// factor of two of that, so a pool growing or shrinking by one does not re-lay the map.
uint32_t chunk_count(size_t n, uint32_t previous);

// The next assignment. Each destination gets floor or ceil of chunks * weight / total chunks;
// destinations keep the chunks they hold as far as their share allows, free chunks go back to
// their home destination first, then to the others in chunk order.
SlotMap assign_slots(const SlotMap* previous, const std::vector<WeightedName>& destinations);

// Runs of chunks with the same owner as pick-map ranges in kSlots units, ordered by slot.
std::vector<RangeElement> slot_ranges(const SlotMap& map);

// The element changes from `before` to `after` (both ordered by slot): ranges of `before`
// not in `after`, and the reverse.
void range_difference(const std::vector<RangeElement>& before,
                      const std::vector<RangeElement>& after, std::vector<RangeElement>& removed,
                      std::vector<RangeElement>& added);

}  // namespace vigil::lb::nft
