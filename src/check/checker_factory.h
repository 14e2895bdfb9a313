// Builds the Checker for one configured HealthChecker of a real server.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "check/checker.h"
#include "conf/model.h"

namespace vigil::notify {
class ScriptRunner;
}

namespace vigil::check {

class CurlMulti;

struct CheckerContext {
  loop::Loop& loop;
  const conf::Config& config;
  CurlMulti* curl = nullptr;                // HTTP_GET / SSL_GET
  notify::ScriptRunner* scripts = nullptr;  // MISC_CHECK
};

// The connection target after keepalived's defaults: connect_ip else the real server's address,
// connect_port else the real server's port else the virtual server's else `default_port`.
CheckTarget make_target(const conf::VirtualServer& vs, const conf::RealServer& rs,
                        const conf::CheckerConnection& conn, Micros timeout,
                        uint16_t default_port = 0);

// The checker(s) for one configured checker: usually one; SMTP_CHECK gives one more per legacy
// `host` block. Empty with `error` when it cannot be built (unsupported kind, bad script ...).
std::vector<std::unique_ptr<Checker>> make_checkers(CheckerContext& ctx,
                                                    const conf::VirtualServer& vs,
                                                    const conf::RealServer& rs,
                                                    const conf::HealthChecker& hc,
                                                    std::string& error);

}  // namespace vigil::check
