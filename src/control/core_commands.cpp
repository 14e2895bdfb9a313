// The daemon's built-in commands (status, instance, reload), apart from the registry so that
// code using only the registry and the protocol (the control-request fuzz target) does not
// pull in the VRRP runtime.
#include <spdlog/spdlog.h>

#include "control/commands.h"
#include "control/status_json.h"
#include "vrrp/router.h"

namespace vigil::control {

using nlohmann::json;

void register_core_commands(CommandRegistry& registry, vrrp::Router* router, ReloadHook reload) {
  registry.add("status", [router](const Request&) {
    return ok_reply({{"status", router ? status_to_json(router->status()) : status_to_json({})}});
  });
  registry.add("instance", [router](const Request& r) {
    auto p = parse_priority_offset(r);
    if (auto* err = std::get_if<RequestError>(&p)) return error_reply(err->message);
    const auto& req = std::get<PriorityOffsetRequest>(p);
    if (!router || !router->set_priority_offset(req.instance, req.offset))
      return error_reply("no vrrp_instance \"" + req.instance + "\"");
    spdlog::info("({}) priority offset set to {} through the control socket", req.instance,
                 req.offset);
    for (const auto& st : router->status().instances)
      if (st.name == req.instance) return ok_reply({{"instance", instance_to_json(st)}});
    return ok_reply();
  });
  registry.add("reload", [reload](const Request&) {
    if (!reload) return error_reply("reload is not available in this daemon");
    std::string err = reload();
    if (!err.empty()) return error_reply(err);
    return ok_reply({{"reload", "done"}});
  });
}

}  // namespace vigil::control
