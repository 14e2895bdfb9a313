// The nftables fast path: a death, a return or a weight change as pick-map element changes
// only, straight from the slot map, without rendering.
#include "lb/nft/weight_update.h"

#include <gtest/gtest.h>

#include "lb_test_util.h"

namespace vigil::lb::nft {
namespace {

using testing::dest;
using testing::tcp_service;

struct WeightUpdateFixture {
  Model model;
  SlotMap slots;
};

DeviceResolver weight_update_eth1() {
  return [](const IpAddress&) { return std::optional<std::string>("eth1"); };
}

WeightUpdateFixture weight_update_render(const Service& s) {
  WeightUpdateFixture f;
  auto m = render_service(s, weight_update_eth1(), nullptr, &f.slots);
  EXPECT_TRUE(m.ok());
  if (m.ok()) f.model = *m;
  return f;
}

Service weight_update_pool(size_t n, conf::LvsForwarding fwd = conf::LvsForwarding::Nat) {
  std::vector<Destination> d;
  for (size_t i = 0; i < n; ++i)
    d.push_back(dest("198.51.100." + std::to_string(i + 1), 8080, 1, fwd));
  return tcp_service("203.0.113.10", 80, d);
}

TEST(LbNftWeightUpdate, ADeathAndAReturnMoveOnlyTheirShare) {
  const Service all = weight_update_pool(50);
  WeightUpdateFixture f = weight_update_render(all);
  Service without = all;
  without.destinations.erase(without.destinations.begin() + 7);
  auto death = weight_update(all, without, f.model, f.slots, {});
  ASSERT_TRUE(death);
  EXPECT_EQ(death->pick.map, "pick_tcp4_203_0_113_10_80_nat");
  EXPECT_EQ(death->pick.family, "inet");
  EXPECT_EQ(death->pick.data, PickData::AddrPort);
  ASSERT_EQ(death->pick.removed.size(), 1u);
  EXPECT_EQ(death->pick.removed[0].target, "198.51.100.8 8080");
  // 4096 chunks, ~82 of them the dead one's, handed out one or two a time to the others.
  EXPECT_LE(death->pick.added.size(), 50u);
  for (const RangeElement& r : death->pick.added) EXPECT_NE(r.target, "198.51.100.8 8080");

  // The model follows: what a fresh render with that slot map holds.
  apply_pick_update(f.model, death->pick);
  auto rendered = render_service(without, {}, &death->slots, nullptr);
  ASSERT_TRUE(rendered.ok());
  const std::string pick_key = "inet pick_tcp4_203_0_113_10_80_nat";
  EXPECT_EQ(f.model.sets.at(pick_key).elements.size(), death->pick.added.size() + 49);
  EXPECT_EQ(f.model, *rendered);

  // It comes back: elements only again, and the map is as at first.
  auto back = weight_update(without, all, f.model, death->slots, {});
  ASSERT_TRUE(back);
  EXPECT_EQ(slot_ranges(back->slots), slot_ranges(f.slots));
  apply_pick_update(f.model, back->pick);
  EXPECT_EQ(f.model, weight_update_render(all).model);
  // A destination never seen before joins a NAT map the same way.
  Service more = all;
  more.destinations.push_back(dest("198.51.100.99", 8080, 1));
  auto joined = weight_update(all, more, f.model, f.slots, {});
  ASSERT_TRUE(joined);
  EXPECT_LE(joined->pick.removed.size(), 50u) << "at most one range of each";
  bool found = false;
  for (const RangeElement& r : joined->pick.added) found |= r.target == "198.51.100.99 8080";
  EXPECT_TRUE(found);
}

TEST(LbNftWeightUpdate, DirectRoutingKeepsDepartedChainsForTheReturn) {
  const Service all = weight_update_pool(5, conf::LvsForwarding::Dr);
  WeightUpdateFixture f = weight_update_render(all);
  Service without = all;
  without.destinations.erase(without.destinations.begin() + 2);
  auto death = weight_update(all, without, f.model, f.slots, weight_update_eth1());
  ASSERT_TRUE(death);
  EXPECT_EQ(death->pick.map, "pick_tcp4_203_0_113_10_80");
  EXPECT_EQ(death->pick.data, PickData::Goto);
  const std::string chain = "dst_tcp4_203_0_113_10_80_198_51_100_3_8080";
  ASSERT_EQ(death->pick.removed.size(), 1u);
  EXPECT_EQ(death->pick.removed[0].target, chain);
  apply_pick_update(f.model, death->pick);
  // The departed destination's chain stays (a render without it has none).
  EXPECT_TRUE(f.model.chains.count("netdev " + chain));
  auto back = weight_update(without, all, f.model, death->slots, weight_update_eth1());
  ASSERT_TRUE(back);
  EXPECT_EQ(slot_ranges(back->slots), slot_ranges(f.slots));
  // One never seen has no chain to reuse: rendered.
  Service more = all;
  more.destinations.push_back(dest("198.51.100.99", 8080, 1, conf::LvsForwarding::Dr));
  EXPECT_FALSE(weight_update(all, more, f.model, f.slots, weight_update_eth1()));
}

TEST(LbNftWeightUpdate, OtherChangesNeedARender) {
  const Service all = weight_update_pool(3);
  WeightUpdateFixture f = weight_update_render(all);
  // A destination's other attributes change.
  Service moved = all;
  moved.destinations[0].upper_threshold = 5;
  EXPECT_FALSE(weight_update(all, moved, f.model, f.slots, {}));
  // A DR destination joins a NAT map.
  Service dr = all;
  dr.destinations.push_back(dest("198.51.100.99", 8080, 1, conf::LvsForwarding::Dr));
  EXPECT_FALSE(weight_update(all, dr, f.model, f.slots, {}));
  // Persistence: the service chain names each destination.
  Service sticky = all;
  sticky.persistence_timeout = 60;
  WeightUpdateFixture fs = weight_update_render(sticky);
  Service sticky_less = sticky;
  sticky_less.destinations.pop_back();
  EXPECT_FALSE(weight_update(sticky, sticky_less, fs.model, fs.slots, {}));
  // A scheduler change.
  Service sh = all;
  sh.scheduler = conf::LvsScheduler::Sh;
  EXPECT_FALSE(weight_update(all, sh, f.model, f.slots, {}));
  // A weight change is fine.
  Service heavier = all;
  heavier.destinations[1].weight = 4;
  auto w = weight_update(all, heavier, f.model, f.slots, {});
  ASSERT_TRUE(w);
  EXPECT_FALSE(w->pick.added.empty());
}

}  // namespace
}  // namespace vigil::lb::nft
