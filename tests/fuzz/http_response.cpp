// Fuzzes the HTTP response evaluation shared by HTTP_GET/SSL_GET and genhash: arbitrary status
// codes, bodies (digested incrementally in arbitrary chunks) and url settings (status ranges,
// expected digest) must give a verdict, never a crash, and the verdict must agree with a
// direct re-computation.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "check/http_response.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 8) return 0;
  using vigil::conf::HttpUrl;
  using vigil::conf::StatusCodeRange;
  long status = static_cast<long>((data[0] << 8 | data[1]) % 1000) - 100 * (data[2] & 1);
  HttpUrl url;
  url.path = "/";
  size_t ranges = data[3] % 4;
  for (size_t i = 0; i < ranges && 4 + 2 * i + 1 < size; ++i) {
    uint16_t a = static_cast<uint16_t>(data[4 + 2 * i] * 3);
    uint16_t b = static_cast<uint16_t>(a + data[5 + 2 * i]);
    url.status_codes.push_back(StatusCodeRange{a, b});
  }
  std::string_view body(reinterpret_cast<const char*>(data) + 8, size - 8);
  size_t chunk = (data[7] % 32) + 1;
  vigil::check::Md5Digest md5;
  for (size_t off = 0; off < body.size(); off += chunk) md5.update(body.substr(off, chunk));
  std::string digest = md5.hex();
  if (digest != vigil::check::md5_hex(body)) __builtin_trap();
  if (data[6] & 1) url.digest = (data[6] & 2) ? digest : std::string(body.substr(0, 32));
  vigil::check::HttpVerdict v =
      vigil::check::evaluate_http_response(status, digest, url, "[198.51.100.2]:tcp:80");
  bool in_range = false;
  for (const StatusCodeRange& r : url.effective_status_codes())
    in_range |= status >= r.first && status <= r.last;
  if (in_range && (!url.digest || *url.digest == digest) && !v.success) __builtin_trap();
  if (!in_range && v.success) __builtin_trap();
  return 0;
}
