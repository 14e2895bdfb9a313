// Detaching into the background (unless -n). The process the user started waits until the
// daemon says whether start-up worked and exits with that status, so `vigild` fails visibly
// when, say, the pid file names a running instance, instead of failing silently later.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil::daemon {

class Detached {
 public:
  // Forks twice and starts a new session; returns only in the daemon. The original process
  // exits with the status later given to report(), or 1 if the daemon dies before that.
  // stdin/stdout/stderr become /dev/null, the working directory "/". Must be called before
  // any thread is started (fork() keeps only the calling thread).
  static std::optional<Detached> detach(std::string& error);

  Detached(Detached&& other) noexcept;
  Detached& operator=(Detached&& other) noexcept;
  ~Detached();

  // 0: started; anything else: the exit status for the waiting parent, which also prints
  // `message` (if any) on its stderr. Only the first report counts.
  void report(int status, std::string_view message = {});

 private:
  explicit Detached(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace vigil::daemon
