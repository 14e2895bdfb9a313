#include "vrrp/notify_fifos.h"

#include <grp.h>
#include <pwd.h>
#include <spdlog/spdlog.h>

namespace vigil::vrrp {

NotifyFifos::NotifyFifos(loop::Loop& loop) : loop_(loop) {}

NotifyFifos::~NotifyFifos() = default;

void NotifyFifos::open(const conf::Config& config) {
  if (config.global.notify_fifo) open_one(config, *config.global.notify_fifo);
  if (config.global.vrrp_notify_fifo) open_one(config, *config.global.vrrp_notify_fifo);
}

void NotifyFifos::open_one(const conf::Config& config, const conf::NotifyFifo& f) {
  if (f.path.empty()) return;
  std::optional<uid_t> uid;
  std::optional<gid_t> gid;
  if (f.user) {
    if (struct passwd* pw = ::getpwnam(f.user->c_str())) {
      uid = pw->pw_uid;
      gid = pw->pw_gid;
    } else {
      spdlog::warn("notify FIFO {}: user {} does not exist", f.path, *f.user);
    }
  }
  if (f.group) {
    if (struct group* gr = ::getgrnam(f.group->c_str())) gid = gr->gr_gid;
  }
  std::string error;
  auto fifo = notify::NotifyFifo::open(f.path, error, uid, gid);
  if (!fifo) {
    spdlog::error("{}", error);
    return;
  }
  spdlog::info("writing VRRP notify events to FIFO {}", f.path);
  fifos_.push_back(std::move(fifo));
  if (!f.script.empty()) {
    // The script reads the FIFO for the daemon's whole life (no timeout), restarted with a
    // back-off when it exits; stop_scripts() ends it.
    std::string what = f.script.command;
    loop::ChildSpec spec;
    spec.argv = f.script.argv;
    spec.argv.push_back(f.path);
    const std::optional<std::string> user =
        f.script.user ? f.script.user : config.global.script_user;
    if (user && *user != "root") {
      if (struct passwd* pw = ::getpwnam(user->c_str())) {
        spec.uid = pw->pw_uid;
        spec.gid = pw->pw_gid;
      }
    }
    auto script = std::make_unique<notify::FifoScript>(loop_, std::move(spec), what);
    script->start();
    scripts_.push_back(std::move(script));
  }
}

void NotifyFifos::stop_scripts() {
  for (auto& s : scripts_) s->stop();
  scripts_.clear();
}

void NotifyFifos::write(notify::NotifySubject subject, std::string_view name,
                        std::string_view state, int priority) {
  if (fifos_.empty()) return;
  const std::string line = notify::notify_fifo_line(subject, name, state, priority);
  for (auto& f : fifos_)
    if (!f->write_line(line)) spdlog::debug("notify FIFO {} full; line dropped", f->path());
}

}  // namespace vigil::vrrp
