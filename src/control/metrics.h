// Prometheus text exposition (format 0.0.4) of the status model. Pure: the HTTP side
// (control/metrics_http.h) only serves what render_metrics() returns.
//
// Names follow Prometheus conventions (vigil_ prefix, _total for counters, base units):
//   vigil_vrrp_state{instance,interface,vrid,state}   1 for the current state, 0 for the others
//   vigil_vrrp_priority{instance}                     effective priority
//   vigil_vrrp_base_priority{instance}                configured priority
//   vigil_vrrp_priority_offset{instance}              maintenance offset
//   vigil_vrrp_addresses_held{instance}               1 while the VIPs are set here
//   vigil_vrrp_transitions_total{instance}            state changes since start
//   vigil_vrrp_became_master_total / _released_master_total{instance}
//   vigil_vrrp_adverts_sent_total / _received_total{instance}
//   vigil_vrrp_priority_zero_sent_total / _received_total{instance}
//   vigil_vrrp_discards_total{instance,reason}
//   vigil_vrrp_checksum_form_total{instance,form}     accepted adverts by checksum form
//   vigil_vrrp_last_transition_timestamp_seconds{instance}
//   vigil_info{version}, vigil_start_time_seconds, process_* from /proc/self
#pragma once

#include <string>

#include "vrrp/status.h"

namespace vigil::control {

struct ProcessInfo {
  std::string version;
  double start_time_seconds = 0;  // wall clock, epoch seconds
  double cpu_seconds = 0;
  double resident_memory_bytes = 0;
  double open_fds = 0;
};

// Reads /proc/self (zeros where unavailable).
ProcessInfo current_process_info(double start_time_seconds);

std::string render_metrics(const vrrp::RouterStatus& status, const ProcessInfo& process);

}  // namespace vigil::control
