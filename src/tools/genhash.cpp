// genhash: prints the MD5 digest of a web page's body, for the `digest` of HTTP_GET / SSL_GET
// url blocks (keepalived's genhash, same options). The digest is computed exactly as the
// checker computes it (check/http_response.h), so what genhash prints is what the checker
// compares against.
#include <curl/curl.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "base/address.h"
#include "check/http_response.h"

namespace {

struct Transfer {
  vigil::check::Md5Digest md5;
  bool verbose = false;
  std::string body;
};

size_t on_body(char* data, size_t size, size_t n, void* userp) {
  auto* t = static_cast<Transfer*>(userp);
  t->md5.update(std::string_view(data, size * n));
  if (t->verbose) t->body.append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* userp) {
  auto* t = static_cast<Transfer*>(userp);
  if (t->verbose) std::fwrite(data, 1, size * n, stdout);
  return size * n;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"genhash: MD5 digest of a web page body, for HTTP_GET/SSL_GET digest lines"};
  std::string server, url = "/", vhost, protocol = "1.0", hash = "md5";
  uint16_t port = 0;
  bool ssl = false, verbose = false, sni = false;
  double timeout = 5;
  std::optional<uint32_t> fwmark;
  app.add_option("-s,--server", server, "IP address of the server")->required();
  app.add_option("-p,--port", port, "port (default 80, 443 with --use-ssl)");
  app.add_option("-u,--url", url, "path of the page")->capture_default_str();
  app.add_flag("-S,--use-ssl", ssl, "connect with TLS (certificates are not verified)");
  app.add_flag("-I,--sni", sni, "send the virtual host as TLS server name (SNI)");
  app.add_option("-V,--use-virtualhost", vhost, "Host header to send");
  app.add_option("-P,-r,--protocol", protocol, "HTTP version: 1.0, 1.0c or 1.1")
      ->check(CLI::IsMember({"1.0", "1.0c", "1.0C", "1.1"}))
      ->capture_default_str();
  app.add_option("-H,--hash", hash, "digest algorithm (only md5)")
      ->check(CLI::IsMember({"md5"}))
      ->capture_default_str();
  app.add_option("-t,--timeout", timeout, "connection timeout in seconds")->capture_default_str();
  app.add_option("-m,--fwmark", fwmark, "firewall mark for the socket");
  app.add_flag("-v,--verbose", verbose, "print the response headers and body too");
  CLI11_PARSE(app, argc, argv);

  auto address = vigil::IpAddress::parse(server);
  if (!address) {
    std::cerr << "genhash: --server must be an IP address: " << server << "\n";
    return 2;
  }
  if (port == 0) port = ssl ? 443 : 80;
  if (url.empty() || url.front() != '/') url = "/" + url;
  std::string host = address->is_v6() ? "[" + address->to_string() + "]" : address->to_string();
  std::string scheme = ssl ? "https://" : "http://";

  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL* easy = curl_easy_init();
  curl_slist* headers = nullptr;
  curl_slist* connect_to = nullptr;
  if (ssl && sni && !vhost.empty()) {
    curl_easy_setopt(easy, CURLOPT_URL,
                     (scheme + vhost + ":" + std::to_string(port) + url).c_str());
    std::string map = vhost + ":" + std::to_string(port) + ":" + host + ":" + std::to_string(port);
    connect_to = curl_slist_append(nullptr, map.c_str());
    curl_easy_setopt(easy, CURLOPT_CONNECT_TO, connect_to);
  } else {
    curl_easy_setopt(easy, CURLOPT_URL, (scheme + host + ":" + std::to_string(port) + url).c_str());
  }
  if (!vhost.empty()) headers = curl_slist_append(headers, ("Host: " + vhost).c_str());
  if (protocol == "1.0c" || protocol == "1.0C")
    headers = curl_slist_append(headers, "Connection: close");
  headers = curl_slist_append(headers, "User-Agent: KeepAliveClient");
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION,
                   protocol == "1.1" ? CURL_HTTP_VERSION_1_1 : CURL_HTTP_VERSION_1_0);
  curl_easy_setopt(easy, CURLOPT_PROXY, "");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout * 1000));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout * 1000) * 2);
  Transfer t;
  t.verbose = verbose;
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t);
  if (fwmark) {
    curl_easy_setopt(
        easy, CURLOPT_SOCKOPTFUNCTION, +[](void* mark, curl_socket_t fd, curlsocktype) {
          return ::setsockopt(fd, SOL_SOCKET, SO_MARK, mark, sizeof(uint32_t)) == 0
                     ? CURL_SOCKOPT_OK
                     : CURL_SOCKOPT_ERROR;
        });
    curl_easy_setopt(easy, CURLOPT_SOCKOPTDATA, &*fwmark);
  }
  CURLcode rc = curl_easy_perform(easy);
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_slist_free_all(connect_to);
  curl_easy_cleanup(easy);
  if (rc != CURLE_OK) {
    std::cerr << "genhash: " << scheme << host << ":" << port << url << ": "
              << curl_easy_strerror(rc) << "\n";
    return 1;
  }
  if (verbose) {
    std::cout << t.body << "\n";
    std::cout << "HTTP status code = " << status << "\n";
  }
  std::cout << "MD5SUM = " << t.md5.hex() << "\n";
  return 0;
}
