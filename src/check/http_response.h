// The pure part of HTTP_GET / SSL_GET: judging one response (status code ranges, MD5 digest of
// the body) and computing the digest, shared by the checker, genhash and the fuzz target.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "conf/model_checkers.h"

namespace vigil::check {

// Incremental MD5 of a body, printed as keepalived's genhash does (32 lower-case hex digits).
class Md5Digest {
 public:
  Md5Digest();
  ~Md5Digest();
  Md5Digest(const Md5Digest&) = delete;
  Md5Digest& operator=(const Md5Digest&) = delete;
  void update(std::string_view data);
  std::string hex();  // finishes the digest; call once

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string md5_hex(std::string_view data);

struct HttpVerdict {
  bool success = false;
  std::string message;  // keepalived-style wording
};

// Judges a response to `url`: the status must be in the url's status_code ranges (200-299 when
// none is given), and when a digest is configured the body's MD5 must equal it
// (case-insensitively). `body_md5_hex` is the MD5 of the whole body; `target` names the server
// in the message ("[198.51.100.2]:tcp:80").
// With a `regex` on the url, `regex_matched` says whether the body matched it (the check needs
// a match, or none with regex_no_match) and `regex_error` is a matching failure, if any.
HttpVerdict evaluate_http_response(long status, std::string_view body_md5_hex,
                                   const conf::HttpUrl& url, std::string_view target,
                                   bool regex_matched = false,
                                   const std::optional<std::string>& regex_error = std::nullopt);

// "200-299 404" for messages.
std::string describe_status_codes(const conf::HttpUrl& url);

}  // namespace vigil::check
