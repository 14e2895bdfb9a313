// Which handler answers which "command": a small registry the daemon fills at start-up.
// vrrp's commands (status, instance) and reload are registered by register_core_commands();
// other subsystems add theirs the same way (the LVS side: "rs" for drain / enable).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "control/protocol.h"

namespace vigil::vrrp {
class Router;
}

namespace vigil::control {

// Returns the reply (ok_reply(...) / error_reply(...)). Runs on the loop thread; may throw,
// which becomes an error reply.
using CommandHandler = std::function<nlohmann::json(const Request&)>;

class CommandRegistry {
 public:
  // Replaces a handler registered earlier under the same name.
  void add(std::string command, CommandHandler handler);
  bool has(std::string_view command) const;
  // One request line → one reply (never throws). The request's "id" is echoed.
  nlohmann::json dispatch(std::string_view line) const;
  nlohmann::json dispatch(const Request& request) const;

 private:
  std::map<std::string, CommandHandler, std::less<>> handlers_;
};

// What the daemon provides for reload: runs it (on the loop thread) and returns "" when the
// new configuration is in force, otherwise why not (details are in the log).
using ReloadHook = std::function<std::string()>;

// "status" (full JSON of the router), "instance" (priority_offset) and "reload" (with the
// hook; without one the command answers an error). `router` may be null (no VRRP running:
// status lists nothing, instance commands fail).
void register_core_commands(CommandRegistry& registry, vrrp::Router* router, ReloadHook reload);

}  // namespace vigil::control
