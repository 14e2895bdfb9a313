#include "lb/nft/weight_update.h"

#include <map>
#include <utility>

namespace vigil::lb::nft {
namespace {

bool weight_update_same_service(const Service& a, const Service& b) {
  return a.key == b.key && a.scheduler == b.scheduler && a.flags == b.flags &&
         a.persistence_timeout == b.persistence_timeout &&
         a.persistence_granularity == b.persistence_granularity &&
         a.persistence_engine == b.persistence_engine && a.forwarding == b.forwarding;
}

bool weight_update_same_destination(Destination a, const Destination& b) {
  a.weight = b.weight;
  return a == b;
}

SetDef* weight_update_pick_map(Model& m, const std::string& family, const std::string& name) {
  auto it = m.sets.find(family + " " + name);
  return it == m.sets.end() ? nullptr : &it->second;
}

}  // namespace

std::optional<WeightUpdate> weight_update(const Service& before, const Service& after,
                                          const Model& fragment, const SlotMap& slots,
                                          const DeviceResolver& device_of) {
  if (!weight_update_same_service(before, after) || after.persistent() || slots.chunks == 0)
    return std::nullopt;
  const SetDef* map = nullptr;
  for (const std::string& pick : {pick_map_name(after.key), direct_pick_map_name(after.key)}) {
    for (const char* family : {kNatFamily, kDrFamily}) {
      auto it = fragment.sets.find(std::string(family) + " " + pick);
      if (it != fragment.sets.end()) map = &it->second;
    }
  }
  if (!map) return std::nullopt;
  const bool direct = map->pick_data != PickData::Goto;

  std::map<std::pair<IpAddress, uint16_t>, const Destination*> had;
  for (const Destination& d : before.destinations) had.emplace(std::pair(d.address, d.port), &d);
  const std::vector<uint32_t> weights = pick_weights(after);
  std::vector<WeightedName> names;
  names.reserve(after.destinations.size());
  for (size_t i = 0; i < after.destinations.size(); ++i) {
    const Destination& d = after.destinations[i];
    auto it = had.find(std::pair(d.address, d.port));
    if (it != had.end()) {
      if (!weight_update_same_destination(*it->second, d)) return std::nullopt;
    } else if (direct) {
      // Joining a direct map: its element is all it needs, if the map can hold it.
      if (d.forwarding != conf::LvsForwarding::Nat) return std::nullopt;
      if (map->pick_data == PickData::AddrPort && d.port == 0) return std::nullopt;
    } else {
      // Joining: only when its chain is still there, exactly as a render would make it.
      auto chain = render_destination(after, d, device_of);
      if (!chain || chain->family != map->family) return std::nullopt;
      auto kept = fragment.chains.find(chain->family + " " + chain->name);
      if (kept == fragment.chains.end() || !(kept->second == *chain)) return std::nullopt;
    }
    names.push_back(
        {direct ? pick_target(after, d) : destination_chain_name(after.key, d), weights[i]});
  }

  WeightUpdate u;
  u.slots = assign_slots(&slots, names);
  u.pick.family = map->family;
  u.pick.map = map->name;
  u.pick.data = map->pick_data;
  range_difference(slot_ranges(slots), slot_ranges(u.slots), u.pick.removed, u.pick.added);
  return u;
}

void apply_pick_update(Model& fragment, const PickUpdate& update) {
  SetDef* map = weight_update_pick_map(fragment, update.family, update.map);
  if (!map) return;
  for (const RangeElement& r : update.removed) map->elements.erase(range_key(r));
  for (const RangeElement& r : update.added)
    map->elements[range_key(r)] = range_json(r, map->pick_data);
}

}  // namespace vigil::lb::nft
