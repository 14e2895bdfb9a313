// DNS_CHECK: one query (type, name) over UDP to the real server with c-ares, driven by the
// Loop (c-ares' socket-state callback -> IoWatch, its timeout -> Timer). Success, as in
// keepalived: the server answers and the answer section holds a record of the queried type.
#pragma once

#include <ares.h>

#include <map>
#include <memory>
#include <span>
#include <string>

#include "check/checker.h"
#include "check/io_watch.h"
#include "conf/model_checkers.h"
#include "loop/timer.h"

namespace vigil::check {

class DnsCheck final : public Checker {
 public:
  DnsCheck(loop::Loop& loop, CheckTarget target, conf::DnsQueryType type, std::string name);
  ~DnsCheck() override;
  std::string_view kind() const override { return "DNS_CHECK"; }
  std::string target() const override { return target_.label("udp"); }
  void start(CheckDone done) override;
  void cancel() override;
  Micros timeout() const override { return target_.timeout + Millis(200); }

 private:
  bool open_channel(std::string& error);
  void close_channel();
  void process(int read_fd, int write_fd);
  void rearm_timer();
  void on_answer(int status, const unsigned char* abuf, int alen);
  void finish(bool success, std::string message);
  static void on_sock_state(void* data, ares_socket_t fd, int readable, int writable);
  static int on_socket_created(ares_socket_t fd, int type, void* data);

  loop::Loop& loop_;
  CheckTarget target_;
  conf::DnsQueryType type_;
  std::string name_;
  ares_channel channel_ = nullptr;
  std::map<ares_socket_t, std::unique_ptr<IoWatch>> watches_;
  loop::Timer timer_;
  CheckDone done_;
  uint64_t generation_ = 0;
  // Loop callbacks posted by this object check it is still alive through this token.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The RR type number of a query type (A = 1, ...).
int dns_type_code(conf::DnsQueryType t);

// Whether a DNS response holds an answer record of `rr_type`; `why` tells otherwise.
bool dns_answer_has_type(std::span<const unsigned char> response, int rr_type, std::string& why);

}  // namespace vigil::check
