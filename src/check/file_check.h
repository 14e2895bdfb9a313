// FILE_CHECK: reads a track_file's file when it changes (inotify on its directory, so
// replacing the file by rename is seen too) and each delay_loop, and applies keepalived's
// track_file rules for real servers (real_server_state.h: weight 0 means "non-zero is a failure",
// otherwise value*weight, with `dynamic` added to the real server's weight).
#pragma once

#include <memory>
#include <string>

#include "check/checker.h"
#include "loop/fd_watch.h"

namespace vigil::check {

struct FileCheckOptions {
  std::string path;
  int64_t weight = 1;
  bool reverse = false;
  bool dynamic = false;
};

class FileCheck final : public Checker {
 public:
  FileCheck(loop::Loop& loop, FileCheckOptions options)
      : loop_(loop), options_(std::move(options)) {}
  ~FileCheck() override;
  std::string_view kind() const override { return "FILE_CHECK"; }
  std::string target() const override { return "[" + options_.path + "]"; }
  void start(CheckDone done) override;
  void cancel() override { ++generation_; }
  Micros timeout() const override { return Millis(1000); }

  // One reading (also used by tests): the file's value judged by the options.
  CheckResult read_now() const;

 private:
  void watch_file();
  void on_inotify();

  loop::Loop& loop_;
  int inotify_fd_ = -1;
  std::unique_ptr<loop::FdWatch> inotify_watch_;
  FileCheckOptions options_;
  uint64_t generation_ = 0;
  // Loop callbacks posted by this object check it is still alive through this token.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace vigil::check
