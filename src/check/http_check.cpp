#include "check/http_check.h"

#include <sys/socket.h>

#include "check/curl_multi.h"

namespace vigil::check {
namespace {

std::string host_for_url(const IpAddress& a) {
  return a.is_v6() ? "[" + a.to_string() + "]" : a.to_string();
}

}  // namespace

HttpCheck::HttpCheck(CurlMulti& multi, HttpCheckOptions options)
    : multi_(multi), options_(std::move(options)), easy_(curl_easy_init()) {
  if (options_.urls.empty()) {
    conf::HttpUrl root;
    root.path = "/";
    options_.urls.push_back(root);
  }
  if (options_.regexes.size() != options_.urls.size()) {
    std::string error;  // the configuration was validated; a bad pattern just never matches
    compile_url_regexes(options_, error);
  }
}

bool compile_url_regexes(HttpCheckOptions& options, std::string& error) {
  options.regexes.assign(options.urls.size(), nullptr);
  for (size_t i = 0; i < options.urls.size(); ++i) {
    const conf::HttpUrl& u = options.urls[i];
    if (!u.regex) continue;
    std::string why;
    options.regexes[i] = BodyRegex::compile(u.regex_spec(), why);
    if (!options.regexes[i]) {
      error = "url(" + u.path + "): regex `" + *u.regex + "`: " + why;
      return false;
    }
  }
  return true;
}

HttpCheck::~HttpCheck() {
  cancel();
  curl_easy_cleanup(easy_);
}

Micros HttpCheck::timeout() const {
  // connect_timeout bounds each url's transfer (curl enforces it); the driver's deadline
  // covers the whole sequence.
  return options_.target.timeout * static_cast<int64_t>(options_.urls.size()) + Millis(500);
}

void HttpCheck::start(CheckDone done) {
  cancel();
  done_ = std::move(done);
  url_index_ = 0;
  fetch_url();
}

void HttpCheck::cancel() {
  multi_.remove(easy_);
  done_ = nullptr;
  free_lists();
}

void HttpCheck::free_lists() {
  curl_slist_free_all(headers_);
  curl_slist_free_all(connect_to_);
  headers_ = connect_to_ = nullptr;
}

size_t HttpCheck::on_body(char* data, size_t size, size_t n, void* userp) {
  auto* self = static_cast<HttpCheck*>(userp);
  std::string_view chunk(data, size * n);
  self->md5_->update(chunk);
  if (self->regex_) self->regex_->feed(chunk);
  return size * n;
}

int HttpCheck::on_socket_opened(void* userp, curl_socket_t fd, curlsocktype) {
  auto* self = static_cast<HttpCheck*>(userp);
  const CheckTarget& t = self->options_.target;
  if (t.fwmark) {
    uint32_t mark = *t.fwmark;
    if (::setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) < 0) return CURL_SOCKOPT_ERROR;
  }
  return CURL_SOCKOPT_OK;
}

void HttpCheck::configure_easy(const conf::HttpUrl& url) {
  const CheckTarget& t = options_.target;
  curl_easy_reset(easy_);
  free_lists();
  error_[0] = '\0';

  std::string scheme = options_.ssl ? "https://" : "http://";
  std::string port = std::to_string(t.port);
  std::string path = url.path.empty() || url.path.front() != '/' ? "/" + url.path : url.path;
  const std::optional<std::string>& vhost = url.virtualhost;
  if (options_.ssl && options_.enable_sni && vhost) {
    // SNI needs the name in the URL; CONNECT_TO still sends the packets to the real server.
    curl_easy_setopt(easy_, CURLOPT_URL, (scheme + *vhost + ":" + port + path).c_str());
    std::string map = *vhost + ":" + port + ":" + host_for_url(t.address) + ":" + port;
    connect_to_ = curl_slist_append(nullptr, map.c_str());
    curl_easy_setopt(easy_, CURLOPT_CONNECT_TO, connect_to_);
  } else {
    curl_easy_setopt(easy_, CURLOPT_URL,
                     (scheme + host_for_url(t.address) + ":" + port + path).c_str());
  }
  if (vhost) headers_ = curl_slist_append(headers_, ("Host: " + *vhost).c_str());
  if (options_.protocol == conf::HttpProtocol::V1_0C)
    headers_ = curl_slist_append(headers_, "Connection: close");
  headers_ = curl_slist_append(headers_, "User-Agent: KeepAliveClient");
  curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(easy_, CURLOPT_HTTP_VERSION,
                   options_.protocol == conf::HttpProtocol::V1_1 ? CURL_HTTP_VERSION_1_1
                                                                 : CURL_HTTP_VERSION_1_0);
  curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy_, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(easy_, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy_, CURLOPT_PROXY, "");  // never through an environment proxy
  long timeout_ms = static_cast<long>(std::chrono::duration_cast<Millis>(t.timeout).count());
  curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, error_);
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &HttpCheck::on_body);
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(easy_, CURLOPT_SOCKOPTFUNCTION, &HttpCheck::on_socket_opened);
  curl_easy_setopt(easy_, CURLOPT_SOCKOPTDATA, this);
  if (t.bind_if && t.bindto)
    curl_easy_setopt(easy_, CURLOPT_INTERFACE,
                     ("ifhost!" + *t.bind_if + "!" + t.bindto->to_string()).c_str());
  else if (t.bind_if)
    curl_easy_setopt(easy_, CURLOPT_INTERFACE, ("if!" + *t.bind_if).c_str());
  else if (t.bindto)
    curl_easy_setopt(easy_, CURLOPT_INTERFACE, ("host!" + t.bindto->to_string()).c_str());
  if (t.bind_port) curl_easy_setopt(easy_, CURLOPT_LOCALPORT, static_cast<long>(*t.bind_port));
  if (options_.ssl) {
    // keepalived checks that TLS works, not who the server is.
    curl_easy_setopt(easy_, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy_, CURLOPT_SSL_VERIFYHOST, 0L);
    if (const auto& c = options_.ssl_config) {
      if (c->certificate) curl_easy_setopt(easy_, CURLOPT_SSLCERT, c->certificate->c_str());
      if (c->key) curl_easy_setopt(easy_, CURLOPT_SSLKEY, c->key->c_str());
      if (c->password) curl_easy_setopt(easy_, CURLOPT_KEYPASSWD, c->password->c_str());
      if (c->ca) curl_easy_setopt(easy_, CURLOPT_CAINFO, c->ca->c_str());
    }
  }
}

void HttpCheck::fetch_url() {
  const conf::HttpUrl& url = options_.urls[url_index_];
  configure_easy(url);
  md5_.emplace();
  regex_.reset();
  if (const auto& re = options_.regexes[url_index_]) regex_.emplace(re);
  multi_.add(easy_, [this](CURLcode code) { on_transfer_done(code); });
}

void HttpCheck::on_transfer_done(CURLcode code) {
  if (!done_) return;
  const conf::HttpUrl& url = options_.urls[url_index_];
  CheckResult result;
  if (code != CURLE_OK) {
    result.message =
        "Error connecting server " + target() + " url(" + url.path +
        "): " + (error_[0] ? std::string(error_) : std::string(curl_easy_strerror(code))) + ".";
  } else {
    long status = 0;
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
    bool matched = false;
    std::optional<std::string> regex_error;
    if (regex_) {
      regex_->finish();
      matched = regex_->matched();
      regex_error = regex_->error();
    } else if (url.regex) {
      regex_error = "the pattern does not compile";
    }
    HttpVerdict v =
        evaluate_http_response(status, md5_->hex(), url, target(), matched, regex_error);
    result.success = v.success;
    result.message = std::move(v.message);
  }
  if (result.success && ++url_index_ < options_.urls.size()) {
    fetch_url();
    return;
  }
  auto done = std::move(done_);
  done_ = nullptr;
  free_lists();
  done(std::move(result));
}

}  // namespace vigil::check
