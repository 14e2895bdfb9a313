// The daemon proper: load the configuration, run the VRRP runtime on the loop, answer
// keepalived's signals, leave cleanly.
#include "daemon/runtime.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

#include <ctime>
#include <sstream>

#include "base/heap_policy.h"
#include "base/resident.h"
#include "base/time.h"
#include "conf/load.h"
#include "conf/model.h"
#include "control/operations.h"
#include "control/service_status.h"
#include "daemon/process_tuning.h"
#include "daemon/reload.h"
#include "daemon/sd_notify.h"
#include "daemon/signals.h"
#include "daemon/staged_reload.h"
#include "loop/loop.h"
#include "loop/signal_watch.h"
#include "loop/timer.h"
#include "vrrp/router.h"

namespace vigil::daemon {
namespace {

// Both halves leave (VRRP: priority-0 adverts, addresses removed; LVS: omega scripts, kernel
// objects removed); `done` runs when both have finished.
void stop_all(vrrp::Router* router, LvsSide* lvs, std::function<void()> done) {
  auto pending = std::make_shared<int>((router ? 1 : 0) + (lvs ? 1 : 0));
  auto one_done = [pending, done] {
    if (--*pending == 0) done();
  };
  if (*pending == 0) return done();
  if (lvs) lvs->shutdown(one_done);
  if (router) router->shutdown(one_done);
}

}  // namespace

namespace {

// SIGUSR1 / SIGUSR2 / STATS_CLEAR / the JSON signal: keepalived's dump files. STATS_CLEAR
// writes the stats file, then zeroes the counters, as keepalived's VRRP process does. false:
// not a dump signal.
bool handle_dump_signal(std::optional<SignalAction> action, control::Operations& ops,
                        vrrp::Router& router) {
  if (action == SignalAction::DumpData) {
    ops.dump_data();
  } else if (action == SignalAction::DumpStats) {
    ops.dump_stats();
  } else if (action == SignalAction::ClearStats) {
    ops.dump_stats();
    router.clear_stats();
    spdlog::info("VRRP statistics cleared");
  } else if (action == SignalAction::DumpJson) {
    ops.dump_json();
  } else {
    return false;
  }
  return true;
}

control::OperationsOptions operations_options(const Options& options, const conf::Config& c) {
  control::OperationsOptions o;
  o.control_socket = control_socket_path(options, c);
  if (!options.worker.empty()) {
    o.control_socket = worker_socket_path(o.control_socket, options.worker);
    o.worker = true;
  }
  o.dump_dir = options.dump_dir;
  o.start_time_seconds = static_cast<double>(std::time(nullptr));
  return o;
}

void apply_tuning_logged(const conf::ProcessTuning& tuning, std::string_view role) {
  const TuningOutcome outcome = apply_process_tuning(tuning);
  for (const std::string& line : outcome.applied) spdlog::info("{} process: {}", role, line);
  for (const std::string& line : outcome.failed) spdlog::error("{} process: {}", role, line);
}

// keepalived's max_auto_priority: each time a timer runs min_auto_priority_delay late (the
// process was not scheduled in time), one step up in real-time priority, up to the maximum.
// Timers made late by the same stall (due before the last step) count once.
void watch_lateness(loop::Loop& loop, const conf::Config& config) {
  const int max_priority = config.global.max_auto_priority.value_or(0);
  if (max_priority <= 0) return;
  const uint32_t rttime =
      config.global.vrrp_process.rlimit_rttime.value_or(kDefaultRlimitRttimeUsecs);
  loop.set_lateness_watch(
      config.global.min_auto_priority_delay,
      [&loop, max_priority, rttime, last_step = MonoTime{}](MonoTime due, Micros late) mutable {
        if (due < last_step) return;
        last_step = loop.now();
        std::string error;
        if (auto p = raise_realtime_priority(max_priority, rttime, error))
          spdlog::warn("VRRP process ran {} ms late; real-time priority raised to {}",
                       late.count() / 1000, *p);
        else if (!error.empty())
          spdlog::error("VRRP process ran {} ms late; {}", late.count() / 1000, error);
      });
}

}  // namespace

int run_daemon(const Options& options, const DaemonParts& parts) {
  size_t errors = 0;
  std::shared_ptr<const conf::Config> config = load_config_logged(options, errors);
  if (!config) {
    spdlog::critical("configuration {} is invalid ({} errors); not starting", options.config_file,
                     errors);
    return 1;
  }
  if (options.dump_conf && options.worker != "check") {  // once, not per worker
    // keepalived -d: the effective configuration in the log, one line per JSON line.
    // Bytes that are not UTF-8 (allowed in keepalived.conf) become U+FFFD instead of throwing.
    std::istringstream dump(
        conf::to_json(*config).dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    for (std::string line; std::getline(dump, line);) spdlog::info("config: {}", line);
  }

  // -P / -C, or the worker role the supervisor gave this process.
  const bool vrrp_here = !options.check_only && options.worker != "check";
  const bool lvs_here = !options.vrrp_only && options.worker != "vrrp";
  // keepalived's vrrp_* / checker_* process settings; a process doing both takes the VRRP ones
  // (its adverts are what must never be late).
  apply_tuning_logged(vrrp_here ? config->global.vrrp_process : config->global.checker_process,
                      vrrp_here ? "VRRP" : "checker");
  loop::Loop loop;
  if (vrrp_here) watch_lateness(loop, *config);
  vrrp::Router router(loop, std::move(config));  // the only owner: a reload drops the old one
  Reloader reloader(options, router);
  control::OperationsOptions ops_options = operations_options(options, router.config());
  ops_options.vrrp_metrics = vrrp_here;
  control::Operations ops(loop, router, ops_options);
  // LVS (checkers + data plane) unless -P; VRRP unless -C (keepalived's process split).
  std::unique_ptr<LvsSide> lvs;
  if (lvs_here && parts.make_lvs) {
    std::string error;
    lvs = parts.make_lvs(loop, router, ops, options, error);
    if (!lvs && !error.empty()) {
      spdlog::critical("cannot start the load balancer: {}", error);
      return 1;
    }
  }
  // SIGHUP and the control socket's "reload": the VRRP side, then the LVS side. `prepared`:
  // the file as a staged reload loaded it before (none: load it now).
  auto reload_all = [&](std::optional<conf::LoadResult> prepared = std::nullopt) -> bool {
    const bool ok = prepared ? reloader.reload(std::move(*prepared)) : reloader.reload();
    if (ok && lvs) lvs->reload(reloader.current());
    // The parse's freed heap goes back only now, off the path to the LVS commit.
    loop.post([&router] {
      // The configuration in force is about what the next reload allocates again
      // (base/heap_policy.h).
      const int64_t t0 = mono_micros();
      const size_t kept = settle_heap_after_load(config_heap_estimate(router.config()));
      release_clean_file_pages();  // the parser's code, run again for the reload
      spdlog::debug("heap settled in {} us: {} KiB kept for the next reload", mono_micros() - t0,
                    kept / 1024);
    });
    return ok;
  };
  auto reload_outcome = [&](bool ok) -> std::string {
    if (ok) return {};
    return "reload failed, running configuration kept: " + reloader.status().last_summary;
  };
  // "reload" on the control socket: the same reload as SIGHUP, its outcome in the reply.
  ops.set_reload_hook([&]() -> std::string { return reload_outcome(reload_all()); });
  // A supervised worker: the supervisor's two-phase reload (prepare while it validates).
  StagedReload staged(options, [&](std::optional<conf::LoadResult> prepared) {
    return reload_outcome(reload_all(std::move(prepared)));
  });
  if (!options.worker.empty()) staged.register_commands(ops.registry());
  // One STATUS= line per loop turn, not per transition: building it walks every instance, and
  // 1,000 instances becoming master together made start-up quadratic (a million status rows).
  // Before the loop runs, start-up's own STATUS= line (sent before READY=1 below) covers them.
  bool status_posted = false;
  bool loop_running = false;
  router.set_transition_observer([&](const vrrp::Instance&, vrrp::State) {
    if (!loop_running || status_posted) return;
    status_posted = true;
    loop.post([&] {
      status_posted = false;
      notify_status(control::service_status_line(router.states()));
    });
  });
  bool stopping = false;
  loop::SignalWatch signals(loop, daemon_signals(), [&](int signo) {
    auto action = action_for_signal(signo);
    if (action == SignalAction::Stop) {
      if (stopping) return;
      stopping = true;
      spdlog::info("received signal {}, stopping", signo);
      notify_stopping();
      stop_all(vrrp_here ? &router : nullptr, lvs.get(), [&] { loop.stop(); });
    } else if (action == SignalAction::Reload) {
      if (stopping) return;
      spdlog::info("received signal {}, reloading", signo);
      reload_all();
    } else if (!handle_dump_signal(action, ops, router)) {
      spdlog::info("received signal {}: not supported yet", signo);
    }
  });

  if (options.check_only) {
    spdlog::info("checker-only mode (-C): no VRRP instances run");
  } else if (!vrrp_here) {
    // The checker worker: VRRP runs in its sibling.
  } else if (!router.start()) {
    return 1;
  }
  if (lvs) lvs->start();
  // Loading freed the parse tree and the preprocessor's text, tens of bytes per config byte;
  // give the pages back instead of keeping them resident for the daemon's lifetime, unless the
  // configuration is so large that its reloads need them again (base/heap_policy.h).
  const size_t heap_reserve = settle_heap_after_load(config_heap_estimate(router.config()));
  spdlog::info("vigild {} started with {} VRRP instance(s)", VIGIL_VERSION,
               vrrp_here ? router.config().vrrp_instances.size() : 0);
  ops.start();
  // /metrics: a worker leaves it to the supervisor, which fetches this page ("metrics").
  std::shared_ptr<void> metrics;
  if (options.worker.empty() && parts.open_metrics)
    metrics = parts.open_metrics(loop, router.config().global, [&] { return ops.metrics_page(); });
  notify_status(control::service_status_line(router.states()));
  notify_ready();
  auto watchdog = start_watchdog(loop);
  // Start-up's code (option and configuration parsing, the loader's work) ran once: its pages
  // need not stay resident (base/resident.h). What the loop runs maps in again.
  const size_t released = release_clean_file_pages();
  spdlog::debug("released the mappings of {} KiB of start-up code; heap reserve {} KiB",
                released / 1024, heap_reserve / 1024);
  loop_running = true;
  loop.run();
  loop.children().terminate_all();
  spdlog::info("vigild stopped");
  return 0;
}

}  // namespace vigil::daemon
