// Router::status() and the maintenance priority offset: the operator's side of the runtime,
// kept out of router.cpp so that file stays about packets, timers and kernel effects.
#include <algorithm>

#include "vrrp/router.h"

namespace vigil::vrrp {

namespace {

std::optional<std::string> group_of(const conf::Config& config, const std::string& instance) {
  for (const auto& g : config.sync_groups)
    for (const auto& m : g.members)
      if (m.name == instance) return g.name;
  return std::nullopt;
}

}  // namespace

std::vector<State> Router::states() const {
  std::vector<State> out;
  for (const InstanceView& v : instances()) out.push_back(v.instance->state());
  return out;
}

RouterStatus Router::status() const {
  RouterStatus out;
  const MonoTime mono_now = loop_.now();
  const WallTime wall_now = std::chrono::system_clock::now();
  for (const InstanceView& v : instances()) {
    const Instance& in = *v.instance;
    const Fsm& fsm = in.fsm();
    InstanceStatus st;
    st.name = in.name();
    st.interface = v.interface.empty() ? config().global.default_interface : v.interface;
    st.vrid = in.vrid();
    st.version = v.config->version;
    st.family = v.config->family;
    st.state = in.state();
    st.base_priority = in.base_priority();
    st.effective_priority = fsm.effective_priority();
    st.priority_offset = in.priority_offset();
    const IpAddress& primary = fsm.config().primary_address;
    if (!primary.is_unspecified()) st.primary_address = primary;
    if (st.state == State::Master) {
      st.master_address = st.primary_address;
      st.master_priority = st.effective_priority;
    } else if (st.state == State::Backup && fsm.master_address()) {
      st.master_address = fsm.master_address();
      st.master_priority = fsm.master_priority();
    }
    st.advert_interval = fsm.config().advert_interval;
    st.master_advert_interval = fsm.master_advert_interval();
    st.master_down_interval = fsm.master_down_interval();
    for (const auto& a : v.config->vips) st.addresses.push_back(a.address.to_string());
    for (const auto& a : v.config->excluded_vips) st.addresses.push_back(a.address.to_string());
    st.addresses_held = v.addresses_present;
    st.fault_reason = in.fault_reason();
    st.sync_group = group_of(config(), st.name);
    st.counters = in.counters();
    if (const auto& t = in.last_transition())
      st.last_transition =
          TransitionStatus{t->from, t->to, wall_time_of(t->at, mono_now, wall_now), t->reason};
    out.instances.push_back(std::move(st));
  }
  for (const auto& g : config().sync_groups) {
    SyncGroupStatus gs;
    gs.name = g.name;
    std::optional<State> common;
    bool agree = true;
    for (const auto& m : g.members) {
      gs.members.push_back(m.name);
      auto it = std::find_if(out.instances.begin(), out.instances.end(),
                             [&](const InstanceStatus& i) { return i.name == m.name; });
      if (it == out.instances.end()) continue;
      if (common && *common != it->state) agree = false;
      common = it->state;
    }
    gs.state = agree && common ? *common : State::Initialize;
    out.sync_groups.push_back(std::move(gs));
  }
  out.vrid_errors = vrid_errors_;
  return out;
}

bool Router::set_priority_offset(const std::string& instance, int offset) {
  for (const InstanceView& v : instances()) {
    if (v.instance->name() != instance) continue;
    // instances() hands out read-only views; the Router owns the instance and may change it.
    const_cast<Instance*>(v.instance)->set_priority_offset(offset, loop_.now());
    return true;
  }
  return false;
}

}  // namespace vigil::vrrp
