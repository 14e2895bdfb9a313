#include "check/http_response.h"

#include <openssl/evp.h>

#include <cctype>
#include <stdexcept>

namespace vigil::check {

struct Md5Digest::Impl {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

Md5Digest::Md5Digest() : impl_(std::make_unique<Impl>()) {
  if (!impl_->ctx || EVP_DigestInit_ex(impl_->ctx, EVP_md5(), nullptr) != 1)
    throw std::runtime_error("OpenSSL: MD5 is not available");
}

Md5Digest::~Md5Digest() = default;

void Md5Digest::update(std::string_view data) {
  EVP_DigestUpdate(impl_->ctx, data.data(), data.size());
}

std::string Md5Digest::hex() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(impl_->ctx, md, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xf];
  }
  return out;
}

std::string md5_hex(std::string_view data) {
  Md5Digest d;
  d.update(data);
  return d.hex();
}

namespace {

bool equal_nocase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

}  // namespace

std::string describe_status_codes(const conf::HttpUrl& url) {
  std::string s;
  for (const conf::StatusCodeRange& r : url.effective_status_codes()) {
    if (!s.empty()) s += ' ';
    s += std::to_string(r.first);
    if (r.last != r.first) s += "-" + std::to_string(r.last);
  }
  return s;
}

HttpVerdict evaluate_http_response(long status, std::string_view body_md5_hex,
                                   const conf::HttpUrl& url, std::string_view target,
                                   bool regex_matched,
                                   const std::optional<std::string>& regex_error) {
  const std::string to = std::string(target) + " url(" + url.path + ")";
  bool status_ok = false;
  for (const conf::StatusCodeRange& r : url.effective_status_codes())
    if (status >= r.first && status <= r.last) status_ok = true;
  if (!status_ok)
    return {false, "HTTP status code error to " + to + ", status_code [" + std::to_string(status) +
                       "] not in [" + describe_status_codes(url) + "]."};
  if (url.digest && !equal_nocase(*url.digest, body_md5_hex))
    return {false, "MD5 digest error to " + to + ", digest(" + std::string(body_md5_hex) +
                       ") expected(" + *url.digest + ")."};
  if (url.regex) {
    if (regex_error)
      return {false,
              "Regex match error to " + to + ", regex(" + *url.regex + "): " + *regex_error + "."};
    if (regex_matched == url.regex_no_match)
      return {false, "Regex match error to " + to + ", regex(" + *url.regex + ") " +
                         (regex_matched ? "found (regex_no_match)." : "not found.")};
  }
  if (url.digest) return {true, "MD5 digest success to " + to + "."};
  if (url.regex) return {true, "Regex match success to " + to + "."};
  return {true, "HTTP status code success to " + to + "."};
}

}  // namespace vigil::check
