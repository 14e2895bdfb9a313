// The client side of the control protocol (vigilctl, tests): one request, one reply.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace vigil::control {

struct ClientResult {
  enum class Error { None, NotRunning, PermissionDenied, Io, BadReply };
  Error error = Error::None;
  std::string message;  // for errors: a sentence for the operator
  nlohmann::json reply;
};

// Connects to `socket_path`, sends `request` as one line and reads one reply line, waiting at
// most `timeout_ms` for it.
ClientResult send_request(const std::string& socket_path, const nlohmann::json& request,
                          int timeout_ms = 5000);

}  // namespace vigil::control
