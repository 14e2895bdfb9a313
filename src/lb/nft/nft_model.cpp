#include "lb/nft/nft_model.h"

#include <algorithm>
#include <set>

#include "lb/nft/slot_map.h"

namespace vigil::lb::nft {
namespace {

using json = nlohmann::json;
using conf::LvsForwarding;
using conf::LvsScheduler;

std::string key_of(const std::string& family, const std::string& name) {
  return family + " " + name;
}

const char* ip_proto(Family f) {
  return f == Family::V6 ? "ip6" : "ip";
}

json payload(const char* protocol, const char* field) {
  return {{"payload", {{"protocol", protocol}, {"field", field}}}};
}
json meta(const char* key) {
  return {{"meta", {{"key", key}}}};
}
json match(json left, json right) {
  return {{"match", {{"op", "=="}, {"left", std::move(left)}, {"right", std::move(right)}}}};
}
json goto_chain(const std::string& chain) {
  return {{"goto", {{"target", chain}}}};
}
json vmap(json key, const std::string& map) {
  return {{"vmap", {{"key", std::move(key)}, {"data", "@" + map}}}};
}

std::string proto_name(conf::LvsProtocol p) {
  switch (p) {
    case conf::LvsProtocol::Tcp:
      return "tcp";
    case conf::LvsProtocol::Udp:
      return "udp";
    case conf::LvsProtocol::Sctp:
      return "sctp";
  }
  return "tcp";
}

// The mask of a prefix length as an address literal ("255.255.255.0", "ffff:ffff::").
std::string prefix_mask(Family f, uint8_t len) {
  if (f == Family::V4) {
    uint32_t m = len == 0 ? 0 : ~uint32_t{0} << (32 - len);
    return IpAddress::v4_from_host(m).to_string();
  }
  in6_addr a{};
  for (int i = 0; i < 16; ++i) {
    int bits = std::clamp(len - i * 8, 0, 8);
    a.s6_addr[i] = static_cast<uint8_t>(0xff00 >> bits);
  }
  return IpAddress::v6(a).to_string();
}

// The client address as persistence sees it: masked to persistence_granularity.
json client_key(const Service& s) {
  json saddr = payload(ip_proto(s.key.family), "saddr");
  const uint8_t full = s.key.family == Family::V6 ? 128 : 32;
  if (s.persistence_granularity >= full) return saddr;
  return {{"&", json::array({saddr, prefix_mask(s.key.family, s.persistence_granularity)})}};
}

std::string service_id(const ServiceKey& k) {
  const char* fam = k.family == Family::V6 ? "6" : "4";
  if (k.fwmark != 0) return std::string("fwm") + fam + "_" + std::to_string(k.fwmark);
  return identifier(proto_name(k.protocol) + fam + "_" + k.address.to_string() + "_" +
                    std::to_string(k.port));
}

std::string dest_id(const Destination& d) {
  return identifier(d.address.to_string() + "_" + std::to_string(d.port));
}

// The slot generator of a scheduler. IPVS keeps per-connection state for lc/wlc/rr...; the
// nftables approximation is a weighted random choice per new connection (see dataplane.md).
// DR runs at ingress without conntrack and sees every packet, so it needs a choice that is
// stable per connection: a hash of the client's address and port.
json selector(const Service& s, bool per_packet) {
  const char* ip = ip_proto(s.key.family);
  auto hash = [&](json expr) {
    return json{{"jhash",
                 {{"mod", kSlots}, {"seed", kHashSeed}, {"offset", 0}, {"expr", std::move(expr)}}}};
  };
  switch (s.scheduler) {
    case LvsScheduler::Sh:
    case LvsScheduler::Mh:
      if (s.flags & kSvcSched2) {  // sh-port / mh-port: the source port joins the hash
        return hash({{"concat", json::array({payload(ip, "saddr"), payload("th", "sport")})}});
      }
      return hash(payload(ip, "saddr"));
    case LvsScheduler::Dh:
      return hash(payload(ip, "daddr"));
    default:
      if (per_packet) {
        return hash({{"concat", json::array({payload(ip, "saddr"), payload("th", "sport")})}});
      }
      return {{"numgen", {{"mode", "random"}, {"mod", kSlots}, {"offset", 0}}}};
  }
}

// The DNAT (NAT) or fwd (DR, towards `dev`) rule of one destination.
json destination_rule(const Service& s, const Destination& d, bool dr, const std::string& dev) {
  const char* ip = ip_proto(s.key.family);
  json action;
  if (dr) {
    action = {{"fwd", {{"dev", dev}, {"family", ip}, {"addr", d.address.to_string()}}}};
  } else {
    json nat = {{"family", ip}, {"addr", d.address.to_string()}};
    // Port rewriting needs a transport match; fwmark services keep the client's port.
    if (d.port != 0 && s.key.fwmark == 0) nat["port"] = d.port;
    action = {{"dnat", nat}};
  }
  json rule = json::array();
  if (!dr && d.port != 0 && s.key.fwmark == 0) {
    rule.push_back(match(meta("l4proto"), proto_name(s.key.protocol)));
  }
  rule.push_back(action);
  return rule;
}

class Renderer {
 public:
  explicit Renderer(const DeviceResolver& device_of) : device_of_(device_of) {}

  netlink::Result<Model> run(const DesiredState& state) {
    add_nat_base();
    for (const Service& s : state.services) {
      auto r = add_service(s);
      if (!r) return r.error();
    }
    return std::move(model_);
  }

  netlink::Result<Model> run_service(const Service& s, const SlotMap* previous, SlotMap* slots) {
    add_nat_base();
    auto r = add_service(s, previous, slots);
    if (!r) return r.error();
    return std::move(model_);
  }

 private:
  void add_set(SetDef def) {
    std::string k = key_of(def.family, def.name);
    model_.sets.emplace(std::move(k), std::move(def));
  }
  ChainDef& add_chain(const std::string& family, const std::string& name, json base = nullptr) {
    ChainDef& c = model_.chains[key_of(family, name)];
    c.family = family;
    c.name = name;
    c.base = std::move(base);
    return c;
  }
  SetDef dispatch_map(const std::string& family, const std::string& name, json type,
                      bool interval) {
    SetDef m;
    m.family = family;
    m.name = name;
    m.is_map = true;
    json body = {{"family", family},
                 {"table", kTableName},
                 {"name", name},
                 {"type", std::move(type)},
                 {"map", "verdict"}};
    if (interval) body["flags"] = json::array({"interval"});
    m.add = {{"map", body}};
    return m;
  }

  // The dispatch rules of a hook chain: (daddr . l4proto . dport) and, for NAT, fwmark.
  void add_dispatch_rules(ChainDef& c, bool with_fwmark) {
    json tuple4 = {
        {"concat", json::array({payload("ip", "daddr"), meta("l4proto"), payload("th", "dport")})}};
    json tuple6 = {{"concat", json::array({payload("ip6", "daddr"), meta("l4proto"),
                                           payload("th", "dport")})}};
    c.rules.push_back(json::array({vmap(tuple4, "svc4")}));
    c.rules.push_back(json::array({vmap(tuple6, "svc6")}));
    if (with_fwmark) {
      c.rules.push_back(json::array({match(meta("nfproto"), "ipv4"), vmap(meta("mark"), "fwm4")}));
      c.rules.push_back(json::array({match(meta("nfproto"), "ipv6"), vmap(meta("mark"), "fwm6")}));
    }
  }
  void add_tuple_maps(const std::string& family) {
    add_set(dispatch_map(family, "svc4", json::array({"ipv4_addr", "inet_proto", "inet_service"}),
                         true));
    add_set(dispatch_map(family, "svc6", json::array({"ipv6_addr", "inet_proto", "inet_service"}),
                         true));
  }

  void add_nat_base() {
    add_tuple_maps(kNatFamily);
    add_set(dispatch_map(kNatFamily, "fwm4", "mark", false));
    add_set(dispatch_map(kNatFamily, "fwm6", "mark", false));
    ChainDef& c =
        add_chain(kNatFamily, "prerouting",
                  {{"type", "nat"}, {"hook", "prerouting"}, {"prio", -100}, {"policy", "accept"}});
    add_dispatch_rules(c, true);
  }

  void ensure_dr_maps() {
    if (dr_started_) return;
    add_tuple_maps(kDrFamily);
    dr_started_ = true;
  }

  void ensure_dr_device(const std::string& dev) {
    ensure_dr_maps();
    std::string name = "in_" + identifier(dev);
    if (model_.chains.count(key_of(kDrFamily, name))) return;
    ChainDef& c = add_chain(
        kDrFamily, name,
        {{"type", "filter"}, {"hook", "ingress"}, {"dev", dev}, {"prio", 0}, {"policy", "accept"}});
    add_dispatch_rules(c, false);
  }

  netlink::Result<LvsForwarding> service_method(const Service& s) {
    std::set<LvsForwarding> methods;
    for (const Destination& d : s.destinations) methods.insert(d.forwarding);
    if (methods.empty())
      methods.insert(s.forwarding == LvsForwarding::Dr ? LvsForwarding::Dr : LvsForwarding::Nat);
    if (methods.count(LvsForwarding::Tun)) {
      return netlink::Error{
          0, s.key.to_string() + ": TUN forwarding is not supported by the nftables back end"};
    }
    if (methods.size() > 1) {
      return netlink::Error{0, s.key.to_string() +
                                   ": mixing NAT and DR destinations in one service is not "
                                   "supported by the nftables back end"};
    }
    LvsForwarding m = *methods.begin();
    if (m == LvsForwarding::Dr && s.key.fwmark != 0) {
      return netlink::Error{0, s.key.to_string() +
                                   ": DR fwmark services are not supported by the nftables back "
                                   "end (marks are not set yet at the ingress hook)"};
    }
    return m;
  }

  // NAT without persistence: the pick map holds the DNAT targets themselves (no destination
  // chains); fwmark services keep the client's port. Not when a destination has no port in a
  // port service (it keeps the client's port there, which one map type cannot mix).
  static std::optional<PickData> direct_data(const Service& s, bool dr) {
    if (dr || s.persistent()) return std::nullopt;
    if (s.key.fwmark != 0) return PickData::Addr;
    for (const Destination& d : s.destinations)
      if (d.port == 0) return std::nullopt;
    return PickData::AddrPort;
  }

  void add_direct_pick(const Service& s, PickData data, const SlotMap* previous, SlotMap* slots) {
    const std::string family = kNatFamily;
    const std::string svc_chain = "svc_" + service_id(s.key);
    const std::string pick = direct_pick_map_name(s.key);
    const char* ip = ip_proto(s.key.family);
    SetDef pick_map;
    pick_map.family = family;
    pick_map.name = pick;
    pick_map.is_map = true;
    pick_map.pick_data = data;
    pick_map.native = "add map " + family + " " + kTableName + " " + pick +
                      " { typeof numgen random mod 1 : " + ip + " daddr" +
                      (data == PickData::AddrPort ? " . " + proto_name(s.key.protocol) + " dport" : "") + "; flags interval; }";
    const std::vector<uint32_t> weights = pick_weights(s);
    std::vector<WeightedName> named_weights;
    for (size_t i = 0; i < s.destinations.size(); ++i)
      named_weights.push_back({pick_target(s, s.destinations[i]), weights[i]});
    SlotMap map = assign_slots(previous, named_weights);
    for (const RangeElement& r : slot_ranges(map))
      pick_map.elements[range_key(r)] = range_json(r, data);
    if (slots) *slots = std::move(map);
    ChainDef& sc = add_chain(family, svc_chain);
    json rule = json::array();
    // The port mapping needs a transport match in the same rule.
    if (data == PickData::AddrPort)
      rule.push_back(match(meta("l4proto"), proto_name(s.key.protocol)));
    json to = {{"map", {{"key", selector(s, false)}, {"data", "@" + pick}}}};
    json dnat = {{"dnat", {{"family", ip}, {"addr", to}}}};
    rule.push_back(std::move(dnat));
    sc.rules.push_back(std::move(rule));
    sc.rules.push_back(json::array({json{{"reject", nullptr}}}));
    add_set(std::move(pick_map));
  }

  netlink::Result<void> add_service(const Service& s, const SlotMap* previous = nullptr,
                                    SlotMap* slots = nullptr) {
    auto method = service_method(s);
    if (!method) return method.error();
    const bool dr = *method == LvsForwarding::Dr;
    const std::string family = dr ? kDrFamily : kNatFamily;
    const std::string id = service_id(s.key);
    const std::string svc_chain = "svc_" + id;
    const std::string pick = pick_map_name(s.key);

    // Resolve DR devices first: the ingress chains must exist before anything dispatches.
    std::vector<std::string> devs;
    for (const Destination& d : s.destinations) {
      if (!dr) break;
      std::optional<std::string> dev = device_of_ ? device_of_(d.address) : std::nullopt;
      if (!dev) {
        return netlink::Error{0, s.key.to_string() + ": no interface towards DR destination " +
                                     d.address.to_string()};
      }
      ensure_dr_device(*dev);
      devs.push_back(*dev);
    }
    if (dr) ensure_dr_maps();

    // Dispatch element: the service's tuple (or fwmark) → its chain.
    if (s.key.fwmark != 0) {
      SetDef& m = model_.sets.at(key_of(family, s.key.family == Family::V6 ? "fwm6" : "fwm4"));
      json k = s.key.fwmark;
      m.elements[k.dump()] = json::array({k, goto_chain(svc_chain)});
    } else {
      SetDef& m = model_.sets.at(key_of(family, s.key.family == Family::V6 ? "svc6" : "svc4"));
      json port = s.key.port == 0 ? json{{"range", json::array({0, 65535})}} : json(s.key.port);
      json k = {
          {"concat", json::array({s.key.address.to_string(), proto_name(s.key.protocol), port})}};
      m.elements[k.dump()] = json::array({k, goto_chain(svc_chain)});
    }

    if (const std::optional<PickData> direct = direct_data(s, dr)) {
      add_direct_pick(s, *direct, previous, slots);
      return {};
    }
    SetDef pick_map;
    pick_map.family = family;
    pick_map.name = pick;
    pick_map.is_map = true;
    pick_map.native = "add map " + family + " " + kTableName + " " + pick +
                      " { typeof numgen random mod 1 : verdict; flags interval; }";
    ChainDef& sc = add_chain(family, svc_chain);
    const std::vector<uint32_t> weights = pick_weights(s);
    std::vector<WeightedName> named_weights;
    for (size_t i = 0; i < s.destinations.size(); ++i) {
      const Destination& d = s.destinations[i];
      const std::string dchain = destination_chain_name(s.key, d);
      named_weights.push_back({dchain, weights[i]});
      ChainDef& dc = add_chain(family, dchain);
      if (s.persistent()) {
        // A client seen within persistence_timeout goes back to the same destination; the
        // set entry is refreshed by each new connection (IPVS: after the last one ends).
        const std::string pset = "per_" + id + "_" + dest_id(d) + "_" +
                                 std::to_string(s.persistence_timeout) + "_" +
                                 std::to_string(s.persistence_granularity);
        SetDef ps;
        ps.family = family;
        ps.name = pset;
        ps.add = {{"set",
                   {{"family", family},
                    {"table", kTableName},
                    {"name", pset},
                    {"type", s.key.family == Family::V6 ? "ipv6_addr" : "ipv4_addr"},
                    {"flags", json::array({"timeout"})},
                    {"timeout", s.persistence_timeout}}}};
        add_set(std::move(ps));
        sc.rules.push_back(json::array({match(client_key(s), "@" + pset), goto_chain(dchain)}));
        dc.rules.push_back(json::array(
            {{{"set", {{"op", "update"}, {"elem", client_key(s)}, {"set", "@" + pset}}}}}));
      }
      dc.rules.push_back(destination_rule(s, d, dr, dr ? devs[i] : std::string()));
    }
    SlotMap map = assign_slots(previous, named_weights);
    for (const RangeElement& r : slot_ranges(map))
      pick_map.elements[range_key(r)] = range_json(r, PickData::Goto);
    if (slots) *slots = std::move(map);
    sc.rules.push_back(json::array({vmap(selector(s, dr), pick)}));
    // No destination (or all at weight 0): refuse as IPVS does (ICMP port unreachable / drop
    // at ingress), rather than letting the director's own stack answer for the VIP.
    sc.rules.push_back(json::array({dr ? json{{"drop", nullptr}} : json{{"reject", nullptr}}}));
    add_set(std::move(pick_map));
    return {};
  }

  const DeviceResolver& device_of_;
  Model model_;
  bool dr_started_ = false;
};

json table_ref(const std::string& family) {
  return {{"family", family}, {"table", kTableName}};
}

json named(const std::string& family, const std::string& name) {
  json j = table_ref(family);
  j["name"] = name;
  return j;
}

json element_cmd(const char* op, const SetDef& s, const json& elems) {
  json e = named(s.family, s.name);
  e["elem"] = elems;
  return {{op, {{"element", e}}}};
}

bool starts_with(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

bool is_pick_map(const SetDef& s) {
  return s.is_map && starts_with(s.name, "pick_");
}

// A pick-map element [{"range": [a, b]}, DATA] as a RangeElement; DATA is
// {"goto": {"target": chain}}, {"concat": [addr, port]} or "addr".
RangeElement range_element(const json& e) {
  RangeElement r;
  r.first = e[0]["range"][0].get<uint32_t>();
  r.last = e[0]["range"][1].get<uint32_t>();
  const json& data = e[1];
  if (data.is_string()) {
    r.target = data.get<std::string>();
  } else if (data.contains("concat")) {
    r.target = data["concat"][0].get<std::string>() + " " +
               std::to_string(data["concat"][1].get<uint32_t>());
  } else {
    r.target = data["goto"]["target"].get<std::string>();
  }
  return r;
}

}  // namespace

std::string identifier(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) c = '_';
  }
  return out;
}

netlink::Result<Model> render(const DesiredState& state, const DeviceResolver& device_of) {
  return Renderer(device_of).run(state);
}

netlink::Result<Model> render_service(const Service& service, const DeviceResolver& device_of,
                                      const SlotMap* previous, SlotMap* slots) {
  return Renderer(device_of).run_service(service, previous, slots);
}

std::vector<uint32_t> pick_weights(const Service& s) {
  std::vector<uint32_t> w;
  for (const Destination& d : s.destinations) w.push_back(d.weight);
  if (s.scheduler == LvsScheduler::Fo && !w.empty()) {
    size_t best = static_cast<size_t>(std::max_element(w.begin(), w.end()) - w.begin());
    for (size_t i = 0; i < w.size(); ++i) w[i] = i == best ? w[i] : 0;
  }
  return w;
}

std::string pick_map_name(const ServiceKey& key) {
  return "pick_" + service_id(key);
}

std::string destination_chain_name(const ServiceKey& key, const Destination& d) {
  return "dst_" + service_id(key) + "_" + dest_id(d);
}

netlink::Result<ChainDef> render_destination(const Service& service, const Destination& d,
                                             const DeviceResolver& device_of) {
  if (d.forwarding == LvsForwarding::Tun)
    return netlink::Error{
        0, service.key.to_string() + ": TUN forwarding is not supported by the nftables back end"};
  const bool dr = d.forwarding == LvsForwarding::Dr;
  std::string dev;
  if (dr) {
    std::optional<std::string> found = device_of ? device_of(d.address) : std::nullopt;
    if (!found || service.key.fwmark != 0)
      return netlink::Error{
          0, service.key.to_string() + ": no DR route to destination " + d.address.to_string()};
    dev = *found;
  }
  ChainDef c;
  c.family = dr ? kDrFamily : kNatFamily;
  c.name = destination_chain_name(service.key, d);
  c.rules.push_back(destination_rule(service, d, dr, dev));
  return c;
}

std::string range_key(const RangeElement& r) {
  return R"({"range":[)" + std::to_string(r.first) + "," + std::to_string(r.last) + "]}";
}

json range_json(const RangeElement& r, PickData data) {
  json k = {{"range", json::array({r.first, r.last})}};
  if (data == PickData::Goto) return json::array({k, goto_chain(r.target)});
  const size_t space = r.target.find(' ');
  if (data == PickData::Addr || space == std::string::npos)
    return json::array({k, r.target.substr(0, space)});
  json port = static_cast<uint32_t>(std::stoul(r.target.substr(space + 1)));
  json concat = {{"concat", json::array({r.target.substr(0, space), port})}};
  return json::array({k, concat});
}

std::string direct_pick_map_name(const ServiceKey& key) {
  return pick_map_name(key) + "_nat";
}

std::string pick_target(const Service& service, const Destination& d) {
  if (service.key.fwmark != 0) return d.address.to_string();
  return d.address.to_string() + " " + std::to_string(d.port);
}

bool is_shared_object(const std::string& name) {
  for (const char* own : {"svc_", "pick_", "dst_", "per_"})
    if (starts_with(name, own)) return false;
  return true;
}

Model shared_part(const Model& m) {
  Model out;
  for (const auto& [k, s] : m.sets) {
    if (!is_shared_object(s.name)) continue;
    SetDef bare = s;
    bare.elements.clear();
    out.sets.emplace(k, std::move(bare));
  }
  for (const auto& [k, c] : m.chains)
    if (is_shared_object(c.name)) out.chains.emplace(k, c);
  return out;
}

void merge_into(Model& into, const Model& part) {
  for (const auto& [k, s] : part.sets) {
    auto [it, inserted] = into.sets.try_emplace(k, s);
    if (!inserted)
      for (const auto& [ek, e] : s.elements) it->second.elements.try_emplace(ek, e);
  }
  for (const auto& [k, c] : part.chains) into.chains.try_emplace(k, c);
}

Model skeleton(const std::vector<const Model*>& parts) {
  static const Model kBase = *render(DesiredState{}, {});
  Model out = kBase;
  for (const Model* m : parts) {
    for (const auto& [k, s] : m->sets) {
      if (!is_shared_object(s.name) || out.sets.count(k)) continue;
      SetDef bare = s;
      bare.elements.clear();
      out.sets.emplace(k, std::move(bare));
    }
    for (const auto& [k, c] : m->chains)
      if (is_shared_object(c.name)) out.chains.try_emplace(k, c);
  }
  return out;
}

std::string remove_all_native() {
  std::string out;
  for (const char* family : {kNatFamily, kDrFamily}) {
    // "add" first makes the delete succeed whether or not the table exists.
    out += std::string("add table ") + family + " " + kTableName + "\n";
    out += std::string("delete table ") + family + " " + kTableName + "\n";
  }
  return out;
}

Batch diff(const Model* prev, const Model& next, DiffOptions options) {
  static const Model kEmpty;
  const Model& old = prev ? *prev : kEmpty;
  const bool raw = options.raw_pick_elements && prev;
  Batch b;
  json cmds = json::array();
  json after = json::array();
  if (!prev) b.native = remove_all_native();

  std::set<std::string> families;
  for (const auto& [k, s] : next.sets) families.insert(s.family);
  for (const auto& [k, c] : next.chains) families.insert(c.family);
  std::set<std::string> old_families;
  for (const auto& [k, s] : old.sets) old_families.insert(s.family);
  for (const auto& [k, c] : old.chains) old_families.insert(c.family);
  bool new_native = false;
  for (const auto& [k, s] : next.sets) new_native |= !s.native.empty() && !old.sets.count(k);
  if (new_native || !prev) {
    for (const std::string& f : families) b.native += "add table " + f + " " + kTableName + "\n";
  }
  for (const std::string& f : families) {
    if (old_families.count(f)) continue;
    cmds.push_back({{"add", {{"table", {{"family", f}, {"name", kTableName}}}}}});
  }
  // Pick-map element changes taken out of the JSON batch (raw), by map.
  std::map<std::string, PickUpdate> picks;
  auto pick_update = [&](const SetDef& s) -> PickUpdate& {
    PickUpdate& u = picks[key_of(s.family, s.name)];
    u.family = s.family;
    u.map = s.name;
    u.data = s.pick_data;
    return u;
  };

  // 1. New sets/maps and chains (chains empty for now: rules may reference each other).
  for (const auto& [k, s] : next.sets) {
    if (old.sets.count(k)) continue;
    if (!s.native.empty()) {
      b.native += s.native + "\n";
    } else {
      cmds.push_back({{"add", s.add}});
    }
  }
  for (const auto& [k, c] : next.chains) {
    if (old.chains.count(k)) continue;
    json body = named(c.family, c.name);
    if (!c.base.is_null()) body.update(c.base);
    cmds.push_back({{"add", {{"chain", body}}}});
  }
  // 2./3. Elements: removed ones first (a range moving between destinations is a delete and
  // an add), then the new ones.
  for (const auto& [k, s] : next.sets) {
    auto it = old.sets.find(k);
    if (it == old.sets.end()) continue;
    const bool raw_map = raw && is_pick_map(s);
    json gone = json::array();
    for (const auto& [ek, e] : it->second.elements) {
      auto n = s.elements.find(ek);
      if (n != s.elements.end() && n->second == e) continue;
      if (raw_map)
        pick_update(s).removed.push_back(range_element(e));
      else
        gone.push_back(s.is_map ? e[0] : e);
    }
    if (!gone.empty()) cmds.push_back(element_cmd("delete", s, gone));
  }
  for (const auto& [k, s] : next.sets) {
    auto it = old.sets.find(k);
    const bool raw_map = raw && is_pick_map(s);
    json added = json::array();
    for (const auto& [ek, e] : s.elements) {
      if (it != old.sets.end()) {
        auto o = it->second.elements.find(ek);
        if (o != it->second.elements.end() && o->second == e) continue;
      }
      if (raw_map)
        pick_update(s).added.push_back(range_element(e));
      else
        added.push_back(e);
    }
    if (!added.empty()) cmds.push_back(element_cmd("add", s, added));
  }
  // 4. Rules of new and changed chains; removed chains are emptied so nothing references
  // the objects deleted next.
  for (const auto& [k, c] : next.chains) {
    auto it = old.chains.find(k);
    if (it != old.chains.end() && it->second.rules == c.rules) continue;
    if (it != old.chains.end()) cmds.push_back({{"flush", {{"chain", named(c.family, c.name)}}}});
    for (const json& expr : c.rules) {
      json r = table_ref(c.family);
      r["chain"] = c.name;
      r["expr"] = expr;
      cmds.push_back({{"add", {{"rule", r}}}});
    }
  }
  // Removals run after the pick-map elements (raw) stopped pointing at them.
  json& removals = raw ? after : cmds;
  // Destination chains are reached only from pick maps and svc chains (both updated before):
  // the raw batch deletes them with their rules (the kernel's chain delete takes the rules).
  // When a whole service goes, its pick map still points at them until `after` deletes it.
  bool service_gone = false;
  for (const auto& [k, c] : old.chains)
    service_gone |= starts_with(c.name, "svc_") && !next.chains.count(k);
  // Nor when their pick map goes (a service changing to a direct map): its elements point at
  // the chains until `after` deletes it.
  for (const auto& [k, m] : old.sets)
    service_gone |= is_pick_map(m) && m.pick_data == PickData::Goto && !next.sets.count(k);
  auto raw_drop = [&](const ChainDef& c) {
    return raw && !service_gone && starts_with(c.name, "dst_");
  };
  for (const auto& [k, c] : old.chains) {
    if (next.chains.count(k)) continue;
    if (raw_drop(c))
      b.dropped_chains.push_back({c.family, c.name});
    else
      removals.push_back({{"flush", {{"chain", named(c.family, c.name)}}}});
  }
  // 5./6. Removed sets/maps, then removed chains (no longer referenced by any rule/element).
  for (const auto& [k, s] : old.sets) {
    if (!next.sets.count(k)) {
      removals.push_back({{"delete", {{s.is_map ? "map" : "set", named(s.family, s.name)}}}});
    }
  }
  for (const auto& [k, c] : old.chains) {
    if (!next.chains.count(k) && !raw_drop(c))
      removals.push_back({{"delete", {{"chain", named(c.family, c.name)}}}});
  }
  for (auto& [k, u] : picks) b.picks.push_back(std::move(u));
  b.json = {{"nftables", cmds}};
  b.after = {{"nftables", after}};
  return b;
}

}  // namespace vigil::lb::nft
