#include "check/smtp_check.h"

#include <sys/socket.h>

#include <cctype>
#include <cerrno>
#include <cstring>

namespace vigil::check {

SmtpReply parse_smtp_reply(std::string_view buffer) {
  size_t pos = 0;
  while (true) {
    size_t eol = buffer.find('\n', pos);
    if (eol == std::string_view::npos) {
      if (buffer.size() - pos > 4096) return {-1, buffer.size()};  // no line ends: give up
      return {};
    }
    std::string_view line = buffer.substr(pos, eol - pos);
    if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0])) ||
        !std::isdigit(static_cast<unsigned char>(line[1])) ||
        !std::isdigit(static_cast<unsigned char>(line[2])))
      return {-1, eol + 1};
    int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    pos = eol + 1;
    if (line.size() > 3 && line[3] == '-') continue;  // more lines of the same reply follow
    return {code, pos};
  }
}

void SmtpCheck::start(CheckDone done) {
  cancel();
  done_ = std::move(done);
  stage_ = Stage::Greeting;
  in_.clear();
  out_.clear();
  connector_.start(target_, [this](std::string error) {
    if (!error.empty()) {
      finish(false, "Error connecting SMTP server " + target() + ": " + error + ".");
      return;
    }
    fd_ = connector_.take();
    watch_ =
        std::make_unique<IoWatch>(loop_, fd_.get(), [this](bool r, bool w) { on_ready(r, w); });
    watch_->want(true, false);
  });
}

void SmtpCheck::cancel() {
  done_ = nullptr;
  connector_.cancel();
  watch_.reset();
  fd_.reset();
}

void SmtpCheck::on_ready(bool readable, bool writable) {
  if (writable && !out_.empty()) {
    ssize_t n = ::send(fd_.get(), out_.data(), out_.size(), MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN) {
      finish(false, "SMTP connection to " + target() + " failed: " + std::strerror(errno) + ".");
      return;
    }
    if (n > 0) out_.erase(0, static_cast<size_t>(n));
    if (out_.empty() && stage_ == Stage::Done) {
      finish(true, "SMTP connection to " + target() + " success.");
      return;
    }
    watch_->want(true, !out_.empty());
  }
  if (!readable) return;
  char buf[1024];
  ssize_t n = ::recv(fd_.get(), buf, sizeof(buf), 0);
  if (n < 0 && errno == EAGAIN) return;
  if (n <= 0) {
    finish(false, "SMTP server " + target() + " closed the connection" +
                      (n < 0 ? std::string(": ") + std::strerror(errno) : std::string()) + ".");
    return;
  }
  in_.append(buf, static_cast<size_t>(n));
  while (done_) {
    SmtpReply r = parse_smtp_reply(in_);
    if (r.length == 0) return;
    in_.erase(0, r.length);
    on_reply(r.code);
  }
}

void SmtpCheck::on_reply(int code) {
  switch (stage_) {
    case Stage::Greeting:
      if (code != 220) {
        finish(false,
               "SMTP server " + target() + " greeting error: code " + std::to_string(code) + ".");
        return;
      }
      out_ = "HELO " + helo_ + "\r\n";
      stage_ = Stage::Helo;
      watch_->want(true, true);
      return;
    case Stage::Helo:
      if (code != 250) {
        finish(false,
               "SMTP server " + target() + " HELO error: code " + std::to_string(code) + ".");
        return;
      }
      out_ = "QUIT\r\n";
      stage_ = Stage::Done;
      watch_->want(true, true);
      return;
    case Stage::Done:
      return;  // the 221 to QUIT may arrive before we finish: nothing to check
  }
}

void SmtpCheck::finish(bool success, std::string message) {
  auto done = std::move(done_);
  done_ = nullptr;
  watch_.reset();
  fd_.reset();
  if (done) done({success, std::move(message), std::nullopt});
}

}  // namespace vigil::check
