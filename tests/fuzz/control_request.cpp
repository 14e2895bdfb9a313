// libFuzzer target: a control-socket request line must never crash the daemon. The bytes go
// through the pure parser, the typed argument parsers and a registry with the built-in
// commands (no router, no reload hook), and the reply must render as one JSON line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "control/commands.h"
#include "control/protocol.h"

using namespace vigil::control;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_request(line);
  if (auto* r = std::get_if<Request>(&parsed)) (void)parse_priority_offset(*r);

  static CommandRegistry* registry = [] {
    auto* reg = new CommandRegistry;
    register_core_commands(*reg, nullptr, nullptr);
    return reg;
  }();
  const std::string reply = reply_line(registry->dispatch(line));
  if (reply.empty() || reply.back() != '\n' || reply.find('\n') != reply.size() - 1) std::abort();
  return 0;
}
