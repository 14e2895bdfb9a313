#include "check/curl_multi.h"

#include <spdlog/spdlog.h>

#include <mutex>

#include "loop/loop.h"

namespace vigil::check {
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

CurlMulti::CurlMulti(loop::Loop& loop)
    : loop_(loop),
      multi_(nullptr),
      timer_(loop, [this] { socket_action(CURL_SOCKET_TIMEOUT, 0); }) {
  global_init_once();
  multi_ = curl_multi_init();
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMulti::on_socket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMulti::on_timer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
}

CurlMulti::~CurlMulti() {
  for (auto& [easy, done] : pending_) curl_multi_remove_handle(multi_, easy);
  pending_.clear();
  watches_.clear();
  timer_.cancel();
  curl_multi_cleanup(multi_);
}

void CurlMulti::add(CURL* easy, std::function<void(CURLcode)> done) {
  pending_[easy] = std::move(done);
  CURLMcode rc = curl_multi_add_handle(multi_, easy);
  if (rc != CURLM_OK) {
    auto failed = std::move(pending_[easy]);
    pending_.erase(easy);
    spdlog::error("curl_multi_add_handle: {}", curl_multi_strerror(rc));
    loop_.post([failed = std::move(failed)] {
      if (failed) failed(CURLE_FAILED_INIT);
    });
  }
}

void CurlMulti::remove(CURL* easy) {
  if (pending_.erase(easy)) curl_multi_remove_handle(multi_, easy);
}

int CurlMulti::on_socket(CURL*, curl_socket_t s, int what, void* userp, void*) {
  auto* self = static_cast<CurlMulti*>(userp);
  if (what == CURL_POLL_REMOVE) {
    self->watches_.erase(s);
    return 0;
  }
  auto& watch = self->watches_[s];
  if (!watch)
    watch = std::make_unique<IoWatch>(self->loop_, s, [self, s](bool r, bool w) {
      self->socket_action(s, (r ? CURL_CSELECT_IN : 0) | (w ? CURL_CSELECT_OUT : 0));
    });
  watch->want(what == CURL_POLL_IN || what == CURL_POLL_INOUT,
              what == CURL_POLL_OUT || what == CURL_POLL_INOUT);
  return 0;
}

int CurlMulti::on_timer(CURLM*, long timeout_ms, void* userp) {
  auto* self = static_cast<CurlMulti*>(userp);
  if (timeout_ms < 0)
    self->timer_.cancel();
  else
    self->timer_.arm_after(Millis(timeout_ms));  // 0 fires on the next loop turn, not inside curl
  return 0;
}

void CurlMulti::socket_action(curl_socket_t s, int events) {
  int running = 0;
  curl_multi_socket_action(multi_, s, events, &running);
  collect_done();
}

void CurlMulti::collect_done() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURL* easy = msg->easy_handle;
    CURLcode code = msg->data.result;
    curl_multi_remove_handle(multi_, easy);
    auto it = pending_.find(easy);
    if (it == pending_.end()) continue;
    auto done = std::move(it->second);
    pending_.erase(it);
    if (done) done(code);
  }
}

}  // namespace vigil::check
