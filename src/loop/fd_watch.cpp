#include "loop/fd_watch.h"

#include <spdlog/spdlog.h>
#include <asio/posix/stream_descriptor.hpp>

#include "loop/loop.h"

namespace vigil::loop {

struct FdWatch::State {
  State(asio::io_context& io, int fd, std::function<void()> cb)
      : descriptor(io, fd), on_readable(std::move(cb)) {}
  asio::posix::stream_descriptor descriptor;
  std::function<void()> on_readable;
  bool active = true;
};

FdWatch::FdWatch(Loop& loop, int fd, std::function<void()> on_readable)
    : state_(std::make_shared<State>(loop.context(), fd, std::move(on_readable))) {
  wait_readable(state_);
}

FdWatch::~FdWatch() {
  state_->active = false;
  std::error_code ignored;
  state_->descriptor.cancel(ignored);
  // The fd belongs to the caller: hand it back instead of closing it.
  (void)state_->descriptor.release();
}

int FdWatch::fd() const {
  return state_->descriptor.native_handle();
}

void FdWatch::wait_readable(const std::shared_ptr<State>& state) {
  state->descriptor.async_wait(asio::posix::stream_descriptor::wait_read,
                               [weak = std::weak_ptr<State>(state)](const std::error_code& ec) {
                                 auto s = weak.lock();
                                 if (!s || !s->active || ec == asio::error::operation_aborted)
                                   return;
                                 if (ec) {
                                   // A broken descriptor would fail again at once: report and stop
                                   // watching.
                                   spdlog::error("fd watch on fd {} failed: {}",
                                                 s->descriptor.native_handle(), ec.message());
                                   return;
                                 }
                                 s->on_readable();
                                 // The callback may have destroyed the watch (active is then
                                 // false).
                                 if (s->active) wait_readable(s);
                               });
}

}  // namespace vigil::loop
