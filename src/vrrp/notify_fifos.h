// The notify FIFOs the VRRP side writes to: global_defs notify_fifo (shared with the checker)
// and vrrp_notify_fifo, each with its optional *_fifo_script, started with the FIFO's path as
// its last argument and kept running for the daemon's life (restarted when it exits). Every
// instance and sync-group transition becomes one line in keepalived's format
// (notify/notify_args.h).
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "conf/model.h"
#include "loop/loop.h"
#include "notify/fifo_script.h"
#include "notify/notify_args.h"
#include "notify/notify_fifo.h"

namespace vigil::vrrp {

class NotifyFifos {
 public:
  explicit NotifyFifos(loop::Loop& loop);
  ~NotifyFifos();
  NotifyFifos(const NotifyFifos&) = delete;
  NotifyFifos& operator=(const NotifyFifos&) = delete;

  // Opens (creating) the configured FIFOs and starts their scripts; a FIFO that cannot be
  // opened is logged and left out.
  void open(const conf::Config& config);
  // One line to every open FIFO. `state`: MASTER, BACKUP, FAULT, STOP, MASTER_RX_LOWER_PRI...
  void write(notify::NotifySubject subject, std::string_view name, std::string_view state,
             int priority);
  bool empty() const { return fifos_.empty(); }
  // Ends the FIFO scripts (SIGTERM), so a shutdown need not wait for them.
  void stop_scripts();

 private:
  void open_one(const conf::Config& config, const conf::NotifyFifo& f);

  loop::Loop& loop_;
  std::vector<std::unique_ptr<notify::NotifyFifo>> fifos_;
  std::vector<std::unique_ptr<notify::FifoScript>> scripts_;
};

}  // namespace vigil::vrrp
