#include "check/tcp_check.h"

namespace vigil::check {

void TcpCheck::start(CheckDone done) {
  connector_.start(target_, [this, done = std::move(done)](std::string error) {
    connector_.cancel();  // close the connection: the handshake was the whole check
    if (error.empty())
      done({true, "TCP connection to " + target_.label() + " success.", std::nullopt});
    else
      done({false, "TCP connection to " + target_.label() + " failed (" + error + ").",
            std::nullopt});
  });
}

}  // namespace vigil::check
