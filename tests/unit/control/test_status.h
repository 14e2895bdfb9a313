// A hand-made status model for the control renderers' tests.
#pragma once

#include "vrrp/status.h"

namespace vigil::control::testing {

inline vrrp::WallTime at_epoch(double seconds) {
  return vrrp::WallTime(
      std::chrono::duration_cast<vrrp::WallTime::duration>(std::chrono::duration<double>(seconds)));
}

inline vrrp::RouterStatus two_instances() {
  vrrp::RouterStatus s;
  vrrp::InstanceStatus a;
  a.name = "VI_1";
  a.interface = "eth0";
  a.vrid = 51;
  a.version = 2;
  a.state = vrrp::State::Master;
  a.base_priority = 100;
  a.effective_priority = 90;
  a.priority_offset = -10;
  a.primary_address = IpAddress::parse("192.0.2.1");
  a.master_address = a.primary_address;
  a.master_priority = 90;
  a.advert_interval = Micros(1'000'000);
  a.master_advert_interval = Micros(1'000'000);
  a.master_down_interval = Micros(3'648'437);
  a.addresses = {"192.0.2.100/24"};
  a.addresses_held = true;
  a.sync_group = "G1";
  a.counters.adverts_sent = 42;
  a.counters.adverts_received = 7;
  a.counters.became_master = 2;
  a.counters.released_master = 1;
  a.counters.transitions = 4;
  a.counters.priority_zero_sent = 1;
  a.counters.discards[static_cast<size_t>(vrrp::DiscardReason::TtlNot255)] = 3;
  a.counters.discards[static_cast<size_t>(vrrp::DiscardReason::AuthFailure)] = 5;
  a.counters.discards[static_cast<size_t>(vrrp::DiscardReason::VridMismatch)] = 11;
  a.counters.checksum_forms[static_cast<size_t>(vrrp::ChecksumForm::MessageOnly)] = 7;
  a.last_transition = vrrp::TransitionStatus{vrrp::State::Backup, vrrp::State::Master,
                                             at_epoch(1795626050.5), "master down timer expired"};
  s.instances.push_back(a);

  vrrp::InstanceStatus b;
  b.name = "VI_\"odd\"";
  b.interface = "eth1";
  b.vrid = 52;
  b.version = 3;
  b.family = Family::V6;
  b.state = vrrp::State::Backup;
  b.base_priority = 50;
  b.effective_priority = 50;
  b.master_address = IpAddress::parse("fe80::2");
  b.master_priority = 200;
  b.addresses = {"2001:db8::100/64"};
  s.instances.push_back(b);

  s.sync_groups.push_back({"G1", {"VI_1"}, vrrp::State::Master});
  s.vrid_errors = 13;
  return s;
}

}  // namespace vigil::control::testing
