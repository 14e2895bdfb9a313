// The pick map's slot assignment: proportional shares, canonical layout, and what one real
// server's departure, return or weight change moves.
#include "lb/nft/slot_map.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace vigil::lb::nft {
namespace {

std::vector<WeightedName> slot_test_pool(size_t n, uint32_t weight = 1) {
  std::vector<WeightedName> out;
  for (size_t i = 0; i < n; ++i) out.push_back({"d" + std::to_string(i), weight});
  return out;
}

// Slots per destination name.
std::map<std::string, uint64_t> slot_test_shares(const SlotMap& m) {
  std::map<std::string, uint64_t> out;
  for (const RangeElement& r : slot_ranges(m)) out[r.target] += r.last - r.first + 1;
  return out;
}

size_t slot_test_moved(const SlotMap& a, const SlotMap& b) {
  std::vector<RangeElement> removed, added;
  range_difference(slot_ranges(a), slot_ranges(b), removed, added);
  return removed.size() + added.size();
}

TEST(LbNftSlotMap, CanonicalLayoutIsContiguousAndProportional) {
  SlotMap m = assign_slots(nullptr, {{"a", 1}, {"b", 3}});
  EXPECT_EQ(slot_ranges(m), (std::vector<RangeElement>{{0, 16383, "a"}, {16384, 65535, "b"}}));
  SlotMap z = assign_slots(nullptr, {{"a", 0}, {"b", 2}, {"c", 0}, {"d", 2}});
  EXPECT_EQ(slot_ranges(z), (std::vector<RangeElement>{{0, 32767, "b"}, {32768, 65535, "d"}}));
  EXPECT_TRUE(slot_ranges(assign_slots(nullptr, {{"a", 0}, {"b", 0}})).empty());
  EXPECT_TRUE(slot_ranges(assign_slots(nullptr, {})).empty());
}

TEST(LbNftSlotMap, ChunkCountFollowsThePoolWithSlack) {
  EXPECT_EQ(chunk_count(0, 0), 64u);
  EXPECT_EQ(chunk_count(2, 0), 128u);
  EXPECT_EQ(chunk_count(250, 0), 16384u);
  EXPECT_EQ(chunk_count(249, 16384), 16384u);  // one fewer: kept
  EXPECT_EQ(chunk_count(50, 16384), 4096u);    // far fewer: re-laid
  EXPECT_EQ(chunk_count(5000, 0), kSlots);     // capped at one slot per chunk
}

TEST(LbNftSlotMap, ADeathMovesOnlyTheDeadShareAndTheReturnRestoresIt) {
  const std::vector<WeightedName> all = slot_test_pool(250);
  const SlotMap before = assign_slots(nullptr, all);
  std::vector<WeightedName> without = all;
  without.erase(without.begin() + 17);
  const SlotMap after = assign_slots(&before, without);
  // The dead one's ~66 chunks went one each to live ones: one removed range, ~66 added, no
  // other destination lost anything.
  std::vector<RangeElement> removed, added;
  range_difference(slot_ranges(before), slot_ranges(after), removed, added);
  EXPECT_LE(removed.size(), 3u);
  EXPECT_LE(added.size(), 70u);
  auto shares = slot_test_shares(after);
  EXPECT_EQ(shares.count("d17"), 0u);
  uint64_t lo = UINT64_MAX, hi = 0, total = 0;
  for (const auto& [name, n] : shares) {
    lo = std::min(lo, n);
    hi = std::max(hi, n);
    total += n;
  }
  EXPECT_EQ(total, kSlots);
  EXPECT_LE(hi - lo, kSlots / after.chunks);  // shares differ by at most one chunk
  for (const auto& [name, n] : slot_test_shares(before)) {
    if (name != "d17") {
      EXPECT_GE(shares[name], n) << name;
    }
  }
  // It comes back (a weight-0 down destination may also stay listed): its chunks go home.
  const SlotMap back = assign_slots(&after, all);
  EXPECT_EQ(slot_ranges(back), slot_ranges(before));
  EXPECT_LE(slot_test_moved(after, back), 75u);
}

TEST(LbNftSlotMap, WeightZeroKeepsTheNameAsHome) {
  std::vector<WeightedName> all = slot_test_pool(10);
  const SlotMap before = assign_slots(nullptr, all);
  all[3].weight = 0;  // inhibit_on_failure: listed with weight 0
  const SlotMap drained = assign_slots(&before, all);
  EXPECT_EQ(slot_test_shares(drained).count("d3"), 0u);
  all[3].weight = 1;
  // Back home: its chunks return (the odd chunk of a share may land elsewhere).
  const SlotMap back = assign_slots(&drained, all);
  const uint64_t chunk = kSlots / back.chunks;
  EXPECT_GE(slot_test_shares(back)["d3"] + chunk, slot_test_shares(before)["d3"]);
  EXPECT_LE(slot_test_moved(before, back), 6u);
}

TEST(LbNftSlotMap, WeightChangesStayProportional) {
  std::vector<WeightedName> all = slot_test_pool(4);
  SlotMap m = assign_slots(nullptr, all);
  all[1].weight = 5;  // 1:5:1:1 of 8
  m = assign_slots(&m, all);
  auto s = slot_test_shares(m);
  EXPECT_EQ(s["d1"], kSlots * 5 / 8);
  EXPECT_EQ(s["d0"], kSlots / 8);
  // Every destination gone, then back.
  for (auto& w : all) w.weight = 0;
  SlotMap none = assign_slots(&m, all);
  EXPECT_TRUE(slot_ranges(none).empty());
  for (auto& w : all) w.weight = 2;
  auto even = slot_test_shares(assign_slots(&none, all));
  for (const auto& [name, n] : even) EXPECT_EQ(n, kSlots / 4) << name;
}

TEST(LbNftSlotMap, ANewDestinationTakesAShareFromEachAndRepeatedChurnStaysBounded) {
  std::vector<WeightedName> all = slot_test_pool(16);
  SlotMap m = assign_slots(nullptr, all);
  all.push_back({"new", 1});
  SlotMap grown = assign_slots(&m, all);
  auto s = slot_test_shares(grown);
  ASSERT_EQ(s.size(), 17u);
  const uint64_t chunk = kSlots / grown.chunks;
  for (const auto& [name, n] : s) {
    EXPECT_GE(n + chunk, kSlots / 17) << name;
    EXPECT_LE(n, kSlots / 17 + chunk) << name;
  }
  // Destinations dying and returning in turn: the map stays near where it started (no
  // fragmentation building up) and every share stays within a chunk of its exact value.
  SlotMap cur = assign_slots(nullptr, slot_test_pool(40));
  const SlotMap start = cur;
  for (size_t round = 0; round < 40; ++round) {
    std::vector<WeightedName> pool = slot_test_pool(40);
    pool.erase(pool.begin() + static_cast<long>(round));
    cur = assign_slots(&cur, pool);
    cur = assign_slots(&cur, slot_test_pool(40));
  }
  EXPECT_LE(slot_test_moved(start, cur), 20u);
  EXPECT_LE(slot_ranges(cur).size(), 50u);
  for (const auto& [name, n] : slot_test_shares(cur)) {
    EXPECT_LE(n, kSlots / 40 + kSlots / cur.chunks) << name;
    EXPECT_GE(n + kSlots / cur.chunks, kSlots / 40) << name;
  }
}

}  // namespace
}  // namespace vigil::lb::nft
