// Writer for keepalived's notify FIFOs (notify_fifo, vrrp_notify_fifo, lvs_notify_fifo).
// Lines look like `INSTANCE "VI_1" MASTER 100` (see notify_args.h for building them).
//
// The FIFO is created (mode 0600, or chowned to the configured user) when missing and then
// removed again on destruction, as keepalived does. It is opened read-write and non-blocking,
// so opening never waits for a reader and writing never stalls the daemon: a line that does
// not fit because nobody is reading is dropped and counted (lines up to PIPE_BUF bytes are
// written atomically, so a reader never sees half a line).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::notify {

class NotifyFifo {
 public:
  // Opens (creating if needed) the FIFO at `path`. `owner` uid/gid, when given, are applied
  // to a FIFO we create. nullptr with `error` set when `path` exists but is not a FIFO, or
  // cannot be created/opened.
  static std::unique_ptr<NotifyFifo> open(const std::string& path, std::string& error,
                                          std::optional<uid_t> owner_uid = std::nullopt,
                                          std::optional<gid_t> owner_gid = std::nullopt);
  ~NotifyFifo();
  NotifyFifo(const NotifyFifo&) = delete;
  NotifyFifo& operator=(const NotifyFifo&) = delete;

  // Writes one line (append '\n' yourself, or use notify_fifo_line()). Returns false when the
  // line was dropped.
  bool write_line(std::string_view line);

  const std::string& path() const { return path_; }
  uint64_t dropped() const { return dropped_; }

 private:
  NotifyFifo(std::string path, int fd, bool created)
      : path_(std::move(path)), fd_(fd), created_(created) {}
  std::string path_;
  int fd_ = -1;
  bool created_ = false;
  uint64_t dropped_ = 0;
};

}  // namespace vigil::notify
