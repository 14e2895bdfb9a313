// Table tests for the effective priority computation (keepalived.conf(5) tracking rules).
#include "vrrp/priority.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace vigil::vrrp {
namespace {

TrackedItem script(const char* name, int32_t weight, bool up, bool reverse = false) {
  return TrackedItem{TrackKind::Script, name, weight, reverse, up, 0};
}
TrackedItem iface(const char* name, int32_t weight, bool up, bool reverse = false) {
  return TrackedItem{TrackKind::Interface, name, weight, reverse, up, 0};
}
TrackedItem process(const char* name, int32_t weight, bool up, bool reverse = false) {
  return TrackedItem{TrackKind::Process, name, weight, reverse, up, 0};
}
TrackedItem file(const char* name, int32_t weight, int64_t value, bool reverse = false) {
  return TrackedItem{TrackKind::File, name, weight, reverse, true, value};
}

// ---- one item at a time ---------------------------------------------------------------------

struct ItemRow {
  const char* name;
  TrackedItem item;
  int64_t adjustment;
  bool fault;
};

std::ostream& operator<<(std::ostream& os, const ItemRow& r) {
  return os << r.name;
}

const ItemRow kItemRows[] = {
    {"PositiveWeightUpAdds", script("s", 20, true), 20, false},
    {"PositiveWeightDownAddsNothing", script("s", 20, false), 0, false},
    {"NegativeWeightUpAddsNothing", script("s", -10, true), 0, false},
    {"NegativeWeightDownSubtracts", script("s", -10, false), -10, false},
    {"PositiveWeightReverseUpSubtracts", script("s", 20, true, true), -20, false},
    {"PositiveWeightReverseDownNothing", script("s", 20, false, true), 0, false},
    {"NegativeWeightReverseDownAdds", script("s", -10, false, true), 10, false},
    {"NegativeWeightReverseUpNothing", script("s", -10, true, true), 0, false},
    {"WeightZeroUpIsFine", script("s", 0, true), 0, false},
    {"WeightZeroDownIsFault", script("s", 0, false), 0, true},
    {"WeightZeroReverseUpIsFault", script("s", 0, true, true), 0, true},
    {"WeightZeroReverseDownIsFine", script("s", 0, false, true), 0, false},
    {"InterfaceDownUnweightedIsFault", iface("eth1", 0, false), 0, true},
    {"InterfaceWeightedDownSubtracts", iface("eth1", -30, false), -30, false},
    {"ProcessUpAdds", process("nginx", 5, true), 5, false},
    {"ProcessDownUnweightedIsFault", process("nginx", 0, false), 0, true},
    {"FileValueTimesWeight", file("f", 2, 7), 14, false},
    {"FileNegativeProduct", file("f", -10, 3), -30, false},
    {"FileReverseNegates", file("f", 2, 7, true), -14, false},
    {"FileWeightZeroValueZeroIsFine", file("f", 0, 0), 0, false},
    {"FileWeightZeroNonZeroIsFault", file("f", 0, 5), 0, true},
    {"FileProductBelowMinus253IsFault", file("f", 1, -254), 0, true},
    {"FileProductMinus253IsAdjustment", file("f", 1, -253), -253, false},
    {"FileHugeValueIsBounded", file("f", 1000, int64_t{1} << 60), int64_t{1} << 31, false},
    {"FileHugeNegativeValueIsFault", file("f", 1000, -(int64_t{1} << 60)), 0, true},
};

class PriorityItem : public ::testing::TestWithParam<ItemRow> {};

TEST_P(PriorityItem, HasTheDocumentedEffect) {
  const ItemRow& r = GetParam();
  EXPECT_EQ(item_effect(r.item), (ItemEffect{r.adjustment, r.fault}));
}

INSTANTIATE_TEST_SUITE_P(Rules, PriorityItem, ::testing::ValuesIn(kItemRows),
                         [](const ::testing::TestParamInfo<ItemRow>& info) {
                           return std::string(info.param.name);
                         });

// ---- whole instances --------------------------------------------------------------------------

TEST(Priority, NoItemsKeepsTheBase) {
  EXPECT_EQ(compute_priority(100, {}), (PriorityResult{100, false, {}}));
}

TEST(Priority, SeedScenarioDownFileScriptMovesTheVip) {
  // S4: node1 100 with a script (weight -10) that fails when a "down" file exists; node2 99.
  std::vector<TrackedItem> items{script("chk_down", -10, true)};
  EXPECT_EQ(compute_priority(100, items).effective, 100);
  items[0].up = false;
  EXPECT_EQ(compute_priority(100, items).effective, 90);
  EXPECT_LT(compute_priority(100, items).effective, 99);
}

TEST(Priority, SumsAllItems) {
  const std::vector<TrackedItem> items{script("a", 10, true), script("b", -20, false),
                                       iface("eth1", 5, true), file("f", 3, 2),
                                       process("p", -7, true)};
  EXPECT_EQ(compute_priority(100, items).effective, 100 + 10 - 20 + 5 + 6);
}

TEST(Priority, ClampedToOneAnd254) {
  EXPECT_EQ(compute_priority(250, std::vector{script("a", 50, true)}).effective, 254);
  EXPECT_EQ(compute_priority(10, std::vector{script("a", -200, false)}).effective, 1);
  EXPECT_EQ(compute_priority(254, std::vector{script("a", 1, true)}).effective, 254);
  EXPECT_EQ(compute_priority(1, std::vector{script("a", -1, false)}).effective, 1);
}

TEST(Priority, TrackingCannotReach255) {
  EXPECT_EQ(compute_priority(200, std::vector{script("a", 253, true)}).effective, 254);
}

TEST(Priority, OwnerKeeps255WhateverTheWeights) {
  EXPECT_EQ(compute_priority(255, std::vector{script("a", -50, false)}).effective, 255);
  const PriorityResult r = compute_priority(255, std::vector{script("a", 0, false)});
  EXPECT_EQ(r.effective, 255);
  EXPECT_TRUE(r.fault);
}

TEST(Priority, FaultNamesEveryFailingUnweightedItem) {
  const std::vector<TrackedItem> items{iface("eth0", 0, false), script("ok", 0, true),
                                       script("chk", 0, false), script("w", -5, false)};
  const PriorityResult r = compute_priority(100, items);
  EXPECT_TRUE(r.fault);
  EXPECT_EQ(r.fault_items, (std::vector<std::string>{"eth0", "chk"}));
  EXPECT_EQ(r.effective, 95);  // weights still count, for status output
}

TEST(Priority, ManyLargeFileValuesDoNotOverflow) {
  std::vector<TrackedItem> items;
  for (int i = 0; i < 1000; ++i) items.push_back(file("f", 2147483647, int64_t{1} << 62));
  EXPECT_EQ(compute_priority(100, items).effective, 254);
}

}  // namespace
}  // namespace vigil::vrrp
