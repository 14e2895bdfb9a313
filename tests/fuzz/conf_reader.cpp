// libFuzzer target: arbitrary bytes as keepalived.conf text must never crash the reader.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "conf/preprocess.h"
#include "conf/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Keep each input cheap: a ~SEQ over a huge range is a legitimate error, not a finding. The
  // coverage counters reward a loop body run more often, so this target's corpus drifts to
  // inputs that expand up to the cap. 300 lines reach 2,651 of the 2,652 edges its corpus reaches
  // with 2,000, at 1.7 x the rate (docs/reliability.md).
  vigil::conf::reader_limits().max_lines = 300;
  // Never open host files (e.g. `include /proc/kmsg` would block).
  vigil::conf::reader_limits().read_includes = false;
  vigil::conf::Diagnostics diag;
  vigil::conf::ReadOptions options;
  options.config_id = "fuzz";
  auto tree = vigil::conf::read_config_text(
      "/fuzz/keepalived.conf", std::string_view(reinterpret_cast<const char*>(data), size), options,
      diag);
  (void)diag.format(true);
  return 0;
}
