#include "notify/script_runner.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "loop/loop.h"
#include "notify/notify_args.h"

namespace vigil::notify {

namespace {

constexpr const char* kDefaultScriptUser = "keepalived_script";

std::vector<gid_t> supplementary_groups(const char* user, gid_t gid) {
  int count = 32;
  std::vector<gid_t> groups(static_cast<size_t>(count));
  if (::getgrouplist(user, gid, groups.data(), &count) < 0) {
    groups.resize(static_cast<size_t>(count));
    if (::getgrouplist(user, gid, groups.data(), &count) < 0) return {gid};
  }
  groups.resize(static_cast<size_t>(count));
  return groups;
}

bool trusted_uid(uid_t uid, const ScriptCredentials& c) {
  return uid == 0 || uid == c.uid;
}

bool trusted_gid(gid_t gid, const ScriptCredentials& c) {
  return gid == 0 || (c.uid != 0 && gid == c.gid);
}

// Checks one path component; `next` is the component below it (for sticky directories).
std::optional<std::string> component_problem(const std::string& path, const struct stat& st,
                                             const struct stat* next, const ScriptCredentials& c) {
  if (!trusted_uid(st.st_uid, c)) return fmt::format("{} is owned by uid {}", path, st.st_uid);
  if ((st.st_mode & S_IWGRP) && !trusted_gid(st.st_gid, c))
    return fmt::format("{} is writable by group {}", path, st.st_gid);
  if (st.st_mode & S_IWOTH) {
    bool sticky_dir = S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX);
    // In a sticky directory only the owner may rename or remove an entry.
    if (!sticky_dir || !next || !trusted_uid(next->st_uid, c))
      return fmt::format("{} is writable by everyone", path);
  }
  return std::nullopt;
}

std::optional<std::string> path_problem(const std::filesystem::path& file,
                                        const ScriptCredentials& c) {
  std::vector<std::filesystem::path> chain;
  for (auto p = file; !p.empty(); p = p.parent_path()) {
    chain.push_back(p);
    if (p == p.root_path()) break;
  }
  std::vector<struct stat> stats(chain.size());
  for (size_t i = 0; i < chain.size(); ++i)
    if (::stat(chain[i].c_str(), &stats[i]) != 0)
      return fmt::format("cannot stat {}: {}", chain[i].string(), std::strerror(errno));
  for (size_t i = 0; i < chain.size(); ++i) {
    const struct stat* next = i == 0 ? nullptr : &stats[i - 1];
    if (auto problem = component_problem(chain[i].string(), stats[i], next, c)) return problem;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ScriptCredentials> resolve_script_user(const std::string& user,
                                                     const std::optional<std::string>& group,
                                                     std::string& error) {
  errno = 0;
  struct passwd* pw = ::getpwnam(user.c_str());
  if (!pw) {
    error = fmt::format("script user '{}' does not exist", user);
    return std::nullopt;
  }
  ScriptCredentials c;
  c.uid = pw->pw_uid;
  c.gid = pw->pw_gid;
  c.user = user;
  if (group) {
    struct group* gr = ::getgrnam(group->c_str());
    if (!gr) {
      error = fmt::format("script group '{}' does not exist", *group);
      return std::nullopt;
    }
    c.gid = gr->gr_gid;
  }
  c.groups = supplementary_groups(pw->pw_name, c.gid);
  return c;
}

ScriptCredentials default_script_user() {
  std::string ignored;
  if (auto c = resolve_script_user(kDefaultScriptUser, std::nullopt, ignored)) return *c;
  ScriptCredentials self;
  self.uid = ::geteuid();
  self.gid = ::getegid();
  struct passwd* pw = ::getpwuid(self.uid);
  self.user = pw ? pw->pw_name : std::to_string(self.uid);
  self.groups = pw ? supplementary_groups(pw->pw_name, self.gid) : std::vector<gid_t>{self.gid};
  return self;
}

std::optional<std::string> script_insecurity(const std::string& program,
                                             const ScriptCredentials& creds) {
  std::filesystem::path lexical = std::filesystem::absolute(program).lexically_normal();
  // The path as configured (a symlink in a writable directory could be swapped) ...
  if (auto problem = path_problem(lexical, creds)) return problem;
  // ... and the file and directories actually executed.
  char real[PATH_MAX];
  if (!::realpath(lexical.c_str(), real))
    return fmt::format("cannot resolve {}: {}", lexical.string(), std::strerror(errno));
  return path_problem(real, creds);
}

ScriptRunner::ScriptRunner(loop::Loop& loop, ScriptRunnerOptions options)
    : loop_(loop), options_(std::move(options)), default_creds_(default_script_user()) {
  if (options_.script_user) {
    std::string error;
    if (auto c = resolve_script_user(*options_.script_user, options_.script_group, error))
      default_creds_ = *c;
    else
      spdlog::error("script_user: {}; scripts run as {}", error, default_creds_.user);
  }
}

std::optional<PreparedScript> ScriptRunner::prepare(const ScriptConfig& script,
                                                    std::string& error) const {
  auto words = script.argv.empty() ? split_script_words(script.command, error)
                                   : std::optional<std::vector<std::string>>(script.argv);
  if (!words) return std::nullopt;
  PreparedScript p;
  p.command = script.command;
  p.creds = default_creds_;
  if (script.user) {
    auto c = resolve_script_user(*script.user, script.group, error);
    if (!c) return std::nullopt;
    p.creds = *c;
  }
  std::string path_env;
  if (options_.env) {
    for (const auto& e : *options_.env)
      if (e.rfind("PATH=", 0) == 0) path_env = e.substr(5);
  } else if (const char* env_path = std::getenv("PATH")) {
    path_env = env_path;
  }
  std::string program = loop::find_program((*words)[0], path_env);
  if (program.empty()) {
    error = fmt::format("script '{}' not found or not executable", (*words)[0]);
    return std::nullopt;
  }
  struct stat st {};
  if (::stat(program.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    error = fmt::format("script '{}' is not a regular file", program);
    return std::nullopt;
  }
  if (auto problem = script_insecurity(program, p.creds)) {
    if (options_.enable_script_security) {
      error = fmt::format("script '{}' refused (enable_script_security): {}", program, *problem);
      return std::nullopt;
    }
    p.insecure = true;
    spdlog::warn("SECURITY: script '{}' runs as {} but {}; set enable_script_security to refuse it",
                 program, p.creds.user, *problem);
  }
  (*words)[0] = program;
  p.argv = std::move(*words);
  return p;
}

pid_t ScriptRunner::run(const PreparedScript& script, const std::vector<std::string>& extra_args,
                        loop::ChildDone done) {
  return run(script, extra_args, options_.notify_timeout, std::move(done));
}

pid_t ScriptRunner::run(const PreparedScript& script, const std::vector<std::string>& extra_args,
                        std::optional<Micros> timeout, loop::ChildDone done) {
  loop::ChildSpec spec;
  spec.argv = script.argv;
  spec.argv.insert(spec.argv.end(), extra_args.begin(), extra_args.end());
  spec.env = options_.env;
  spec.timeout = timeout;
  // Only switch credentials when they differ from ours (and we are allowed to).
  if (script.creds.uid != ::geteuid() || script.creds.gid != ::getegid()) {
    spec.uid = script.creds.uid;
    spec.gid = script.creds.gid;
    spec.groups = script.creds.groups;
  }
  std::string name = "script '" + script.command + "'";
  if (!script.purpose.empty()) name += " (" + script.purpose + ")";
  return loop_.spawn(
      std::move(spec), [name, timeout, done = std::move(done)](const loop::ChildResult& r) {
        if (r.spawn_errno)
          spdlog::warn("{} could not start: {}", name, std::strerror(r.spawn_errno));
        else if (r.timed_out)
          spdlog::warn("{} timed out after {:g} s and was killed", name,
                       timeout ? std::chrono::duration<double>(*timeout).count() : 0.0);
        else if (r.signal)
          spdlog::warn("{} was killed by signal {} ({})", name, r.signal, ::strsignal(r.signal));
        else if (r.exit_code != 0)
          spdlog::info("{} exited with status {}", name, r.exit_code);
        else
          spdlog::debug("{} succeeded", name);
        if (done) done(r);
      });
}

}  // namespace vigil::notify
