#include "vrrp/instance.h"

#include <utility>

namespace vigil::vrrp {

Instance::Instance(std::string name, FsmConfig fsm, InstanceWire wire, InstanceIo& io)
    : name_(std::move(name)),
      fsm_(fsm),
      wire_(std::move(wire)),
      io_(io),
      base_priority_(fsm.priority) {}

RxConfig Instance::rx_config() const {
  RxConfig rx;
  rx.vrid = vrid();
  rx.version = wire_.version;
  rx.auth = wire_.auth;
  rx.auth_pass = wire_.auth_pass;
  rx.strict = wire_.strict;
  rx.unicast = wire_.unicast;
  if (wire_.version == Version::V2)
    rx.v2_interval_cs = static_cast<uint16_t>(fsm_.config().advert_interval.count() / 10'000);
  rx.ah_last_seq = ah_last_seq_;
  return rx;
}

std::string Instance::fault_reason() const {
  if (state() != State::Fault) return {};
  std::string why;
  auto add = [&](const std::string& s) { why += (why.empty() ? "" : "; ") + s; };
  if (link_fault_) add(link_fault_why_);
  if (track_fault_) {
    std::string items;
    for (const auto& i : track_fault_items_) items += (items.empty() ? "" : ", ") + i;
    add("tracked " + items + " failed");
  }
  if (group_fault_) add("sync group member in fault");
  return why;
}

void Instance::start(MonoTime now) {
  started_ = true;
  apply(fsm_.handle(event::Start{}, now), now);
  // Faults noted before start (an interface already down) take effect now.
  update_fault(now);
}

void Instance::shutdown(MonoTime now) {
  apply(fsm_.handle(event::Shutdown{}, now), now);
}

void Instance::on_timer(MonoTime now) {
  apply(fsm_.handle(event::TimerExpired{}, now), now);
}

void Instance::on_advert(const Decoded& d, MonoTime now) {
  ++counters_.adverts_received;
  ++counters_.checksum_forms[static_cast<size_t>(d.matched_form)];
  if (d.advert.priority == kPriorityStop) ++counters_.priority_zero_received;
  if (d.ah) ah_last_seq_ = d.ah->seq;
  event::AdvertReceived ev;
  ev.priority = d.advert.priority;
  ev.interval = Micros(static_cast<int64_t>(d.advert.interval_cs) * 10'000);
  ev.source = d.src;
  apply(fsm_.handle(ev, now), now);
}

void Instance::set_link_fault(bool down, MonoTime now, std::string why) {
  link_fault_ = down;
  link_fault_why_ = std::move(why);
  update_fault(now);
}

void Instance::set_group_fault(bool fault, MonoTime now) {
  group_fault_ = fault;
  update_fault(now);
}

void Instance::update_tracking(std::span<const TrackedItem> items, MonoTime now) {
  tracked_items_.assign(items.begin(), items.end());
  recompute_priority(now);
}

void Instance::set_priority_offset(int offset, MonoTime now) {
  priority_offset_ = offset;
  recompute_priority(now);
}

void Instance::recompute_priority(MonoTime now) {
  std::vector<TrackedItem> items = tracked_items_;
  // The offset behaves as an item that is always "applying": up for a positive weight, down
  // for a negative one (see item_effect()).
  if (priority_offset_ != 0)
    items.push_back(
        {TrackKind::Script, "priority-offset", priority_offset_, false, priority_offset_ > 0, 0});
  PriorityResult r = compute_priority(base_priority_, items);
  track_fault_ = r.fault;
  track_fault_items_ = std::move(r.fault_items);
  // Before start the machine only records the priority (Initialize sends nothing).
  const uint8_t before = fsm_.effective_priority();
  const State state_before = fsm_.state();
  Actions a = fsm_.handle(event::PriorityChanged{r.effective}, now);
  // keepalived reports the new priority before the transition it may cause.
  if (started_ && fsm_.effective_priority() != before)
    io_.priority_changed(*this, state_before, before, fsm_.effective_priority());
  if (started_) apply(a, now);
  update_fault(now);
}

void Instance::force(State s, MonoTime now) {
  if (s == State::Master)
    apply(fsm_.handle(event::ForceMaster{}, now), now);
  else if (s == State::Backup)
    apply(fsm_.handle(event::ForceBackup{}, now), now);
  else if (s == State::Fault)
    set_group_fault(true, now);
}

void Instance::reconfigure(const FsmConfig& fsm, InstanceWire wire) {
  fsm_.update_settings(fsm);
  wire_ = std::move(wire);
  base_priority_ = fsm_.config().priority;
}

void Instance::handle_event(const Event& e, MonoTime now) {
  apply(fsm_.handle(e, now), now);
}

void Instance::update_fault(MonoTime now) {
  if (!started_) return;
  const bool fault = own_fault() || group_fault_;
  if (fault != fault_signalled_) {
    fault_signalled_ = fault;
    if (fault)
      apply(fsm_.handle(event::FaultOn{}, now), now);
    else
      apply(fsm_.handle(event::FaultOff{}, now), now);
  }
  if (own_fault() != own_fault_signalled_) {
    own_fault_signalled_ = own_fault();
    io_.own_fault_changed(*this);
  }
}

void Instance::apply(const Actions& a, MonoTime now) {
  const State before = last_transition_ ? last_transition_->to : State::Initialize;
  if (a.send_advert) {
    ++counters_.adverts_sent;
    if (a.advert_priority == kPriorityStop) ++counters_.priority_zero_sent;
    io_.send_advert(*this, a.advert_priority);
  }
  if (a.remove_addresses) io_.set_addresses(*this, false);
  if (a.add_addresses) io_.set_addresses(*this, true);
  if (a.send_garp) io_.announce(*this);
  if (a.master_rx_lower_priority) io_.master_rx_lower_priority(*this);
  if (a.transition) {
    ++counters_.transitions;
    if (*a.transition == State::Master) ++counters_.became_master;
    if (before == State::Master && *a.transition != State::Master) ++counters_.released_master;
    last_transition_ = Transition{before, *a.transition, now, a.reason};
    io_.notify(*this, *a.transition, fsm_.effective_priority());
  }
  io_.arm_timer(*this, fsm_.next_deadline());
}

}  // namespace vigil::vrrp
