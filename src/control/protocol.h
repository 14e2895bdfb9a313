// The control protocol: one JSON object per line in each direction over a unix stream socket.
//
//   request  {"command": "status"}
//            {"command": "instance", "name": "VI_1", "priority_offset": -60}
//            {"command": "reload"}
//            {"command": "rs", "action": "drain"|"enable", ...}   (handler registered by LVS)
//   reply    {"ok": true, ...command-specific members...}
//            {"ok": false, "error": "what went wrong"}
//
// A request may carry "id" (any JSON value); the reply echoes it. Parsing is pure so it can be
// unit-tested and fuzzed (tests/fuzz/control_request.cpp) without sockets.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace vigil::control {

// A request line longer than this is refused (and the connection closed).
inline constexpr size_t kMaxRequestBytes = 64 * 1024;

struct Request {
  std::string command;
  nlohmann::json body;  // the whole request object (arguments are members of it)
};

struct RequestError {
  std::string message;
};

// One line (without its newline) → a request, or why it is not one. Never throws.
std::variant<Request, RequestError> parse_request(std::string_view line);

// `instance NAME priority_offset N`.
struct PriorityOffsetRequest {
  std::string instance;
  int offset = 0;
};
inline constexpr int kMaxPriorityOffset = 254;
std::variant<PriorityOffsetRequest, RequestError> parse_priority_offset(const Request& r);

nlohmann::json ok_reply(nlohmann::json members = nlohmann::json::object());
nlohmann::json error_reply(std::string_view message);
// The reply as one line with its newline; invalid UTF-8 in strings is replaced, never thrown.
std::string reply_line(const nlohmann::json& reply);

}  // namespace vigil::control
