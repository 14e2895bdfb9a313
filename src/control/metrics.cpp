#include "control/metrics.h"

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "control/exposition.h"

namespace vigil::control {

using vrrp::DiscardReason;
using vrrp::State;

namespace {

std::string inst(const vrrp::InstanceStatus& st) {
  return fmt::format("instance=\"{}\"", escape_label(st.name));
}

}  // namespace

ProcessInfo current_process_info(double start_time_seconds) {
  ProcessInfo p;
  p.version = VIGIL_VERSION;
  p.start_time_seconds = start_time_seconds;
  std::ifstream stat("/proc/self/stat");
  std::string content((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the ")" of comm: state is field 3; utime 14, stime 15, rss 24.
  if (auto close = content.rfind(')'); close != std::string::npos) {
    std::istringstream in(content.substr(close + 2));
    std::string field;
    std::vector<std::string> f;
    while (in >> field) f.push_back(field);
    const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
    const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
    if (f.size() > 21 && ticks > 0) {
      p.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / ticks;
      p.resident_memory_bytes = std::stod(f[21]) * page;
    }
  }
  if (DIR* d = ::opendir("/proc/self/fd")) {
    int n = 0;
    while (dirent* e = ::readdir(d))
      if (e->d_name[0] != '.') ++n;
    ::closedir(d);
    p.open_fds = n - 1;  // minus the directory stream itself
  }
  return p;
}

std::string render_vrrp_metrics(const vrrp::RouterStatus& status) {
  Exposition w;
  const auto& insts = status.instances;
  static constexpr State kStates[] = {State::Initialize, State::Backup, State::Master, State::Fault,
                                      State::Stop};

  w.family("vigil_vrrp_state", "gauge", "VRRP instance state (1 for the current state)");
  for (const auto& st : insts)
    for (State s : kStates)
      w.sample("vigil_vrrp_state",
               fmt::format("{},interface=\"{}\",vrid=\"{}\",state=\"{}\"", inst(st),
                           escape_label(st.interface), st.vrid, to_string(s)),
               st.state == s ? 1 : 0);

  auto gauge = [&](std::string_view name, std::string_view help, auto value_of) {
    w.family(name, "gauge", help);
    for (const auto& st : insts) w.sample(name, inst(st), static_cast<double>(value_of(st)));
  };
  auto counter = [&](std::string_view name, std::string_view help, auto value_of) {
    w.family(name, "counter", help);
    for (const auto& st : insts) w.sample(name, inst(st), static_cast<double>(value_of(st)));
  };
  using IS = vrrp::InstanceStatus;
  gauge("vigil_vrrp_priority", "Effective VRRP priority",
        [](const IS& s) { return s.effective_priority; });
  gauge("vigil_vrrp_base_priority", "Configured VRRP priority",
        [](const IS& s) { return s.base_priority; });
  gauge("vigil_vrrp_priority_offset", "Maintenance priority offset set through vigilctl",
        [](const IS& s) { return s.priority_offset; });
  gauge("vigil_vrrp_addresses_held", "1 while the instance's virtual addresses are set here",
        [](const IS& s) { return s.addresses_held ? 1 : 0; });
  gauge("vigil_vrrp_master_priority", "Priority of the master as seen by this router",
        [](const IS& s) { return s.master_priority; });
  counter("vigil_vrrp_transitions_total", "VRRP state changes",
          [](const IS& s) { return s.counters.transitions; });
  counter("vigil_vrrp_became_master_total", "Transitions into Master",
          [](const IS& s) { return s.counters.became_master; });
  counter("vigil_vrrp_released_master_total", "Transitions out of Master",
          [](const IS& s) { return s.counters.released_master; });
  counter("vigil_vrrp_adverts_sent_total", "VRRP advertisements sent",
          [](const IS& s) { return s.counters.adverts_sent; });
  counter("vigil_vrrp_adverts_received_total", "VRRP advertisements accepted",
          [](const IS& s) { return s.counters.adverts_received; });
  counter("vigil_vrrp_priority_zero_sent_total", "Priority-0 (leaving) advertisements sent",
          [](const IS& s) { return s.counters.priority_zero_sent; });
  counter("vigil_vrrp_priority_zero_received_total",
          "Priority-0 (master leaving) advertisements received",
          [](const IS& s) { return s.counters.priority_zero_received; });

  w.family("vigil_vrrp_discards_total", "counter", "Received VRRP packets discarded, by reason");
  for (const auto& st : insts)
    for (size_t i = 0; i < vrrp::kDiscardReasonCount; ++i) {
      if (i == static_cast<size_t>(DiscardReason::VridMismatch)) continue;
      w.sample("vigil_vrrp_discards_total",
               fmt::format("{},reason=\"{}\"", inst(st), to_string(static_cast<DiscardReason>(i))),
               static_cast<double>(st.counters.discards[i]));
    }
  w.family("vigil_vrrp_vrid_errors_total", "counter",
           "Received VRRP adverts for a VRID no instance on the receiving interface has");
  w.sample("vigil_vrrp_vrid_errors_total", "", static_cast<double>(status.vrid_errors));
  w.family("vigil_vrrp_checksum_form_total", "counter",
           "Accepted VRRP advertisements by checksum form");
  for (const auto& st : insts)
    for (size_t i = 0; i < vrrp::kChecksumFormCount; ++i)
      w.sample(
          "vigil_vrrp_checksum_form_total",
          fmt::format("{},form=\"{}\"", inst(st), to_string(static_cast<vrrp::ChecksumForm>(i))),
          static_cast<double>(st.counters.checksum_forms[i]));
  w.family("vigil_vrrp_last_transition_timestamp_seconds", "gauge",
           "Wall-clock time of the last state change");
  for (const auto& st : insts)
    if (st.last_transition)
      w.sample("vigil_vrrp_last_transition_timestamp_seconds", inst(st),
               static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(
                                       st.last_transition->when.time_since_epoch())
                                       .count()) /
                   1e6);

  return w.take();
}

nlohmann::json process_info_to_json(const ProcessInfo& p) {
  return {{"version", p.version},
          {"start_time_seconds", p.start_time_seconds},
          {"cpu_seconds", p.cpu_seconds},
          {"resident_memory_bytes", p.resident_memory_bytes},
          {"open_fds", p.open_fds}};
}

ProcessInfo process_info_from_json(const nlohmann::json& j) {
  ProcessInfo p;
  if (!j.is_object()) return p;
  p.version = j.value("version", "");
  p.start_time_seconds = j.value("start_time_seconds", 0.0);
  p.cpu_seconds = j.value("cpu_seconds", 0.0);
  p.resident_memory_bytes = j.value("resident_memory_bytes", 0.0);
  p.open_fds = j.value("open_fds", 0.0);
  return p;
}

std::string render_process_metrics(const ProcessInfo& process,
                                   const std::vector<WorkerMetrics>& workers) {
  Exposition w;
  w.family("vigil_info", "gauge", "vigild build information");
  w.sample("vigil_info", fmt::format("version=\"{}\"", escape_label(process.version)), 1);
  w.family("vigil_start_time_seconds", "gauge", "Start time of vigild since the epoch");
  w.sample("vigil_start_time_seconds", "", process.start_time_seconds);
  w.family("process_cpu_seconds_total", "counter", "User and system CPU time spent");
  w.sample("process_cpu_seconds_total", "", process.cpu_seconds);
  w.family("process_resident_memory_bytes", "gauge", "Resident memory size");
  w.sample("process_resident_memory_bytes", "", process.resident_memory_bytes);
  w.family("process_open_fds", "gauge", "Open file descriptors");
  w.sample("process_open_fds", "", process.open_fds);
  if (workers.empty()) return w.take();

  auto label = [](const WorkerMetrics& m) {
    return fmt::format("worker=\"{}\"", escape_label(m.kind));
  };
  w.family("vigil_worker_up", "gauge", "1 while the worker process runs and answers");
  for (const auto& m : workers) w.sample("vigil_worker_up", label(m), m.up ? 1 : 0);
  w.family("vigil_worker_restarts_total", "counter", "Restarts of the worker after it died");
  for (const auto& m : workers)
    w.sample("vigil_worker_restarts_total", label(m), static_cast<double>(m.restarts));
  auto per_process = [&](std::string_view name, std::string_view type, std::string_view help,
                         double ProcessInfo::*field) {
    w.family(name, type, help);
    for (const auto& m : workers)
      if (m.process) w.sample(name, label(m), (*m.process).*field);
  };
  per_process("vigil_worker_cpu_seconds_total", "counter", "The worker's user and system CPU time",
              &ProcessInfo::cpu_seconds);
  per_process("vigil_worker_resident_memory_bytes", "gauge", "The worker's resident memory size",
              &ProcessInfo::resident_memory_bytes);
  per_process("vigil_worker_open_fds", "gauge", "The worker's open file descriptors",
              &ProcessInfo::open_fds);
  return w.take();
}

}  // namespace vigil::control
