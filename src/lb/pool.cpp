#include "lb/pool.h"

#include <algorithm>
#include <utility>

namespace vigil::lb {
namespace {

// Group address ranges are expanded into one service per address, as keepalived does for
// IPVS; a bound keeps a typo ("10.0.0.1-10.255.255.255") from exhausting memory.
constexpr size_t kMaxRangeAddresses = 65536;

bool has_checkers_and_alpha(const conf::VirtualServer& vs, const conf::RealServer& rs) {
  if (rs.checkers.empty()) return false;
  return rs.timing.alpha.value_or(vs.timing.alpha.value_or(false));
}

// The next address (host-order increment over all bytes); nullopt on wrap-around.
std::optional<IpAddress> next_address(const IpAddress& a) {
  if (a.is_v4()) {
    uint32_t h = a.v4_host_order();
    if (h == 0xffffffffu) return std::nullopt;
    return IpAddress::v4_from_host(h + 1);
  }
  in6_addr b = a.to_in6_addr();
  for (int i = 15; i >= 0; --i) {
    if (++b.s6_addr[i] != 0) return IpAddress::v6(b);
  }
  return std::nullopt;
}

Family fwmark_family(const conf::VirtualServer& vs, std::optional<Family> entry_family) {
  if (entry_family) return *entry_family;
  if (vs.ip_family) return *vs.ip_family;
  if (!vs.real_servers.empty()) return vs.real_servers.front().address.family();
  return Family::V4;
}

Destination make_destination(const IpAddress& address, uint16_t port, uint32_t weight,
                             const conf::ForwardingMethod& fwd) {
  Destination d;
  d.address = address;
  d.port = port;
  d.weight = weight;
  d.forwarding = fwd.method;
  d.tunnel_type = fwd.tunnel_type;
  d.tunnel_port = fwd.tunnel_port;
  d.tunnel_checksum = fwd.tunnel_checksum;
  return d;
}

}  // namespace

Pool::Pool(const conf::LvsConfig& lvs) : lvs_(&lvs), state_(lvs.virtual_servers.size()) {
  for (size_t v = 0; v < lvs.virtual_servers.size(); ++v) {
    const conf::VirtualServer& vs = lvs.virtual_servers[v];
    state_[v].rs.resize(vs.real_servers.size());
    for (size_t r = 0; r < vs.real_servers.size(); ++r) {
      state_[v].rs[r].up = !has_checkers_and_alpha(vs, vs.real_servers[r]);
    }
    update_quorum(v);
  }
  find_shared_keys();
}

void Pool::reconfigure(const conf::LvsConfig& next, const conf::LvsMatch& match) {
  std::vector<VsState> old = std::move(state_);
  lvs_ = &next;
  state_.assign(next.virtual_servers.size(), VsState{});
  for (size_t v = 0; v < next.virtual_servers.size(); ++v) {
    const conf::VirtualServer& vs = next.virtual_servers[v];
    VsState& st = state_[v];
    // Plain indices (npos = none): gcc 12 sees an optional's value as maybe-uninitialized.
    constexpr size_t npos = static_cast<size_t>(-1);
    size_t ov = npos;
    if (v < match.vs_from.size() && match.vs_from[v] && *match.vs_from[v] < old.size())
      ov = *match.vs_from[v];
    if (ov != npos) {
      st.quorum_up = old[ov].quorum_up;
      st.vip_held = old[ov].vip_held;
    }
    st.rs.resize(vs.real_servers.size());
    for (size_t r = 0; r < vs.real_servers.size(); ++r) {
      size_t orr = npos;
      if (ov != npos && r < match.rs_from[v].size() && match.rs_from[v][r] &&
          *match.rs_from[v][r] < old[ov].rs.size())
        orr = *match.rs_from[v][r];
      if (orr != npos)
        st.rs[r] = old[ov].rs[orr];
      else
        st.rs[r].up = !has_checkers_and_alpha(vs, vs.real_servers[r]);
    }
    update_quorum(v);
  }
  all_changed_ = true;
  changed_vs_.clear();
  find_shared_keys();
}

uint32_t Pool::effective_weight(const conf::RealServer& rs, const RealServerInput& in) const {
  if (in.drained) return 0;
  return in.weight.value_or(rs.weight);
}

void Pool::set_real_server(RealServerKey key, RealServerInput in) {
  if (key.vs_index >= state_.size() || key.rs_index >= state_[key.vs_index].rs.size()) return;
  RealServerInput& cur = state_[key.vs_index].rs[key.rs_index];
  if (cur.up != in.up) {
    events_.push_back({in.up ? PoolEvent::Kind::RealServerUp : PoolEvent::Kind::RealServerDown,
                       key.vs_index, key.rs_index});
  }
  if (!(cur == in) && (changed_vs_.empty() || changed_vs_.back() != key.vs_index))
    changed_vs_.push_back(key.vs_index);
  cur = in;
  update_quorum(key.vs_index);
}

const RealServerInput* Pool::real_server(RealServerKey key) const {
  if (key.vs_index >= state_.size() || key.rs_index >= state_[key.vs_index].rs.size())
    return nullptr;
  return &state_[key.vs_index].rs[key.rs_index];
}

void Pool::set_vip_held(size_t vs_index, bool held) {
  if (vs_index >= state_.size() || state_[vs_index].vip_held == held) return;
  state_[vs_index].vip_held = held;
  all_changed_ = true;
}

bool Pool::quorum_up(size_t vs_index) const {
  return vs_index < state_.size() && state_[vs_index].quorum_up;
}

uint64_t Pool::live_weight(size_t vs_index) const {
  if (vs_index >= state_.size()) return 0;
  const conf::VirtualServer& vs = lvs_->virtual_servers[vs_index];
  uint64_t sum = 0;
  for (size_t r = 0; r < vs.real_servers.size(); ++r) {
    const RealServerInput& in = state_[vs_index].rs[r];
    if (in.up) sum += effective_weight(vs.real_servers[r], in);
  }
  return sum;
}

// keepalived's hysteresis: the quorum is lost below quorum - hysteresis and regained only at
// quorum + hysteresis, so a pool hovering at the threshold does not flap.
void Pool::update_quorum(size_t vs_index) {
  const conf::VirtualServer& vs = lvs_->virtual_servers[vs_index];
  VsState& st = state_[vs_index];
  const int64_t live = static_cast<int64_t>(live_weight(vs_index));
  const int64_t quorum = vs.quorum;
  const int64_t hysteresis = vs.hysteresis;
  if (st.quorum_up && live < quorum - hysteresis) {
    st.quorum_up = false;
    events_.push_back({PoolEvent::Kind::QuorumDown, vs_index, std::nullopt});
  } else if (!st.quorum_up && live >= quorum + hysteresis) {
    st.quorum_up = true;
    events_.push_back({PoolEvent::Kind::QuorumUp, vs_index, std::nullopt});
  }
}

std::vector<PoolEvent> Pool::take_events() {
  std::vector<PoolEvent> out;
  out.swap(events_);
  return out;
}

std::vector<PoolEvent> Pool::shutdown_events() const {
  std::vector<PoolEvent> out;
  for (size_t v = 0; v < state_.size(); ++v) {
    const conf::VirtualServer& vs = lvs_->virtual_servers[v];
    if (!vs.omega) continue;
    for (size_t r = 0; r < state_[v].rs.size(); ++r) {
      if (state_[v].rs[r].up) out.push_back({PoolEvent::Kind::RealServerDown, v, r});
    }
    if (state_[v].quorum_up) out.push_back({PoolEvent::Kind::QuorumDown, v, std::nullopt});
  }
  return out;
}

// Destinations before the per-service port default is applied (port 0 = "the service's").
std::vector<Destination> Pool::destinations(size_t vs_index) const {
  const conf::VirtualServer& vs = lvs_->virtual_servers[vs_index];
  const VsState& st = state_[vs_index];
  // With a sorry server, losing the quorum takes every real server out and puts the sorry
  // server in; inhibited real servers stay, at weight 0.
  const bool sorry_active = vs.sorry_server && !st.quorum_up;
  std::vector<Destination> out;
  for (size_t r = 0; r < vs.real_servers.size(); ++r) {
    const conf::RealServer& rs = vs.real_servers[r];
    const RealServerInput& in = st.rs[r];
    const bool inhibit = conf::effective_inhibit_on_failure(vs, rs);
    uint32_t weight = 0;
    if (in.up && !sorry_active) {
      weight = effective_weight(rs, in);
    } else if (!inhibit) {
      continue;
    }
    Destination d = make_destination(rs.address, rs.port.value_or(0), weight,
                                     conf::effective_forwarding(vs, rs));
    d.upper_threshold = rs.uthreshold.value_or(0);
    d.lower_threshold = rs.lthreshold.value_or(0);
    out.push_back(d);
  }
  if (vs.sorry_server && (sorry_active || vs.sorry_server_inhibit)) {
    conf::ForwardingMethod fwd =
        vs.sorry_server_forwarding.value_or(vs.forwarding.value_or(conf::ForwardingMethod{}));
    out.push_back(make_destination(vs.sorry_server->address, vs.sorry_server->port.value_or(0),
                                   sorry_active ? 1 : 0, fwd));
  }
  return out;
}

void Pool::add_services(size_t vs_index, std::vector<Service>& out) const {
  const conf::VirtualServer& vs = lvs_->virtual_servers[vs_index];
  Service base;
  base.scheduler = conf::effective_scheduler(vs);
  base.forwarding = vs.forwarding.value_or(conf::ForwardingMethod{}).method;
  if (vs.persistence_timeout) {
    base.persistence_timeout = *vs.persistence_timeout;
    base.flags |= kSvcPersistent;
  }
  if (vs.ops) base.flags |= kSvcOnePacket;
  if (vs.flag_1) base.flags |= kSvcSched1;
  if (vs.flag_2) base.flags |= kSvcSched2;
  if (vs.flag_3) base.flags |= kSvcSched3;
  base.persistence_engine = vs.persistence_engine.value_or("");
  const std::vector<Destination> dests = destinations(vs_index);

  auto emit = [&](const ServiceKey& key) {
    Service s = base;
    const uint8_t full = key.family == Family::V6 ? 128 : 32;
    s.persistence_granularity = std::min(vs.persistence_granularity.value_or(full), full);
    s.key = key;
    for (Destination d : dests) {
      if (d.address.family() != key.family && d.forwarding != conf::LvsForwarding::Tun) continue;
      if (d.port == 0 && key.fwmark == 0) d.port = key.port;
      auto same = [&](const Destination& o) { return o.address == d.address && o.port == d.port; };
      if (std::none_of(s.destinations.begin(), s.destinations.end(), same))
        s.destinations.push_back(d);
    }
    std::sort(s.destinations.begin(), s.destinations.end(), [](const auto& a, const auto& b) {
      return std::tie(a.address, a.port) < std::tie(b.address, b.port);
    });
    out.push_back(std::move(s));
  };

  for_each_key(vs_index, emit);
}

// The service keys of a virtual server: its address, fwmark, or every entry of its group.
template <typename Fn>
void Pool::for_each_key(size_t vs_index, Fn&& emit) const {
  const conf::VirtualServer& vs = lvs_->virtual_servers[vs_index];
  const conf::LvsProtocol protocol = conf::effective_protocol(vs);
  switch (vs.kind) {
    case conf::VirtualServerKind::Address:
      emit({vs.address.family(), 0, protocol, vs.address, vs.port.value_or(0)});
      break;
    case conf::VirtualServerKind::Fwmark:
      emit({fwmark_family(vs, std::nullopt), vs.fwmark, protocol, IpAddress{}, 0});
      break;
    case conf::VirtualServerKind::Group: {
      auto g = std::find_if(lvs_->groups.begin(), lvs_->groups.end(),
                            [&](const conf::VirtualServerGroup& x) { return x.name == vs.group; });
      if (g == lvs_->groups.end()) break;  // validation reports unknown groups
      for (const conf::VirtualServerGroupEntry& e : g->entries) {
        if (e.is_fwmark) {
          emit({fwmark_family(vs, e.family), e.fwmark, protocol, IpAddress{}, 0});
          continue;
        }
        std::optional<IpAddress> a = e.first;
        for (size_t n = 0; a && *a <= e.last && n < kMaxRangeAddresses; ++n) {
          emit({a->family(), 0, protocol, *a, e.port.value_or(vs.port.value_or(0))});
          a = next_address(*a);
        }
      }
      break;
    }
  }
}

DesiredState Pool::desired() const {
  DesiredState st;
  for (size_t v = 0; v < state_.size(); ++v) {
    if (lvs_->virtual_servers[v].ha_suspend && !state_[v].vip_held) continue;
    add_services(v, st.services);
  }
  std::stable_sort(st.services.begin(), st.services.end(),
                   [](const Service& a, const Service& b) { return a.key < b.key; });
  // Two virtual servers claiming one service (validation should prevent it): first one wins.
  st.services.erase(std::unique(st.services.begin(), st.services.end(),
                                [](const Service& a, const Service& b) { return a.key == b.key; }),
                    st.services.end());
  return st;
}

}  // namespace vigil::lb

namespace vigil::lb {

std::optional<std::vector<size_t>> Pool::take_changed() {
  std::vector<size_t> out;
  out.swap(changed_vs_);
  if (std::exchange(all_changed_, false)) return std::nullopt;
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<Service> Pool::services(size_t vs_index) const {
  std::vector<Service> out;
  if (vs_index >= state_.size()) return out;
  if (lvs_->virtual_servers[vs_index].ha_suspend && !state_[vs_index].vip_held) return out;
  add_services(vs_index, out);
  return out;
}

bool Pool::shares_services(size_t vs_index) const {
  return vs_index >= shared_keys_.size() || shared_keys_[vs_index];
}

void Pool::find_shared_keys() {
  std::vector<std::pair<ServiceKey, size_t>> keys;
  for (size_t v = 0; v < state_.size(); ++v)
    for_each_key(v, [&](const ServiceKey& k) { keys.emplace_back(k, v); });
  std::sort(keys.begin(), keys.end());
  shared_keys_.assign(state_.size(), false);
  for (size_t i = 1; i < keys.size(); ++i) {
    if (!(keys[i].first == keys[i - 1].first)) continue;
    // The same virtual server twice (a group listing an address twice) is harmless.
    if (keys[i].second == keys[i - 1].second) continue;
    shared_keys_[keys[i].second] = shared_keys_[keys[i - 1].second] = true;
  }
}

}  // namespace vigil::lb
