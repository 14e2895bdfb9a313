// The VRRP state machine (RFC 3768 / RFC 5798 / RFC 9568, with keepalived's options), as a
// pure function of state, event and time. No sockets, no clocks, no timers: the caller hands
// in an event and the current time, carries out the returned Actions, and arms one timer for
// next_deadline(). Sans-I/O in the style of ngtcp2:
//
//   Fsm fsm(cfg);
//   apply(fsm.handle(event::Start{}, now));
//   loop: on advert   -> apply(fsm.handle(event::AdvertReceived{prio, interval, src}, now));
//         on deadline -> apply(fsm.handle(event::TimerExpired{}, now));
//         re-arm the timer to fsm.next_deadline() (none: disarm).
//
// Timers (Micros, computed exactly; no rounding to centiseconds):
//   v2: Skew_Time = (256 - priority) / 256 s
//   v3: Skew_Time = (256 - priority) * Master_Adver_Interval / 256
//   Master_Down_Interval = down_timer_adverts (3) * Master_Adver_Interval + Skew_Time
// where priority is the effective priority and Master_Adver_Interval is our own advert_int,
// replaced in v3 by the interval of the adverts a Backup accepts from the master.
#pragma once

#include <optional>

#include "base/address.h"
#include "base/time.h"
#include "vrrp/fsm_types.h"

namespace vigil::vrrp {

// Skew_Time and Master_Down_Interval for a given effective priority and master interval.
Micros skew_time(FsmVersion v, uint8_t priority, Micros master_adver_interval);
Micros master_down_interval(FsmVersion v, uint8_t priority, Micros master_adver_interval,
                            uint8_t down_timer_adverts = 3);

// Whether an advert (priority, source) beats us (own priority, own primary address) in the
// election: higher priority, or equal priority and higher source address.
bool advert_wins(uint8_t advert_priority, const IpAddress& source, uint8_t own_priority,
                 const IpAddress& own_primary);

class Fsm {
 public:
  explicit Fsm(FsmConfig config);

  // Feed one event at time `now` (monotonic). Never throws; events that do not apply to the
  // current state return empty Actions (with a reason when that is worth logging).
  Actions handle(const Event& event, MonoTime now);

  // When to call handle(TimerExpired{}); nullopt when no timer runs (Initialize/Fault/Stop).
  std::optional<MonoTime> next_deadline() const { return deadline_; }

  State state() const { return state_; }
  uint8_t effective_priority() const { return priority_; }
  const FsmConfig& config() const { return config_; }
  // The interval in use for the down timer (v3: learnt from the master).
  Micros master_advert_interval() const { return master_adver_interval_; }
  Micros skew_time() const;
  Micros master_down_interval() const;
  // The last master heard while Backup (for status output); unset before the first advert.
  const std::optional<IpAddress>& master_address() const { return master_address_; }
  uint8_t master_priority() const { return master_priority_; }
  // keepalived preempt_delay: until this time, lower-priority adverts are still accepted.
  const std::optional<MonoTime>& preempt_not_before() const { return preempt_time_; }
  bool fault() const { return fault_; }

  // Reload: take new settings for the same virtual router. vrid, version and primary_address
  // are kept (changing them means a new virtual router); state, the running timer and the
  // learnt master stay, so nothing is sent and nothing flaps. The base priority is recorded
  // only: the effective one moves through PriorityChanged, as for tracking. A new
  // advert_int is used from the next advert (Master) or the next down timer (Backup, v2).
  void update_settings(const FsmConfig& next);

 private:
  // Effective preempt settings: keepalived ignores nopreempt/preempt_delay for state MASTER.
  bool preempt_enabled() const;
  Micros preempt_delay() const;

  Actions on_start(MonoTime now);
  Actions on_shutdown();
  Actions on_advert(const event::AdvertReceived& ev, MonoTime now);
  Actions on_timer(MonoTime now);
  Actions on_fault_on();
  Actions on_fault_off(MonoTime now);
  Actions on_priority(uint8_t effective, MonoTime now);
  Actions on_force_master(MonoTime now);
  Actions on_force_backup(MonoTime now);

  Actions backup_receive(const event::AdvertReceived& ev, MonoTime now);
  Actions master_receive(const event::AdvertReceived& ev, MonoTime now);

  // Entry from Initialize or Fault: Master at once for an owner configured as MASTER,
  // otherwise Backup waiting Master_Down_Interval.
  Actions come_up(MonoTime now, const char* why);
  void enter_backup(Actions& a, MonoTime now, Micros master_interval, std::string why);
  void enter_master(Actions& a, MonoTime now, std::string why);

  FsmConfig config_;
  State state_ = State::Initialize;
  uint8_t priority_;
  Micros master_adver_interval_;
  std::optional<MonoTime> deadline_;
  std::optional<MonoTime> preempt_time_;
  bool fault_ = false;
  std::optional<IpAddress> master_address_;
  uint8_t master_priority_ = 0;
};

}  // namespace vigil::vrrp
