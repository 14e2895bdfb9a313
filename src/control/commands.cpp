#include "control/commands.h"

namespace vigil::control {

using nlohmann::json;

void CommandRegistry::add(std::string command, CommandHandler handler) {
  handlers_[std::move(command)] = std::move(handler);
}

bool CommandRegistry::has(std::string_view command) const {
  return handlers_.find(command) != handlers_.end();
}

json CommandRegistry::dispatch(std::string_view line) const {
  auto parsed = parse_request(line);
  if (auto* err = std::get_if<RequestError>(&parsed)) return error_reply(err->message);
  return dispatch(std::get<Request>(parsed));
}

json CommandRegistry::dispatch(const Request& request) const {
  json reply;
  auto it = handlers_.find(request.command);
  if (it == handlers_.end()) {
    reply = error_reply("unknown command \"" + request.command + "\"");
  } else {
    try {
      reply = it->second(request);
    } catch (const std::exception& e) {
      reply = error_reply(std::string("internal error: ") + e.what());
    }
  }
  if (auto id = request.body.find("id"); id != request.body.end()) reply["id"] = *id;
  return reply;
}

}  // namespace vigil::control
