#include "vrrp/fsm.h"

#include <algorithm>
#include <string>
#include <utility>

namespace vigil::vrrp {

std::string_view to_string(State s) {
  switch (s) {
    case State::Initialize:
      return "INIT";
    case State::Backup:
      return "BACKUP";
    case State::Master:
      return "MASTER";
    case State::Fault:
      return "FAULT";
    case State::Stop:
      return "STOP";
  }
  return "UNKNOWN";
}

Micros skew_time(FsmVersion v, uint8_t priority, Micros master_adver_interval) {
  const int64_t weight = 256 - static_cast<int64_t>(priority);
  if (v == FsmVersion::V2) return Micros(weight * 1'000'000 / 256);
  return Micros(weight * master_adver_interval.count() / 256);
}

Micros master_down_interval(FsmVersion v, uint8_t priority, Micros master_adver_interval,
                            uint8_t down_timer_adverts) {
  const int64_t adverts = down_timer_adverts == 0 ? 3 : down_timer_adverts;
  return adverts * master_adver_interval + skew_time(v, priority, master_adver_interval);
}

bool advert_wins(uint8_t advert_priority, const IpAddress& source, uint8_t own_priority,
                 const IpAddress& own_primary) {
  if (advert_priority != own_priority) return advert_priority > own_priority;
  return source > own_primary;
}

namespace {

uint8_t sane_priority(uint8_t p) {
  return p == 0 ? 1 : p;  // 0 only ever appears on the wire, never as our own priority
}

Micros sane_interval(Micros i) {
  return i.count() > 0 ? i : Micros(1'000'000);
}

std::string prio_text(uint8_t p) {
  return std::to_string(static_cast<unsigned>(p));
}

}  // namespace

Fsm::Fsm(FsmConfig config)
    : config_(std::move(config)),
      priority_(sane_priority(config_.priority)),
      master_adver_interval_(sane_interval(config_.advert_interval)) {
  config_.advert_interval = master_adver_interval_;
  config_.priority = priority_;
}

void Fsm::update_settings(const FsmConfig& next) {
  const FsmConfig kept = config_;
  config_ = next;
  config_.vrid = kept.vrid;
  config_.version = kept.version;
  config_.primary_address = kept.primary_address;
  config_.priority = sane_priority(next.priority);
  config_.advert_interval = sane_interval(next.advert_interval);
  // v2 (and a v3 Backup that has not heard a master yet) times the master with its own
  // interval; a v3 Backup keeps the interval learnt from the master.
  if (config_.version == FsmVersion::V2 || state_ == State::Master || !master_address_)
    master_adver_interval_ = config_.advert_interval;
  if (!preempt_enabled() || preempt_delay().count() == 0) preempt_time_.reset();
}

bool Fsm::preempt_enabled() const {
  return config_.preempt || config_.start_as_master;
}

Micros Fsm::preempt_delay() const {
  if (!preempt_enabled() || config_.start_as_master) return Micros(0);
  return std::max(config_.preempt_delay, Micros(0));
}

Micros Fsm::skew_time() const {
  return vrrp::skew_time(config_.version, priority_, master_adver_interval_);
}

Micros Fsm::master_down_interval() const {
  return vrrp::master_down_interval(config_.version, priority_, master_adver_interval_,
                                    config_.down_timer_adverts);
}

Actions Fsm::handle(const Event& event, MonoTime now) {
  if (state_ == State::Stop) return {};
  return std::visit(
      [&](const auto& ev) -> Actions {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<T, event::Start>) return on_start(now);
        if constexpr (std::is_same_v<T, event::Shutdown>) return on_shutdown();
        if constexpr (std::is_same_v<T, event::AdvertReceived>) return on_advert(ev, now);
        if constexpr (std::is_same_v<T, event::TimerExpired>) return on_timer(now);
        if constexpr (std::is_same_v<T, event::FaultOn>) return on_fault_on();
        if constexpr (std::is_same_v<T, event::FaultOff>) return on_fault_off(now);
        if constexpr (std::is_same_v<T, event::PriorityChanged>)
          return on_priority(ev.effective, now);
        if constexpr (std::is_same_v<T, event::ForceMaster>) return on_force_master(now);
        if constexpr (std::is_same_v<T, event::ForceBackup>) return on_force_backup(now);
      },
      event);
}

// --- transitions ---------------------------------------------------------------------------

void Fsm::enter_backup(Actions& a, MonoTime now, Micros master_interval, std::string why) {
  if (state_ == State::Master) a.remove_addresses = true;
  state_ = State::Backup;
  master_adver_interval_ = master_interval;
  deadline_ = now + master_down_interval();
  a.transition = State::Backup;
  a.reason = std::move(why);
}

void Fsm::enter_master(Actions& a, MonoTime now, std::string why) {
  state_ = State::Master;
  preempt_time_.reset();
  a.send_advert = true;
  a.advert_priority = priority_;
  a.add_addresses = true;
  a.send_garp = true;
  a.transition = State::Master;
  a.reason = std::move(why);
  deadline_ = now + config_.advert_interval;
}

Actions Fsm::come_up(MonoTime now, const char* why) {
  Actions a;
  preempt_time_.reset();
  master_address_.reset();
  master_priority_ = 0;
  if (priority_ == kPriorityOwner && config_.start_as_master) {
    enter_master(a, now, std::string(why) + ": address owner (priority 255) becomes master");
    return a;
  }
  enter_backup(a, now, config_.advert_interval,
               std::string(why) + ": waiting Master_Down_Interval for a master");
  return a;
}

// --- event handlers ------------------------------------------------------------------------

Actions Fsm::on_start(MonoTime now) {
  if (state_ != State::Initialize) return {};
  if (fault_) {
    state_ = State::Fault;
    deadline_.reset();
    Actions a;
    a.transition = State::Fault;
    a.reason = "start: in fault";
    return a;
  }
  return come_up(now, "start");
}

Actions Fsm::on_shutdown() {
  Actions a;
  if (state_ == State::Master) {
    a.send_advert = true;
    a.advert_priority = kPriorityStop;
    a.remove_addresses = true;
  }
  state_ = State::Stop;
  deadline_.reset();
  preempt_time_.reset();
  a.transition = State::Stop;
  a.reason = "shutdown";
  return a;
}

Actions Fsm::on_advert(const event::AdvertReceived& ev, MonoTime now) {
  if (state_ == State::Backup) return backup_receive(ev, now);
  if (state_ == State::Master) return master_receive(ev, now);
  return {};  // Initialize, Fault: not participating
}

Actions Fsm::backup_receive(const event::AdvertReceived& ev, MonoTime now) {
  Actions a;
  if (ev.priority == kPriorityStop) {
    // The master is leaving: take over after Skew_Time rather than Master_Down_Interval.
    deadline_ = now + skew_time();
    a.reason = "master " + ev.source.to_string() + " is leaving (priority 0)";
    return a;
  }
  const bool lower = ev.priority < priority_;
  const Micros delay = preempt_delay();
  const bool preempt_held_off = delay.count() > 0 && (!preempt_time_ || *preempt_time_ > now);
  if (lower && preempt_enabled() && !preempt_held_off) {
    // RFC: discard, so the down timer runs out and we take over.
    a.reason = "lower priority " + prio_text(ev.priority) + " advert from " +
               ev.source.to_string() + " discarded: preempting";
    return a;
  }
  // Accept: this master stays master for now.
  if (config_.version == FsmVersion::V3) master_adver_interval_ = sane_interval(ev.interval);
  master_address_ = ev.source;
  master_priority_ = ev.priority;
  if (delay.count() > 0) {
    if (ev.priority > priority_)
      preempt_time_.reset();
    else if (lower && !preempt_time_)
      preempt_time_ = now + delay;
  }
  deadline_ = now + master_down_interval();
  return a;
}

Actions Fsm::master_receive(const event::AdvertReceived& ev, MonoTime now) {
  Actions a;
  if (ev.priority == kPriorityStop) {
    // Another router claims to be leaving while we are master: assert ourselves at once.
    a.send_advert = true;
    a.advert_priority = priority_;
    a.reason = "priority 0 advert from " + ev.source.to_string() + ": re-advertising";
    deadline_ = now + config_.advert_interval;
    return a;
  }
  if (ev.priority == priority_ && ev.source == config_.primary_address) {
    return a;  // our own advert looped back
  }
  if (advert_wins(ev.priority, ev.source, priority_, config_.primary_address)) {
    if (config_.higher_prio_send_advert) {
      a.send_advert = true;
      a.advert_priority = priority_;
    }
    const Micros interval =
        config_.version == FsmVersion::V3 ? sane_interval(ev.interval) : config_.advert_interval;
    master_address_ = ev.source;
    master_priority_ = ev.priority;
    preempt_time_.reset();
    enter_backup(a, now, interval,
                 (ev.priority > priority_ ? "higher priority " + prio_text(ev.priority)
                                          : "equal priority and higher address") +
                     " advert from " + ev.source.to_string());
    return a;
  }
  // A worse advert: discard it, and (unless lower_prio_no_advert) answer with our own at once
  // so the other router sees the better master without waiting for our next interval.
  a.master_rx_lower_priority = true;
  a.reason = "lower priority " + prio_text(ev.priority) + " advert from " + ev.source.to_string() +
             " discarded";
  if (!config_.lower_prio_no_advert) {
    a.send_advert = true;
    a.advert_priority = priority_;
    deadline_ = now + config_.advert_interval;
  }
  return a;
}

Actions Fsm::on_timer(MonoTime now) {
  if (!deadline_ || now < *deadline_) return {};
  Actions a;
  if (state_ == State::Master) {
    a.send_advert = true;
    a.advert_priority = priority_;
    deadline_ = now + config_.advert_interval;
    return a;
  }
  if (state_ != State::Backup) {
    deadline_.reset();
    return a;
  }
  enter_master(a, now,
               master_address_
                   ? "master down timer expired (last master " + master_address_->to_string() + ")"
                   : std::string("master down timer expired"));
  return a;
}

Actions Fsm::on_fault_on() {
  fault_ = true;
  Actions a;
  if (state_ == State::Master) {
    // keepalived tells the backups to take over quickly, if the link still lets it.
    a.send_advert = true;
    a.advert_priority = kPriorityStop;
    a.remove_addresses = true;
  } else if (state_ != State::Backup) {
    return a;  // Initialize (Start will enter Fault), Fault already
  }
  state_ = State::Fault;
  deadline_.reset();
  preempt_time_.reset();
  a.transition = State::Fault;
  a.reason = "fault";
  return a;
}

Actions Fsm::on_fault_off(MonoTime now) {
  fault_ = false;
  if (state_ != State::Fault) return {};
  return come_up(now, "fault cleared");
}

Actions Fsm::on_priority(uint8_t effective, MonoTime now) {
  const uint8_t p = sane_priority(effective);
  if (p == priority_) return {};
  Actions a;
  const uint8_t old = priority_;
  priority_ = p;
  a.reason = "priority " + prio_text(old) + " -> " + prio_text(p);
  if (state_ == State::Master) {
    // Advertise the new priority at once and restart the interval. keepalived 2.2.7 waits
    // for its next periodic advert instead; the extra advert changes nothing for the peers
    // (a preempting backup discards a lower advert either way) but makes the change visible
    // on the wire immediately, which the instance layer and status rely on.
    a.send_advert = true;
    a.advert_priority = priority_;
    deadline_ = now + config_.advert_interval;
  }
  // Backup: the RFC rules apply from the next advert on (a master now below us is discarded
  // and the down timer runs out when preempt is on).
  return a;
}

Actions Fsm::on_force_master(MonoTime now) {
  if (state_ != State::Backup) return {};
  Actions a;
  enter_master(a, now, "sync group member became master");
  return a;
}

Actions Fsm::on_force_backup(MonoTime now) {
  if (state_ != State::Master) return {};
  Actions a;
  enter_backup(a, now, config_.advert_interval, "sync group member became backup");
  return a;
}

}  // namespace vigil::vrrp
