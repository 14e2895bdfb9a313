#include "control/protocol.h"

namespace vigil::control {

using nlohmann::json;

std::variant<Request, RequestError> parse_request(std::string_view line) {
  if (line.size() > kMaxRequestBytes)
    return RequestError{"request too large (limit " + std::to_string(kMaxRequestBytes) + " bytes)"};
  // Depth is bounded by the size limit; no exceptions: a malformed line is a reply, not a crash.
  json body = json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return RequestError{"malformed JSON"};
  if (!body.is_object()) return RequestError{"a request must be a JSON object"};
  auto it = body.find("command");
  if (it == body.end() || !it->is_string()) return RequestError{"missing \"command\" (a string)"};
  std::string command = it->get<std::string>();
  if (command.empty()) return RequestError{"empty \"command\""};
  return Request{std::move(command), std::move(body)};
}

std::variant<PriorityOffsetRequest, RequestError> parse_priority_offset(const Request& r) {
  auto name = r.body.find("name");
  if (name == r.body.end() || !name->is_string() || name->get<std::string>().empty())
    return RequestError{"missing \"name\" (the vrrp_instance)"};
  auto off = r.body.find("priority_offset");
  if (off == r.body.end()) return RequestError{"missing \"priority_offset\""};
  if (!off->is_number_integer()) return RequestError{"\"priority_offset\" must be an integer"};
  const auto v = off->get<int64_t>();
  if (v < -kMaxPriorityOffset || v > kMaxPriorityOffset)
    return RequestError{"\"priority_offset\" must be within -254..254"};
  return PriorityOffsetRequest{name->get<std::string>(), static_cast<int>(v)};
}

json ok_reply(json members) {
  json reply = json::object();
  reply["ok"] = true;
  if (members.is_object())
    for (auto& [k, v] : members.items()) reply[k] = v;
  return reply;
}

json error_reply(std::string_view message) {
  return json{{"ok", false}, {"error", std::string(message)}};
}

std::string reply_line(const json& reply) {
  return reply.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace vigil::control
