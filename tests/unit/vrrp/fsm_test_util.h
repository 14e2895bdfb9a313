// Shared helpers for the state machine tests: a fake clock (plain MonoTime values) and ways
// to drive an Fsm into a given state.
#pragma once

#include <gtest/gtest.h>

#include <chrono>

#include "vrrp/fsm.h"

namespace vigil::vrrp::testing {

inline const MonoTime kT0 = MonoTime{} + std::chrono::hours(1000);

inline IpAddress addr(const char* s) {
  return *IpAddress::parse(s);
}

// Our own primary address sits in the middle so both tie-break directions can be tested.
inline FsmConfig base_config() {
  FsmConfig c;
  c.vrid = 51;
  c.version = FsmVersion::V2;
  c.priority = 100;
  c.advert_interval = Micros(1'000'000);
  c.primary_address = addr("192.0.2.10");
  return c;
}

inline event::AdvertReceived advert(uint8_t prio, const char* src = "192.0.2.20",
                                    Micros interval = Micros(1'000'000)) {
  return event::AdvertReceived{prio, interval, addr(src)};
}

// Drives `fsm` (fresh) into `target`, returning the time of the last event fed.
inline MonoTime drive_to(Fsm& fsm, State target, MonoTime t = kT0) {
  if (target == State::Initialize) return t;
  if (target == State::Fault) {
    fsm.handle(event::Start{}, t);
    fsm.handle(event::FaultOn{}, t);
    EXPECT_EQ(fsm.state(), State::Fault);
    return t;
  }
  fsm.handle(event::Start{}, t);
  if (target == State::Stop) {
    fsm.handle(event::Shutdown{}, t);
    EXPECT_EQ(fsm.state(), State::Stop);
    return t;
  }
  if (target == State::Master && fsm.state() == State::Backup) {
    // Let the down timer run out (and a preempt_delay hold, if any).
    while (fsm.state() == State::Backup) {
      t = *fsm.next_deadline();
      fsm.handle(event::TimerExpired{}, t);
    }
  }
  EXPECT_EQ(fsm.state(), target);
  return t;
}

}  // namespace vigil::vrrp::testing
