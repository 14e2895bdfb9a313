#include "daemon/startup.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>

#include <spdlog/spdlog.h>

#include "base/heap_policy.h"
#include "daemon/daemonize.h"
#include "daemon/worker.h"

namespace vigil::daemon {

int run_main_process(const Options& options, const std::function<int(StartedFn started)>& body) {
  limit_heap_retention();
  std::optional<Detached> detached;
  if (!options.dont_fork) {
    std::string error;
    detached = Detached::detach(error);
    if (!detached) {
      std::cerr << options.program_name << ": cannot detach: " << error << "\n";
      return 1;
    }
  }
  auto fail = [&](int status, const std::string& message) {
    if (detached)
      detached->report(status, options.program_name + ": " + message);
    else
      std::cerr << options.program_name << ": " << message << "\n";
    return status;
  };
  try {
    setup_logging(log_options(options));
  } catch (const std::exception& e) {
    return fail(1, e.what());
  }
  spdlog::info("Starting {} v{}", options.program_name, VIGIL_VERSION);
  for (const auto& w : options.warnings) spdlog::warn("{}", w);

  std::string error;
  auto pid_files = write_pid_files(options, error);
  if (!pid_files) return fail(1, error);
  const int status = body([&](int code, const std::string& message) {
    if (!detached) return;
    if (code == 0)
      detached->report(0);
    else
      detached->report(code, options.program_name + ": " + message);
  });
  spdlog::info("Stopped {} v{}", options.program_name, VIGIL_VERSION);
  return status;
}

std::string sibling_executable(const std::string& name) {
  char self[4096];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return {};
  // After an upgrade replaced the file, the link ends in " (deleted)"; the directory holds.
  const std::string path(self, static_cast<size_t>(n));
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return {};
  std::string sibling = path.substr(0, slash + 1) + name;
  return ::access(sibling.c_str(), X_OK) == 0 ? sibling : std::string();
}

int exec_sibling(const std::string& name, const std::vector<std::string>& args) {
  const std::string path = sibling_executable(name);
  const std::string program = args.empty() ? std::string("vigild") : args[0];
  if (path.empty()) {
    std::cerr << program << ": " << name << " is missing beside this program\n";
    return 1;
  }
  std::vector<std::string> copy = args;
  if (copy.empty()) copy.push_back(program);
  std::vector<char*> argv;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execv(path.c_str(), argv.data());
  std::cerr << program << ": cannot execute " << path << ": " << std::strerror(errno) << "\n";
  return 1;
}

}  // namespace vigil::daemon
