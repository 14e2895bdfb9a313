// Prometheus text exposition (format 0.0.4) of the status model. Pure: the HTTP side
// (control/metrics_http.h) only serves what these return. A page is the concatenation of the
// parts a process has: the VRRP part (the VRRP worker), the LVS part (the checker worker) and
// the process part (whoever serves the page: the supervisor, or a --single-process daemon).
//
// Names follow Prometheus conventions (vigil_ prefix, _total for counters, base units):
// VRRP part
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
// LVS part (labels virtual_server, real_server, checker = kind, index = its position)
//   vigil_virtual_server_quorum_up / _live_weight{virtual_server}
//   vigil_real_server_up / _weight / _drained{virtual_server,real_server}
//   vigil_checker_up{...,checker,index}, vigil_checker_checks_total, vigil_checker_failures_total
//   vigil_checker_duration_seconds{...,checker,index}  histogram, 1 ms to 10 s buckets
// Process part
//   vigil_info{version}, vigil_start_time_seconds, process_* of the serving process
//   vigil_worker_up / _restarts_total / _cpu_seconds_total / _resident_memory_bytes /
//   _open_fds{worker}                                  the supervisor's workers
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "control/lvs_status.h"
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
// A worker sends its ProcessInfo to the supervisor in its "metrics" reply.
nlohmann::json process_info_to_json(const ProcessInfo& p);
ProcessInfo process_info_from_json(const nlohmann::json& j);

struct WorkerMetrics {
  std::string kind;  // "vrrp" / "check"
  bool up = false;   // running and answering
  unsigned restarts = 0;
  std::optional<ProcessInfo> process;  // when it answered
};

std::string render_vrrp_metrics(const vrrp::RouterStatus& status);
std::string render_lvs_metrics(const LvsStatus& status);
std::string render_process_metrics(const ProcessInfo& self,
                                   const std::vector<WorkerMetrics>& workers = {});

}  // namespace vigil::control
