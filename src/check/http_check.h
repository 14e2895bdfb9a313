// HTTP_GET and SSL_GET through libcurl's multi interface (CurlMulti). Each check fetches every
// configured url in turn; the check succeeds when all of them answer with an accepted status
// code (and the expected MD5 digest, and a body matching its regex, when set). TLS is not verified,
// as keepalived does not verify either; SNI is sent only with enable_sni.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/body_regex.h"
#include "check/checker.h"
#include "check/http_response.h"
#include "conf/model_lvs.h"

namespace vigil::check {

class CurlMulti;

struct HttpCheckOptions {
  CheckTarget target;
  bool ssl = false;
  conf::HttpProtocol protocol = conf::HttpProtocol::V1_0;
  bool enable_sni = false;
  // Each url's virtualhost already resolved (url, checker, real server, virtual server).
  std::vector<conf::HttpUrl> urls;
  std::optional<conf::SslConfig> ssl_config;  // the global SSL block: client certificate, CA
  // Per url (same index): its compiled `regex`, null when it has none. Filled by the
  // constructor when left empty.
  std::vector<std::shared_ptr<const BodyRegex>> regexes;
};

// Compiles every url's regex into options.regexes; false with `error` when one does not.
bool compile_url_regexes(HttpCheckOptions& options, std::string& error);

class HttpCheck final : public Checker {
 public:
  HttpCheck(CurlMulti& multi, HttpCheckOptions options);
  ~HttpCheck() override;
  std::string_view kind() const override { return options_.ssl ? "SSL_GET" : "HTTP_GET"; }
  std::string target() const override { return options_.target.label(); }
  void start(CheckDone done) override;
  void cancel() override;
  Micros timeout() const override;

 private:
  void fetch_url();
  void on_transfer_done(CURLcode code);
  void configure_easy(const conf::HttpUrl& url);
  static size_t on_body(char* data, size_t size, size_t n, void* userp);
  static int on_socket_opened(void* userp, curl_socket_t fd, curlsocktype purpose);

  CurlMulti& multi_;
  HttpCheckOptions options_;
  CURL* easy_ = nullptr;
  curl_slist* headers_ = nullptr;
  curl_slist* connect_to_ = nullptr;
  void free_lists();
  char error_[CURL_ERROR_SIZE] = {};
  size_t url_index_ = 0;
  std::optional<Md5Digest> md5_;
  std::optional<BodyRegexMatcher> regex_;
  CheckDone done_;
  std::string last_message_;
};

}  // namespace vigil::check
