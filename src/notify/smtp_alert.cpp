#include "notify/smtp_alert.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <condition_variable>
#include <cstring>
#include <ctime>
#include <mutex>
#include <system_error>
#include <thread>
#include <type_traits>

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

// libcurl, loaded on the first mail: the VRRP worker (vigild-vrrp) links no libcurl, whose
// dependencies (GnuTLS, krb5, LDAP, ssh2, ...) would otherwise be mapped and relocated in
// every VRRP process, mails or not (about 4 MiB resident; docs/benchmarks.md).
struct SmtpCurlApi {
  decltype(&curl_global_init) global_init = nullptr;
  decltype(&curl_easy_init) easy_init = nullptr;
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...) = nullptr;
  decltype(&curl_easy_perform) easy_perform = nullptr;
  decltype(&curl_easy_strerror) easy_strerror = nullptr;
  decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&curl_slist_append) slist_append = nullptr;
  decltype(&curl_slist_free_all) slist_free_all = nullptr;
};

// Null when libcurl cannot be loaded; `why` then says why (the same for every later call).
const SmtpCurlApi* smtp_curl_api(std::string& why) {
  static std::once_flag once;
  static SmtpCurlApi api;
  static std::string load_error;
  std::call_once(once, [] {
    void* lib = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      const char* e = ::dlerror();
      load_error = std::string("cannot load libcurl: ") + (e ? e : "unknown error");
      return;
    }
    auto sym = [lib](auto& fn, const char* name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(::dlsym(lib, name));
      return fn != nullptr;
    };
    bool loaded =
        sym(api.global_init, "curl_global_init") && sym(api.easy_init, "curl_easy_init") &&
        sym(api.easy_setopt, "curl_easy_setopt") && sym(api.easy_perform, "curl_easy_perform") &&
        sym(api.easy_strerror, "curl_easy_strerror") &&
        sym(api.easy_cleanup, "curl_easy_cleanup") && sym(api.slist_append, "curl_slist_append") &&
        sym(api.slist_free_all, "curl_slist_free_all");
    if (!loaded) {
      load_error = "libcurl lacks a function it needs";
      return;
    }
    api.global_init(CURL_GLOBAL_DEFAULT);
  });
  why = load_error;
  return load_error.empty() ? &api : nullptr;
}

struct SendOutcome {
  spdlog::level::level_enum level;
  std::string text;
};

SendOutcome send_blocking(const MailSettings& s, const Mail& m) {
  std::string why;
  const SmtpCurlApi* c = smtp_curl_api(why);
  if (!c) return {spdlog::level::err, "smtp_alert: " + why};
  CURL* curl = c->easy_init();
  if (!curl) return {spdlog::level::err, "smtp_alert: curl_easy_init failed"};
  std::string host = s.server.find(':') != std::string::npos ? "[" + s.server + "]" : s.server;
  std::string url = "smtp://" + host + ":" + std::to_string(s.port) + "/" + s.helo;
  Upload up{format_message(s, m)};
  curl_slist* rcpt = nullptr;
  for (const auto& t : s.to) rcpt = c->slist_append(rcpt, ("<" + t + ">").c_str());
  std::string from = "<" + s.from + ">";
  c->easy_setopt(curl, CURLOPT_URL, url.c_str());
  c->easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  c->easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  c->easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
  c->easy_setopt(curl, CURLOPT_READDATA, &up);
  c->easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  c->easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  c->easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(s.connect_timeout.count()));
  c->easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(s.connect_timeout.count() + 30));
  CURLcode rc = c->easy_perform(curl);
  SendOutcome out =
      rc != CURLE_OK
          ? SendOutcome{spdlog::level::warn,
                        fmt::format("smtp_alert: cannot send \"{}\" via {}:{}: {}", m.subject,
                                    s.server, s.port, c->easy_strerror(rc))}
          : SendOutcome{spdlog::level::info, fmt::format("smtp_alert: sent \"{}\"", m.subject)};
  c->slist_free_all(rcpt);
  c->easy_cleanup(curl);
  return out;
}

// Senders are detached threads, and the process may exit while one runs (the STOP mail is
// sent during shutdown). At exit spdlog's logger is freed by a static destructor; a sender
// logging after that read freed memory (ASan, lab S3). So exit waits, bounded, for the mails
// in flight, and a sender that finishes later stays silent. The bookkeeping is never freed, so
// such a late sender touches only live memory.
struct MailsInFlight {
  std::mutex mutex;
  std::condition_variable finished;
  int count = 0;
  bool exiting = false;
};

MailsInFlight& mails_in_flight() {
  static auto* in_flight = new MailsInFlight;  // leaked on purpose, see above
  return *in_flight;
}

// A live local mail server takes milliseconds; a dead one must not hold up a stop for long.
constexpr std::chrono::seconds kExitWaitForMail{3};

// Constructed on the first mail, after logging was set up, so destroyed before spdlog's
// registry (statics are destroyed in reverse order of construction).
struct WaitForMailsAtExit {
  ~WaitForMailsAtExit() {
    MailsInFlight& f = mails_in_flight();
    std::unique_lock lock(f.mutex);
    if (!f.finished.wait_for(lock, kExitWaitForMail, [&f] { return f.count == 0; }))
      spdlog::warn("smtp_alert: {} mail(s) still being sent at exit, not waited for", f.count);
    f.exiting = true;
  }
};

void send_and_report(const MailSettings& s, const Mail& m) {
  SendOutcome out = send_blocking(s, m);
  MailsInFlight& f = mails_in_flight();
  std::lock_guard lock(f.mutex);
  if (!f.exiting) spdlog::log(out.level, "{}", out.text);
  --f.count;
  f.finished.notify_all();
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
  static WaitForMailsAtExit wait_at_exit;
  {
    MailsInFlight& f = mails_in_flight();
    std::lock_guard lock(f.mutex);
    if (f.exiting) return;
    ++f.count;
  }
  try {
    std::thread([s, m = std::move(m)] { send_and_report(s, m); }).detach();
  } catch (const std::system_error& e) {
    MailsInFlight& f = mails_in_flight();
    std::lock_guard lock(f.mutex);
    --f.count;
    spdlog::error("smtp_alert: cannot start a sender thread: {}", e.what());
  }
}

}  // namespace vigil::notify
