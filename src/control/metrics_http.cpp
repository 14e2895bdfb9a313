#include "control/metrics_http.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <type_traits>

#include <spdlog/spdlog.h>

#include "loop/fd_watch.h"
#include "loop/loop.h"
#include "loop/timer.h"

namespace vigil::control {

namespace {

// libmicrohttpd, loaded when a /metrics endpoint is opened: vigild's parent links no
// libmicrohttpd, whose GnuTLS and its dependencies would otherwise be mapped and relocated in
// every daemon, /metrics configured or not (docs/benchmarks.md).
struct MetricsMhdApi {
  decltype(&MHD_start_daemon) start_daemon = nullptr;
  decltype(&MHD_stop_daemon) stop_daemon = nullptr;
  decltype(&MHD_run) run = nullptr;
  decltype(&MHD_get_timeout) get_timeout = nullptr;
  decltype(&MHD_get_daemon_info) get_daemon_info = nullptr;
  decltype(&MHD_create_response_from_buffer) create_response_from_buffer = nullptr;
  decltype(&MHD_add_response_header) add_response_header = nullptr;
  decltype(&MHD_queue_response) queue_response = nullptr;
  decltype(&MHD_destroy_response) destroy_response = nullptr;
  decltype(&MHD_suspend_connection) suspend_connection = nullptr;
  decltype(&MHD_resume_connection) resume_connection = nullptr;
};

MetricsMhdApi metrics_mhd;
std::string metrics_mhd_error;

// True once libmicrohttpd is loaded; else false with metrics_mhd_error set.
bool load_metrics_mhd() {
  static std::once_flag once;
  static bool loaded = false;
  std::call_once(once, [] {
    void* lib = ::dlopen("libmicrohttpd.so.12", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      const char* why = ::dlerror();
      metrics_mhd_error = std::string("cannot load libmicrohttpd: ") + (why ? why : "?");
      return;
    }
    auto sym = [lib](auto& fn, const char* name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(::dlsym(lib, name));
      return fn != nullptr;
    };
    MetricsMhdApi& a = metrics_mhd;
    loaded = sym(a.start_daemon, "MHD_start_daemon") && sym(a.stop_daemon, "MHD_stop_daemon") &&
             sym(a.run, "MHD_run") && sym(a.get_timeout, "MHD_get_timeout") &&
             sym(a.get_daemon_info, "MHD_get_daemon_info") &&
             sym(a.create_response_from_buffer, "MHD_create_response_from_buffer") &&
             sym(a.add_response_header, "MHD_add_response_header") &&
             sym(a.queue_response, "MHD_queue_response") &&
             sym(a.destroy_response, "MHD_destroy_response") &&
             sym(a.suspend_connection, "MHD_suspend_connection") &&
             sym(a.resume_connection, "MHD_resume_connection");
    if (!loaded) metrics_mhd_error = "libmicrohttpd lacks a function vigil needs";
  });
  return loaded;
}

constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

MHD_Result send_text(MHD_Connection* connection, unsigned int code, const std::string& body,
                     const char* type) {
  MHD_Response* resp = metrics_mhd.create_response_from_buffer(
      body.size(), const_cast<char*>(body.data()), MHD_RESPMEM_MUST_COPY);
  if (!resp) return MHD_NO;
  metrics_mhd.add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  MHD_Result r = metrics_mhd.queue_response(connection, code, resp);
  metrics_mhd.destroy_response(resp);
  return r;
}

// libmicrohttpd's own messages go to the daemon's log, not to stderr.
void log_mhd(void*, const char* fmt, va_list ap) {
  char buf[512];
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  std::string line(buf);
  while (!line.empty() && line.back() == '\n') line.pop_back();
  spdlog::warn("metrics http: {}", line);
}

}  // namespace

struct MetricsServer::Impl {
  struct Pending {
    bool ready = false;
    std::string body;
  };
  loop::Loop& loop;
  Render render;
  AsyncRender async_render;
  MHD_Daemon* daemon = nullptr;
  std::unique_ptr<loop::FdWatch> watch;
  std::unique_ptr<loop::Timer> timer;
  // Connections suspended while their page is produced (async_render only).
  std::map<MHD_Connection*, Pending> pending;
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);

  Impl(loop::Loop& l, Render r) : loop(l), render(std::move(r)) {}
  ~Impl() {
    watch.reset();
    timer.reset();
    // libmicrohttpd wants every suspended connection resumed before it stops.
    for (auto& [connection, page] : pending)
      if (!page.ready) metrics_mhd.resume_connection(connection);
    if (daemon) metrics_mhd.stop_daemon(daemon);
  }

  // First call: suspend the connection and ask for the page; the call after the resume
  // answers with it.
  MHD_Result serve_async(MHD_Connection* connection) {
    auto it = pending.find(connection);
    if (it == pending.end()) {
      pending[connection] = Pending{};
      metrics_mhd.suspend_connection(connection);
      std::weak_ptr<bool> token = alive;
      async_render([this, token, connection](std::string body) {
        loop.post([this, token, connection, body = std::move(body)]() mutable {
          if (token.expired()) return;
          auto p = pending.find(connection);
          if (p == pending.end() || p->second.ready) return;
          p->second.ready = true;
          p->second.body = std::move(body);
          metrics_mhd.resume_connection(connection);
          run();
        });
      });
      return MHD_YES;
    }
    if (!it->second.ready) return MHD_YES;
    const std::string body = std::move(it->second.body);
    pending.erase(it);
    return send_text(connection, MHD_HTTP_OK, body, kContentType);
  }

  static MHD_Result on_request(void* cls, MHD_Connection* connection, const char* url,
                               const char* method, const char*, const char*, size_t*, void**) {
    auto* self = static_cast<Impl*>(cls);
    if (std::strcmp(method, "GET") != 0 && std::strcmp(method, "HEAD") != 0)
      return send_text(connection, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET\n", "text/plain");
    if (std::strcmp(url, "/metrics") != 0)
      return send_text(connection, MHD_HTTP_NOT_FOUND, "see /metrics\n", "text/plain");
    if (self->async_render) return self->serve_async(connection);
    std::string body;
    try {
      body = self->render();
    } catch (const std::exception& e) {
      return send_text(connection, MHD_HTTP_INTERNAL_SERVER_ERROR, e.what(), "text/plain");
    }
    return send_text(connection, MHD_HTTP_OK, body, kContentType);
  }

  // Let MHD do its work, then re-arm the timer for whatever it waits for next.
  void run() {
    metrics_mhd.run(daemon);
    MHD_UNSIGNED_LONG_LONG ms = 0;
    if (metrics_mhd.get_timeout(daemon, &ms) == MHD_YES)
      timer->arm_after(std::chrono::duration_cast<Micros>(Millis(static_cast<int64_t>(ms))));
    else
      timer->cancel();
  }
};

MetricsServer::MetricsServer(std::unique_ptr<Impl> impl, uint16_t port)
    : impl_(std::move(impl)), port_(port) {}

MetricsServer::~MetricsServer() = default;

std::unique_ptr<MetricsServer> MetricsServer::open_async(loop::Loop& loop, const IpAddress& address,
                                                         uint16_t port, AsyncRender render,
                                                         std::string& error) {
  auto impl = std::make_unique<Impl>(loop, nullptr);
  impl->async_render = std::move(render);
  return start(std::move(impl), address, port, error);
}

std::unique_ptr<MetricsServer> MetricsServer::open(loop::Loop& loop, const IpAddress& address,
                                                   uint16_t port, Render render,
                                                   std::string& error) {
  return start(std::make_unique<Impl>(loop, std::move(render)), address, port, error);
}

std::unique_ptr<MetricsServer> MetricsServer::start(std::unique_ptr<Impl> impl,
                                                    const IpAddress& address, uint16_t port,
                                                    std::string& error) {
  if (!load_metrics_mhd()) {
    error = metrics_mhd_error;
    return nullptr;
  }
  loop::Loop& loop = impl->loop;
  sockaddr_storage ss{};
  unsigned int flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
  if (impl->async_render) flags |= MHD_ALLOW_SUSPEND_RESUME;
  if (address.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    sin->sin_addr = address.to_in_addr();
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    sin6->sin6_addr = address.to_in6_addr();
    flags |= MHD_USE_IPv6;
  }
  impl->daemon =
      metrics_mhd.start_daemon(flags, port, nullptr, nullptr, &Impl::on_request, impl.get(),
                               MHD_OPTION_SOCK_ADDR, reinterpret_cast<sockaddr*>(&ss),
                               MHD_OPTION_CONNECTION_LIMIT, 16u, MHD_OPTION_CONNECTION_TIMEOUT, 10u,
                               MHD_OPTION_EXTERNAL_LOGGER, &log_mhd, nullptr, MHD_OPTION_END);
  if (!impl->daemon) {
    error = "cannot listen for /metrics on " + address.to_string() + " port " +
            std::to_string(port) + " (address in use or not configured here?)";
    return nullptr;
  }
  const MHD_DaemonInfo* info = metrics_mhd.get_daemon_info(impl->daemon, MHD_DAEMON_INFO_EPOLL_FD);
  const MHD_DaemonInfo* bound =
      metrics_mhd.get_daemon_info(impl->daemon, MHD_DAEMON_INFO_BIND_PORT);
  if (!info) {
    error = "libmicrohttpd has no epoll descriptor";
    return nullptr;
  }
  Impl* raw = impl.get();
  impl->timer = std::make_unique<loop::Timer>(loop, [raw] { raw->run(); });
  impl->watch = std::make_unique<loop::FdWatch>(loop, info->epoll_fd, [raw] { raw->run(); });
  raw->run();
  return std::unique_ptr<MetricsServer>(
      new MetricsServer(std::move(impl), bound ? bound->port : port));
}

}  // namespace vigil::control
