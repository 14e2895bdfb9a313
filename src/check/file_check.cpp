#include "check/file_check.h"

#include <fstream>

#include "check/real_server_state.h"
#include "loop/loop.h"

namespace vigil::check {

CheckResult FileCheck::read_now() const {
  std::string text;
  {
    // A missing file reads as 0, as keepalived's track_file does; a small regular file read
    // once per delay_loop does not block the loop noticeably.
    std::ifstream in(options_.path);
    char buf[64];
    if (in.read(buf, sizeof(buf)) || in.gcount() > 0)
      text.assign(buf, static_cast<size_t>(in.gcount()));
  }
  int64_t value = parse_track_file_value(text);
  FileOutcome o = file_value_outcome(value, options_.weight, options_.reverse, options_.dynamic);
  CheckResult r;
  r.success = o.success;
  r.weight_delta = o.weight_delta;
  r.message = "FILE_CHECK " + target() + " value " + std::to_string(value) +
              (o.success ? " success." : " failed.");
  return r;
}

void FileCheck::start(CheckDone done) {
  loop_.post(
      [this, alive = std::weak_ptr<bool>(alive_), gen = generation_, done = std::move(done)] {
        if (!alive.expired() && gen == generation_) done(read_now());
      });
}

}  // namespace vigil::check
