#include "notify/smtp_alert.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <cstring>
#include <ctime>
#include <mutex>
#include <thread>

namespace vigil::notify {

MailSettings mail_settings_from(const conf::GlobalDefs& g) {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  MailSettings s;
  if (g.smtp_server) {
    s.server = g.smtp_server->host;
    s.port = g.smtp_server->port;
  }
  s.router_id = g.router_id.value_or(host);
  s.from = g.notification_email_from.value_or(std::string("keepalived@") + host);
  s.to = g.notification_email;
  s.helo = g.smtp_helo_name.value_or(s.router_id);
  s.connect_timeout = g.smtp_connect_timeout;
  return s;
}
namespace {

std::string rfc5322_date() {
  char buf[64];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S %z", &tm);
  return buf;
}

struct Upload {
  std::string data;
  size_t offset = 0;
};

size_t read_upload(char* ptr, size_t size, size_t nmemb, void* userp) {
  auto* u = static_cast<Upload*>(userp);
  size_t n = std::min(size * nmemb, u->data.size() - u->offset);
  std::memcpy(ptr, u->data.data() + u->offset, n);
  u->offset += n;
  return n;
}

void send_blocking(const MailSettings& s, const Mail& m) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (!curl) return;
  std::string host = s.server.find(':') != std::string::npos ? "[" + s.server + "]" : s.server;
  std::string url = "smtp://" + host + ":" + std::to_string(s.port) + "/" + s.helo;
  Upload up{format_message(s, m)};
  curl_slist* rcpt = nullptr;
  for (const auto& t : s.to) rcpt = curl_slist_append(rcpt, ("<" + t + ">").c_str());
  std::string from = "<" + s.from + ">";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &up);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(s.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(s.connect_timeout.count() + 30));
  CURLcode rc = curl_easy_perform(curl);
  if (rc != CURLE_OK)
    spdlog::warn("smtp_alert: cannot send \"{}\" via {}:{}: {}", m.subject, s.server, s.port,
                 curl_easy_strerror(rc));
  else
    spdlog::info("smtp_alert: sent \"{}\"", m.subject);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
}

}  // namespace

Mail vrrp_state_mail(const MailSettings& s, bool group, const std::string& name,
                     const std::string& state) {
  Mail m;
  m.subject = "[" + s.router_id + "] VRRP " + (group ? "Group " : "Instance ") + name +
              " - Entering " + state + " state";
  if (state == "MASTER")
    m.body = "=> VRRP Instance is now owning VRRP VIPs <=";
  else if (state == "BACKUP")
    m.body = "=> VRRP Instance is no longer owning VRRP VIPs <=";
  else if (state == "FAULT")
    m.body = "=> VRRP Instance is in FAULT state <=";
  else
    m.body = "=> VRRP Instance is stopping <=";
  return m;
}

std::string format_message(const MailSettings& s, const Mail& m) {
  std::string to;
  for (const auto& t : s.to) to += (to.empty() ? "" : ", ") + t;
  return "From: " + s.from + "\r\nTo: " + to + "\r\nSubject: " + m.subject +
         "\r\nDate: " + rfc5322_date() + "\r\nX-Mailer: vigil\r\n\r\n" + m.body + "\r\n";
}

void send_mail_async(const MailSettings& s, Mail m) {
  if (s.server.empty() || s.to.empty()) return;
  std::thread([s, m = std::move(m)] { send_blocking(s, m); }).detach();
}

}  // namespace vigil::notify
