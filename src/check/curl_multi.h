// libcurl's multi interface driven by the Loop: curl tells us which sockets to watch
// (CURLMOPT_SOCKETFUNCTION -> IoWatch) and when to wake it (CURLMOPT_TIMERFUNCTION -> Timer),
// so thousands of HTTP_GET / SSL_GET transfers share one thread without blocking it.
#pragma once

#include <curl/curl.h>

#include <functional>
#include <map>
#include <memory>

#include "check/io_watch.h"
#include "loop/timer.h"

namespace vigil::check {

class CurlMulti {
 public:
  explicit CurlMulti(loop::Loop& loop);
  ~CurlMulti();
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;

  // Starts a configured easy handle (the caller keeps owning it); `done(code)` runs on the loop
  // when the transfer has ended, after the handle was taken out of the multi handle.
  void add(CURL* easy, std::function<void(CURLcode)> done);
  // Abandons a transfer; its `done` will not run. Harmless for a handle not added.
  void remove(CURL* easy);
  size_t active() const { return pending_.size(); }

 private:
  static int on_socket(CURL* easy, curl_socket_t s, int what, void* userp, void* socketp);
  static int on_timer(CURLM* multi, long timeout_ms, void* userp);
  void socket_action(curl_socket_t s, int events);
  void collect_done();

  loop::Loop& loop_;
  CURLM* multi_;
  loop::Timer timer_;
  std::map<curl_socket_t, std::unique_ptr<IoWatch>> watches_;
  std::map<CURL*, std::function<void(CURLcode)>> pending_;
};

}  // namespace vigil::check
