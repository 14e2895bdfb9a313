// libFuzzer target: a control-socket request line must never crash the daemon. The bytes go
// through the pure parser, the typed argument parsers and a command registry, and the reply
// must render as one JSON line. The registry's handlers stand in for the daemon's (which need
// a running VRRP router): one parses `instance` arguments as the real one does, one echoes the
// whole request object back (so any parsed JSON must survive reply rendering), one throws.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>
#include <variant>

#include "control/commands.h"
#include "control/protocol.h"

using namespace vigil::control;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_request(line);
  if (auto* r = std::get_if<Request>(&parsed)) (void)parse_priority_offset(*r);

  static CommandRegistry* registry = [] {
    auto* reg = new CommandRegistry;
    reg->add("instance", [](const Request& r) {
      auto req = parse_priority_offset(r);
      if (auto* err = std::get_if<RequestError>(&req)) return error_reply(err->message);
      const auto& ok = std::get<PriorityOffsetRequest>(req);
      return ok_reply({{"instance", ok.instance}, {"priority_offset", ok.offset}});
    });
    reg->add("status", [](const Request& r) { return ok_reply({{"request", r.body}}); });
    reg->add("reload",
             [](const Request&) -> nlohmann::json { throw std::runtime_error("handler failure"); });
    return reg;
  }();
  const std::string reply = reply_line(registry->dispatch(line));
  if (reply.empty() || reply.back() != '\n' || reply.find('\n') != reply.size() - 1) std::abort();
  return 0;
}
