#include "conf/json_common.h"

namespace vigil::conf::json_detail {

json j(const ScriptCommand& s) {
  if (s.empty()) return nullptr;
  return {{"command", s.command}, {"argv", s.argv}, {"user", j(s.user)}, {"group", j(s.group)}};
}

json j(const NotifyFifo& f) {
  return {{"path", f.path}, {"user", j(f.user)}, {"group", j(f.group)}, {"script", j(f.script)}};
}

json j(const TrackRef& r) {
  return {{"name", r.name}, {"weight", j(r.weight)}, {"reverse", r.reverse}};
}

json j(const TrackedInterface& t) {
  return {{"name", t.name}, {"weight", t.weight}, {"reverse", t.reverse}};
}

json j(AddressScope s) {
  static const char* kNames[] = {"global", "site", "link", "host", "nowhere"};
  return kNames[static_cast<int>(s)];
}

json j(const VirtualAddress& a) {
  static const char* kBrd[] = {nullptr, "address", "+", "-"};
  json brd = nullptr;
  if (a.broadcast == VirtualAddress::Broadcast::Address)
    brd = j(a.broadcast_address);
  else if (a.broadcast != VirtualAddress::Broadcast::None)
    brd = kBrd[int(a.broadcast)];
  json lft = nullptr;
  if (a.preferred_lft)
    lft = *a.preferred_lft == UINT32_MAX ? json("forever") : json(*a.preferred_lft);
  return {{"address", j(a.address)},
          {"broadcast", brd},
          {"dev", j(a.dev)},
          {"use_vmac", a.use_vmac},
          {"scope", j(a.scope)},
          {"label", j(a.label)},
          {"peer", j(a.peer)},
          {"home", a.home},
          {"nodad", a.nodad},
          {"mngtmpaddr", a.mngtmpaddr},
          {"noprefixroute", a.noprefixroute},
          {"autojoin", a.autojoin},
          {"no_track", a.no_track},
          {"preferred_lft", lft},
          {"track_group", j(a.track_group)}};
}

json j(const Route& r) {
  static const char* kTypes[] = {"unicast",   "local",     "broadcast",   "anycast",
                                 "multicast", "blackhole", "unreachable", "prohibit",
                                 "throw",     "nat",       "xresolve"};
  json nh = json::array();
  for (const auto& h : r.nexthops)
    nh.push_back({{"via", j(h.via)},
                  {"dev", j(h.dev)},
                  {"weight", j(h.weight)},
                  {"onlink", h.onlink},
                  {"realms", j(h.realms)}});
  json metrics = json::object();
  for (const auto& [k, v] : r.metrics) metrics[k] = v;
  json scope = r.scope ? j(*r.scope) : json(nullptr);
  return {{"type", kTypes[int(r.type)]},
          {"destination", j(r.destination)},
          {"src", j(r.src)},
          {"from", j(r.from)},
          {"via", j(r.via)},
          {"or_via", j(r.or_via)},
          {"dev", j(r.dev)},
          {"scope", scope},
          {"table", j(r.table)},
          {"metric", j(r.metric)},
          {"protocol", j(r.protocol)},
          {"tos", j(r.tos)},
          {"realms", j(r.realms)},
          {"metrics", metrics},
          {"locked_metrics", r.locked_metrics},
          {"congctl", j(r.congctl)},
          {"congctl_lock", r.congctl_lock},
          {"features_ecn", r.features_ecn},
          {"pref", j(r.pref)},
          {"vrf", j(r.vrf)},
          {"nexthops", nh},
          {"onlink", r.onlink},
          {"append", r.append},
          {"inet6", r.inet6},
          {"no_track", r.no_track},
          {"track_group", j(r.track_group)}};
}

json j(const Rule& r) {
  static const char* kActions[] = {"table", "goto", "nop", "blackhole", "unreachable", "prohibit"};
  auto range = [](const auto& o) -> json {
    if (!o) return nullptr;
    return json::array({o->first, o->second});
  };
  return {{"not", r.invert},
          {"from", j(r.from)},
          {"to", j(r.to)},
          {"action", kActions[int(r.action)]},
          {"table", j(r.table)},
          {"goto", j(r.goto_target)},
          {"preference", j(r.preference)},
          {"iif", j(r.iif)},
          {"oif", j(r.oif)},
          {"tos", j(r.tos)},
          {"fwmark", j(r.fwmark)},
          {"fwmask", j(r.fwmask)},
          {"realms", j(r.realms)},
          {"uidrange", range(r.uidrange)},
          {"l3mdev", r.l3mdev},
          {"protocol", j(r.protocol)},
          {"ip_proto", j(r.ip_proto)},
          {"sport", range(r.sport)},
          {"dport", range(r.dport)},
          {"suppress_prefixlength", j(r.suppress_prefixlength)},
          {"suppress_ifgroup", j(r.suppress_ifgroup)},
          {"family", r.is_v6() ? "inet6" : "inet"},
          {"no_track", r.no_track},
          {"track_group", j(r.track_group)}};
}

}  // namespace vigil::conf::json_detail
