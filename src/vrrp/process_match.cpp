#include "vrrp/process_match.h"

namespace vigil::vrrp {
namespace {

constexpr size_t kTaskCommLen = 15;  // TASK_COMM_LEN - 1

std::string join(const std::vector<std::string>& words, size_t from = 0) {
  std::string s;
  for (size_t i = from; i < words.size(); ++i) s += (i > from ? " " : "") + words[i];
  return s;
}

bool params_match(const conf::VrrpTrackProcess& tp, const std::vector<std::string>& argv) {
  const size_t want = tp.process.size() - 1;  // configured parameters
  const size_t have = argv.empty() ? 0 : argv.size() - 1;
  switch (tp.param_match) {
    case conf::ParamMatch::None:
    case conf::ParamMatch::Exact:
      if (have != want) return false;
      break;
    case conf::ParamMatch::Partial:
    case conf::ParamMatch::Initial:
      if (have < want) return false;
      break;
  }
  for (size_t i = 0; i < want; ++i) {
    const std::string& conf_arg = tp.process[i + 1];
    const std::string& arg = argv[i + 1];
    const bool last = i + 1 == want;
    if (last && tp.param_match == conf::ParamMatch::Initial) {
      if (arg.compare(0, conf_arg.size(), conf_arg) != 0) return false;
    } else if (arg != conf_arg) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool process_matches(const conf::VrrpTrackProcess& tp, const ProcessInfo& p) {
  if (tp.process.empty()) return false;
  const bool by_name =
      tp.process.size() == 1 && tp.param_match == conf::ParamMatch::None && !tp.full_command;
  if (by_name) return p.name == tp.process[0].substr(0, kTaskCommLen);
  if (p.cmdline.empty()) return false;  // kernel threads and zombies have no command line
  if (tp.full_command && tp.process.size() == 1 && tp.param_match == conf::ParamMatch::None)
    return join(p.cmdline) == tp.process[0];
  if (p.cmdline[0] != tp.process[0]) return false;
  return params_match(tp, p.cmdline);
}

bool quorum_met(const conf::VrrpTrackProcess& tp, size_t count) {
  return count >= tp.quorum && count <= tp.quorum_max;
}

ProcessStatus::ProcessStatus(const conf::VrrpTrackProcess& tp, size_t count)
    : tp_(&tp), count_(count), up_(quorum_met(tp, count)) {}

bool ProcessStatus::set_count(size_t count, MonoTime now) {
  count_ = count;
  const bool target = quorum_met(*tp_, count);
  if (target == up_) {
    pending_.reset();  // back where we were before the delay ran out: nothing to report
    return false;
  }
  const Micros delay = target ? tp_->fork_delay : tp_->terminate_delay;
  if (delay.count() <= 0) {
    up_ = target;
    pending_.reset();
    return true;
  }
  if (!pending_) pending_ = now + delay;
  return false;
}

bool ProcessStatus::on_timer(MonoTime now) {
  if (!pending_ || now < *pending_) return false;
  pending_.reset();
  const bool target = quorum_met(*tp_, count_);
  if (target == up_) return false;
  up_ = target;
  return true;
}

}  // namespace vigil::vrrp
