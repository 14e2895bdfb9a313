#include "loop/loop.h"

#include <asio/executor_work_guard.hpp>
#include <asio/post.hpp>

#include "loop/child.h"

namespace vigil::loop {

Loop::Loop() : children_(std::make_unique<ChildRegistry>(*this)) {}

Loop::~Loop() {
  children_->kill_all();
  children_.reset();
}

void Loop::run() {
  stop_requested_ = false;
  io_.restart();
  auto guard = asio::make_work_guard(io_);
  io_.run();
}

bool Loop::run_for(Millis limit) {
  stop_requested_ = false;
  io_.restart();
  auto guard = asio::make_work_guard(io_);
  io_.run_for(limit);
  return stop_requested_;
}

void Loop::stop() {
  stop_requested_ = true;
  io_.stop();
}

void Loop::set_lateness_watch(Micros threshold, LatenessWatch on_late) {
  late_threshold_ = threshold;
  on_late_ = std::move(on_late);
}

void Loop::check_lateness(MonoTime due) {
  const Micros late = std::chrono::duration_cast<Micros>(now() - due);
  if (late >= late_threshold_) on_late_(due, late);
}

void Loop::post(std::function<void()> fn) {
  asio::post(io_, std::move(fn));
}

}  // namespace vigil::loop
