// vigild's LVS side and /metrics endpoint for run_daemon() (daemon/daemon_parts.h).
#include "daemon/lvs_side.h"

#include <spdlog/spdlog.h>

#include "conf/model.h"
#include "control/lvs_status.h"
#include "control/metrics_http.h"
#include "control/operations.h"
#include "daemon/address_watch.h"
#include "daemon/lvs_runtime.h"
#include "lb/data_plane.h"
#include "vrrp/router.h"

namespace vigil::daemon {
namespace {

LvsRuntimeOptions lvs_runtime_options(const Options& options) {
  LvsRuntimeOptions o;
  o.data_plane = options.lb == LbBackend::Ipvs  ? lb::DataPlaneKind::Ipvs
                 : options.lb == LbBackend::Nft ? lb::DataPlaneKind::Nft
                                                : lb::DataPlaneKind::Auto;
  o.keep_data_plane_on_exit = options.dont_release_ipvs;
  return o;
}

bool uses_ha_suspend(const conf::Config& config) {
  for (const auto& vs : config.lvs.virtual_servers)
    if (vs.ha_suspend) return true;
  return false;
}

class LvsSideImpl final : public LvsSide {
 public:
  LvsSideImpl(loop::Loop& loop, const vrrp::Router& router, std::unique_ptr<LvsRuntime> lvs)
      : loop_(loop), router_(router), lvs_(std::move(lvs)) {}

  void add_commands(control::Operations& ops) {
    // `vigilctl rs drain|enable VS RS` and the LVS side's status.
    ops.registry().add("rs", [this](const control::Request& r) {
      const std::string action = r.body.value("action", "");
      if (action != "drain" && action != "enable")
        return control::error_reply("rs: action must be drain or enable");
      std::string err = lvs_->set_drained(r.body.value("virtual_server", ""),
                                          r.body.value("real_server", ""), action == "drain");
      return err.empty() ? control::ok_reply() : control::error_reply(err);
    });
    ops.set_lvs_status([this] { return lvs_->status(); });
    ops.registry().add("lvs", [this](const control::Request&) {
      return control::ok_reply({{"virtual_servers", control::lvs_status_to_json(lvs_->status())}});
    });
  }

  void start() override {
    lvs_->start();
    if (!uses_ha_suspend(router_.config())) return;
    // ha_suspend follows the kernel's addresses (rtnetlink events), whichever process holds
    // the VIPs.
    std::string error;
    addresses_ = AddressWatch::open(
        loop_, [this] { feed_vip_held(); }, error);
    if (addresses_)
      feed_vip_held();
    else
      spdlog::error("ha_suspend: {}; its services stay absent", error);
  }

  void reload(const std::shared_ptr<const conf::Config>& config) override {
    if (config)
      lvs_->reload(config);
    else
      lvs_->reload(router_.config());
    if (addresses_) feed_vip_held();
  }

  void shutdown(std::function<void()> done) override { lvs_->shutdown(std::move(done)); }

 private:
  // ha_suspend: a virtual server's services exist only while its address is configured on an
  // interface here, as the kernel says (the VRRP side may be another process).
  void feed_vip_held() {
    const conf::Config& config = router_.config();
    for (size_t i = 0; i < config.lvs.virtual_servers.size(); ++i) {
      const conf::VirtualServer& vs = config.lvs.virtual_servers[i];
      if (!vs.ha_suspend || vs.kind != conf::VirtualServerKind::Address) continue;
      lvs_->set_vip_held(i, addresses_->present(vs.address));
    }
  }

  loop::Loop& loop_;
  const vrrp::Router& router_;
  std::unique_ptr<LvsRuntime> lvs_;
  std::unique_ptr<AddressWatch> addresses_;
};

std::unique_ptr<LvsSide> make_lvs_side(loop::Loop& loop, const vrrp::Router& router,
                                       control::Operations& ops, const Options& options,
                                       std::string& error) {
  if (!has_lvs_work(router.config())) return nullptr;
  auto made = LvsRuntime::create(loop, router.config(), lvs_runtime_options(options));
  if (!made) {
    error = made.error().message;
    return nullptr;
  }
  auto side = std::make_unique<LvsSideImpl>(loop, router, std::move(*made));
  side->add_commands(ops);
  return side;
}

std::shared_ptr<void> open_metrics_endpoint(loop::Loop& loop, const conf::GlobalDefs& g,
                                            std::function<std::string()> render) {
  // The listen address is taken at start: a reload does not move the endpoint.
  if (!g.vigil_metrics_address || g.vigil_metrics_port == 0) return nullptr;
  std::string error;
  std::shared_ptr<control::MetricsServer> server = control::MetricsServer::open(
      loop, *g.vigil_metrics_address, g.vigil_metrics_port, std::move(render), error);
  if (server)
    spdlog::info("metrics on http://{}/metrics", *g.vigil_metrics_listen);
  else
    spdlog::error("metrics: {}", error);
  return server;
}

}  // namespace

DaemonParts full_daemon_parts() {
  return {make_lvs_side, open_metrics_endpoint};
}

}  // namespace vigil::daemon
