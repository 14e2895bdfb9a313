#include "notify/fifo_script.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "loop/timer.h"

namespace vigil::notify {

struct FifoScript::State : std::enable_shared_from_this<FifoScript::State> {
  State(loop::Loop& l, loop::ChildSpec s, std::string w, RestartBackoff b)
      : loop(l), spec(std::move(s)), what(std::move(w)), backoff(b), restart_timer(l, [this] {
          spawn();
        }) {}

  void spawn();
  void on_exit(const loop::ChildResult& r);

  loop::Loop& loop;
  loop::ChildSpec spec;
  std::string what;
  RestartBackoff backoff;
  loop::Timer restart_timer;
  pid_t pid = -1;
  MonoTime started_at{};
  bool stopped = false;
  unsigned restarts = 0;
};

void FifoScript::State::spawn() {
  if (stopped) return;
  started_at = loop.now();
  // The callback may outlive this object (the loop reaps the child later): hold it weakly.
  std::weak_ptr<State> weak = weak_from_this();
  pid = loop.spawn(spec, [weak](const loop::ChildResult& r) {
    if (auto self = weak.lock()) self->on_exit(r);
  });
}

void FifoScript::State::on_exit(const loop::ChildResult& r) {
  pid = -1;
  if (stopped) return;
  const auto ran_for = std::chrono::duration_cast<Micros>(loop.now() - started_at);
  const Micros delay = backoff.after_exit(ran_for);
  const double secs = static_cast<double>(delay.count()) / 1e6;
  spdlog::warn("notify FIFO script {} {}; restarting in {:g} s", what, loop::describe(r), secs);
  ++restarts;
  restart_timer.arm_after(delay);
}

FifoScript::FifoScript(loop::Loop& loop, loop::ChildSpec spec, std::string what,
                       RestartBackoff backoff)
    : state_(std::make_shared<State>(loop, std::move(spec), std::move(what), backoff)) {}

FifoScript::~FifoScript() {
  stop();
}

void FifoScript::start() {
  state_->stopped = false;
  if (state_->pid < 0 && !state_->restart_timer.armed()) state_->spawn();
}

void FifoScript::stop() {
  state_->stopped = true;
  state_->restart_timer.cancel();
  if (state_->pid > 0) state_->loop.children().signal(state_->pid, SIGTERM);
}

pid_t FifoScript::pid() const {
  return state_->pid;
}
unsigned FifoScript::restarts() const {
  return state_->restarts;
}

}  // namespace vigil::notify
