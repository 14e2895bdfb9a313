// Pure rendering of a DesiredState into nftables objects (chains, sets, maps and their
// elements) and the diff of two renderings into one libnftables batch. No I/O: the back end
// (nft_data_plane.h) runs the batch; unit tests inspect it.
//
// Layout (docs/dataplane.md): table `inet vigil` holds NAT services (nat prerouting chain →
// dispatch verdict maps → one chain per service → weighted pick map → one chain per
// destination doing the DNAT); table `netdev vigil` holds DR services the same way from an
// ingress chain per interface, the destination chains forwarding with `fwd ip to ADDR device`.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "lb/desired_state.h"
#include "netlink/result.h"

namespace vigil::lb::nft {

inline constexpr const char* kTableName = "vigil";
inline constexpr const char* kNatFamily = "inet";
inline constexpr const char* kDrFamily = "netdev";
// Weighted choice: numgen/jhash modulo this fixed number of slots, shared out in proportion to
// the weights. Fixed, so a weight change only rewrites map elements, never a rule.
inline constexpr uint32_t kSlots = 65536;
// jhash seed: fixed so two directors (VRRP pair) hash a client to the same real server.
inline constexpr uint32_t kHashSeed = 0x76676c31;

// The interface a DR destination is reached through (route lookup); nullopt when none.
using DeviceResolver = std::function<std::optional<std::string>(const IpAddress&)>;

// What a pick map's elements lead to: `goto` a destination chain (DR, persistence), or the
// DNAT target itself (NAT without persistence: no chain per destination, and adding such an
// element makes the kernel validate nothing, where a goto makes it walk the whole table).
enum class PickData { Goto, Addr, AddrPort };

struct SetDef {
  std::string family;
  std::string name;
  nlohmann::json add;  // the {"set"|"map": {...}} object of an add command; null when native
  std::string native;  // a native-syntax definition for what libnftables 1.0.6 JSON cannot
                       // express (typeof maps keyed by numgen/jhash)
  std::map<std::string, nlohmann::json> elements;  // key text → element
  bool is_map = false;
  PickData pick_data = PickData::Goto;  // of a pick map
  bool operator==(const SetDef&) const = default;
};

struct ChainDef {
  std::string family;
  std::string name;
  nlohmann::json base;  // type/hook/prio/policy (+dev) of a base chain; null for a regular one
  std::vector<nlohmann::json> rules;  // each an "expr" array
  bool operator==(const ChainDef&) const = default;
};

struct Model {
  std::map<std::string, SetDef> sets;      // by "family name"
  std::map<std::string, ChainDef> chains;  // by "family name"
  bool operator==(const Model&) const = default;
};

struct SlotMap;  // slot_map.h

netlink::Result<Model> render(const DesiredState& state, const DeviceResolver& device_of);

// The objects of one service alone: its own chains/sets/maps plus the shared ones it needs
// (NAT base chain and dispatch maps, DR ingress chains) holding only its own elements. Merging
// the fragments of every service gives render()'s model, so a back end re-renders only the
// services that changed.
// `previous` is the service's last slot map (slot_map.h: its pick map then moves only what
// changed), nullptr for the canonical layout; `slots` receives the new one.
netlink::Result<Model> render_service(const Service& service, const DeviceResolver& device_of,
                                      const SlotMap* previous = nullptr, SlotMap* slots = nullptr);
// Names of a service's pick map and of one destination's chain, as render_service() makes them.
std::string pick_map_name(const ServiceKey& key);
// The pick map of a NAT service without persistence, whose elements hold the DNAT target.
std::string direct_pick_map_name(const ServiceKey& key);
// A destination as a direct pick map's element names it: "ADDR PORT", or "ADDR" for fwmark
// services (the client's port stays).
std::string pick_target(const Service& service, const Destination& d);
std::string destination_chain_name(const ServiceKey& key, const Destination& d);
// The chain of one destination of a service without persistence, as render_service() makes
// it (the service's other destinations decide nothing in it); an Error as render_service()'s
// for a destination it cannot forward to.
netlink::Result<ChainDef> render_destination(const Service& service, const Destination& d,
                                             const DeviceResolver& device_of);
// Shared objects (dispatch maps, hook chains) are named without a service; own ones with it.
bool is_shared_object(const std::string& name);
// The shared objects of `m` without elements (what skeleton() needs of a fragment).
Model shared_part(const Model& m);
// Adds `part` to `into`: objects missing from `into` are copied, set elements are united.
void merge_into(Model& into, const Model& part);
// The shared objects of `parts` (and the NAT base, always present) without elements: what the
// tables hold besides the services' own objects.
Model skeleton(const std::vector<const Model*>& parts);

// One pick-map range and where it leads: a destination chain (PickData::Goto) or a
// pick_target() text.
struct RangeElement {
  uint32_t first = 0;
  uint32_t last = 0;
  std::string target;
  bool operator==(const RangeElement&) const = default;
};

// Element changes of one pick map, sent as raw nf_tables netlink messages (set_elements.h):
// libnftables would first fetch every chain and every interval map's elements of the table.
// A pick-map element as the model holds it: its key text and [{"range": [a, b]}, goto].
std::string range_key(const RangeElement& r);
nlohmann::json range_json(const RangeElement& r, PickData data);

struct PickUpdate {
  std::string family;
  std::string map;
  PickData data = PickData::Goto;
  std::vector<RangeElement> removed;
  std::vector<RangeElement> added;
  bool operator==(const PickUpdate&) const = default;
};

// A chain deleted in the raw batch.
struct ChainRef {
  std::string family;
  std::string name;
  bool operator==(const ChainRef&) const = default;
};

// The steps of one update, run in this order: `native` (only creates typeof maps and, on a
// rebuild, resets vigil's tables), `json` (the {"nftables": [...]} batch creating and changing
// objects), `picks` then `dropped_chains` (one raw netlink transaction, with
// DiffOptions::raw_pick_elements: pick-map elements, then the destination chains they no longer
// reach), `after` ({"nftables": [...]}: removes other chains and sets nothing references).
struct Batch {
  std::string native;
  nlohmann::json json = {{"nftables", nlohmann::json::array()}};
  std::vector<PickUpdate> picks;
  std::vector<ChainRef> dropped_chains;
  nlohmann::json after = {{"nftables", nlohmann::json::array()}};
  bool empty() const {
    return native.empty() && json["nftables"].empty() && picks.empty() && dropped_chains.empty() &&
           after["nftables"].empty();
  }
};

struct DiffOptions {
  // Pick-map element changes go to Batch::picks instead of JSON element commands (only when
  // prev is set: a rebuild creates everything through libnftables).
  bool raw_pick_elements = false;
};

// prev == nullptr: a rebuild (vigil's tables are deleted and made again). Otherwise only what
// differs; the tables of families prev already has are not added again (an "add table" makes
// libnftables fetch every chain and set of the table first).
Batch diff(const Model* prev, const Model& next, DiffOptions options = {});
// Deletes vigil's tables (both families), whether they exist or not.
std::string remove_all_native();

// The weights the pick map shares slots by: fo gives everything to the highest weight (first
// of equals), as IPVS's weighted failover does; other schedulers keep the weights.
std::vector<uint32_t> pick_weights(const Service& s);

// An nft identifier made from free text: every character outside [A-Za-z0-9_.] becomes '_'.
std::string identifier(std::string_view text);

}  // namespace vigil::lb::nft
