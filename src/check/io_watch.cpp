#include "check/io_watch.h"

#include <spdlog/spdlog.h>

#include <asio/posix/stream_descriptor.hpp>

#include "loop/loop.h"

namespace vigil::check {

struct IoWatch::State {
  State(asio::io_context& io, int fd, std::function<void(bool, bool)> cb)
      : descriptor(io, fd), on_ready(std::move(cb)) {}
  asio::posix::stream_descriptor descriptor;
  std::function<void(bool, bool)> on_ready;
  bool active = true;
  bool want_read = false, want_write = false;
  bool read_pending = false, write_pending = false;
};

IoWatch::IoWatch(loop::Loop& loop, int fd, std::function<void(bool, bool)> on_ready)
    : state_(std::make_shared<State>(loop.context(), fd, std::move(on_ready))) {}

IoWatch::~IoWatch() {
  state_->active = false;
  std::error_code ignored;
  state_->descriptor.cancel(ignored);
  (void)state_->descriptor.release();  // the fd belongs to the caller
}

int IoWatch::fd() const {
  return state_->descriptor.native_handle();
}

void IoWatch::want(bool read, bool write) {
  state_->want_read = read;
  state_->want_write = write;
  if (read && !state_->read_pending) arm(state_, false);
  if (write && !state_->write_pending) arm(state_, true);
  // A pending wait no longer wanted is left to complete; its callback is then suppressed.
}

void IoWatch::arm(const std::shared_ptr<State>& s, bool write) {
  (write ? s->write_pending : s->read_pending) = true;
  s->descriptor.async_wait(write ? asio::posix::stream_descriptor::wait_write
                                 : asio::posix::stream_descriptor::wait_read,
                           [weak = std::weak_ptr<State>(s), write](const std::error_code& ec) {
                             auto st = weak.lock();
                             if (!st) return;
                             (write ? st->write_pending : st->read_pending) = false;
                             if (!st->active || ec == asio::error::operation_aborted) return;
                             bool wanted = write ? st->want_write : st->want_read;
                             if (!wanted) return;
                             if (ec) {
                               spdlog::error("checker socket watch on fd {} failed: {}",
                                             st->descriptor.native_handle(), ec.message());
                               return;
                             }
                             st->on_ready(!write, write);
                             // The callback may have destroyed the watch or changed its interest.
                             if (st->active && (write ? st->want_write : st->want_read) &&
                                 !(write ? st->write_pending : st->read_pending))
                               arm(st, write);
                           });
}

}  // namespace vigil::check
