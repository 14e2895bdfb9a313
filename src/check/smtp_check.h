// SMTP_CHECK: connects (non-blocking, with the connection options), expects a 220 greeting,
// sends "HELO <helo_name>", expects 250, sends QUIT and closes. Multi-line replies
// ("250-...") are read to their last line. Extra `host` blocks become checkers of their own.
#pragma once

#include <memory>
#include <string>

#include "check/checker.h"
#include "check/io_watch.h"
#include "check/tcp_connector.h"

namespace vigil::check {

class SmtpCheck final : public Checker {
 public:
  SmtpCheck(loop::Loop& loop, CheckTarget target, std::string helo_name)
      : loop_(loop), target_(std::move(target)), helo_(std::move(helo_name)), connector_(loop) {}
  ~SmtpCheck() override { cancel(); }
  std::string_view kind() const override { return "SMTP_CHECK"; }
  std::string target() const override { return target_.label(); }
  void start(CheckDone done) override;
  void cancel() override;
  Micros timeout() const override { return target_.timeout; }

 private:
  enum class Stage { Greeting, Helo, Done };
  void on_ready(bool readable, bool writable);
  void on_reply(int code);
  void finish(bool success, std::string message);

  loop::Loop& loop_;
  CheckTarget target_;
  std::string helo_;
  TcpConnector connector_;
  UniqueFd fd_;
  std::unique_ptr<IoWatch> watch_;
  Stage stage_ = Stage::Greeting;
  std::string in_;   // received, not yet consumed
  std::string out_;  // still to send
  CheckDone done_;
};

// The code of a complete SMTP reply at the start of `buffer` and the bytes it spans, or
// {0, 0} while it is incomplete; {-1, n} for a malformed line. Exposed for tests.
struct SmtpReply {
  int code = 0;
  size_t length = 0;
};
SmtpReply parse_smtp_reply(std::string_view buffer);

}  // namespace vigil::check
