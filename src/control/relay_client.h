// One control request to another daemon process's unix socket, answered on the Loop: the
// supervisor uses it to pass operator requests to its workers without blocking its loop.
// Non-blocking connect, one request line out, one reply line back, all bounded by a timeout.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/time.h"

namespace vigil::loop {
class Loop;
}

namespace vigil::control {

// Exactly one of reply / error is meaningful: reply set, or error says why not ("not
// running", "no answer within 5 s", ...). Runs on the loop, never inside the call.
using RelayDone = std::function<void(std::optional<nlohmann::json> reply, std::string error)>;

void relay_request(loop::Loop& loop, const std::string& socket_path, const nlohmann::json& request,
                   Millis timeout, RelayDone done);

}  // namespace vigil::control
