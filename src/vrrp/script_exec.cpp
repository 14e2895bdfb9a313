#include "vrrp/script_exec.h"

#include <grp.h>
#include <pwd.h>
#include <spdlog/spdlog.h>

namespace vigil::vrrp {
namespace {

// keepalived: the script's own `user`, else global script_user, else root.
void resolve_user(const conf::Config& config, const conf::ScriptCommand& cmd,
                  loop::ChildSpec& spec) {
  std::optional<std::string> user = cmd.user;
  if (!user) user = config.global.script_user;
  if (!user || *user == "root") return;
  struct passwd* pw = ::getpwnam(user->c_str());
  if (!pw) {
    spdlog::warn("script user {} does not exist; running {} as root", *user, cmd.command);
    return;
  }
  spec.uid = pw->pw_uid;
  spec.gid = pw->pw_gid;
  if (cmd.group) {
    if (struct group* gr = ::getgrnam(cmd.group->c_str())) spec.gid = gr->gr_gid;
  }
}

}  // namespace

void spawn_script(loop::Loop& loop, const conf::Config& config, const ScriptRun& run,
                  loop::ChildDone done) {
  loop::ChildSpec spec;
  spec.argv = run.command.argv;
  for (const auto& a : run.extra_args) spec.argv.push_back(a);
  spec.timeout = run.timeout;
  resolve_user(config, run.command, spec);
  std::string what = run.command.command;
  loop.spawn(std::move(spec), [what, done = std::move(done)](const loop::ChildResult& r) {
    if (r.spawn_errno != 0) spdlog::warn("cannot run {}: {}", what, std::strerror(r.spawn_errno));
    done(r);
  });
}

}  // namespace vigil::vrrp
