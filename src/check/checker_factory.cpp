#include "check/checker_factory.h"

#include <unistd.h>

#include "check/dns_check.h"
#include "check/file_check.h"
#include "check/http_check.h"
#include "check/misc_check.h"
#include "check/ping_check.h"
#include "check/smtp_check.h"
#include "check/tcp_check.h"
#include "check/udp_check.h"
#include "notify/script_runner.h"

namespace vigil::check {

CheckTarget make_target(const conf::VirtualServer& vs, const conf::RealServer& rs,
                        const conf::CheckerConnection& conn, Micros timeout,
                        uint16_t default_port) {
  CheckTarget t;
  t.address = conn.connect_ip.value_or(rs.address);
  t.port = conn.connect_port ? *conn.connect_port
           : rs.port         ? *rs.port
           : vs.port         ? *vs.port
                             : default_port;
  t.bindto = conn.bindto;
  t.bind_port = conn.bind_port;
  t.bind_if = conn.bind_if;
  t.fwmark = conn.fwmark;
  t.timeout = timeout;
  return t;
}

namespace {

std::string local_host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof(buf) - 1) != 0 || !buf[0]) return "localhost";
  return buf;
}

std::unique_ptr<Checker> make_one(CheckerContext& ctx, const conf::VirtualServer& vs,
                                  const conf::RealServer& rs, const conf::HealthChecker& hc,
                                  std::string& error) {
  conf::CheckerTiming timing = conf::resolve_checker_timing(vs, rs, hc);
  const conf::CheckerConnection& conn = hc.common.connection;
  switch (hc.kind) {
    case conf::CheckerKind::Tcp:
      return std::make_unique<TcpCheck>(ctx.loop,
                                        make_target(vs, rs, conn, timing.connect_timeout));
    case conf::CheckerKind::HttpGet:
    case conf::CheckerKind::SslGet: {
      const auto& spec = std::get<conf::HttpCheck>(hc.spec);
      HttpCheckOptions o;
      o.ssl = hc.kind == conf::CheckerKind::SslGet;
      o.target = make_target(vs, rs, conn, timing.connect_timeout, o.ssl ? 443 : 80);
      o.protocol = spec.http_protocol.value_or(conf::HttpProtocol::V1_0);
      o.enable_sni = spec.enable_sni;
      o.urls = spec.urls;
      for (conf::HttpUrl& u : o.urls) {
        if (!u.virtualhost) u.virtualhost = spec.virtualhost;
        if (!u.virtualhost) u.virtualhost = rs.virtualhost;
        if (!u.virtualhost) u.virtualhost = vs.virtualhost;
      }
      o.ssl_config = ctx.config.lvs.ssl;
      if (!compile_url_regexes(o, error)) {
        error = std::string(conf::checker_keyword(hc.kind)) + " " + error;
        return nullptr;
      }
      if (!ctx.curl) break;
      return std::make_unique<HttpCheck>(*ctx.curl, std::move(o));
    }
    case conf::CheckerKind::Smtp: {
      const auto& spec = std::get<conf::SmtpCheck>(hc.spec);
      return std::make_unique<SmtpCheck>(ctx.loop,
                                         make_target(vs, rs, conn, timing.connect_timeout, 25),
                                         spec.helo_name.value_or(local_host_name()));
    }
    case conf::CheckerKind::Dns: {
      const auto& spec = std::get<conf::DnsCheck>(hc.spec);
      return std::make_unique<DnsCheck>(
          ctx.loop, make_target(vs, rs, conn, timing.connect_timeout, 53), spec.type, spec.name);
    }
    case conf::CheckerKind::Misc: {
      const auto& spec = std::get<conf::MiscCheck>(hc.spec);
      if (!ctx.scripts) break;
      notify::ScriptConfig sc{spec.path, {}, spec.user, spec.group};
      std::string why;
      auto prepared = ctx.scripts->prepare(sc, why);
      if (!prepared) {
        error = "MISC_CHECK " + spec.path + ": " + why;
        return nullptr;
      }
      return std::make_unique<MiscCheck>(ctx.loop, *ctx.scripts, std::move(*prepared),
                                         spec.timeout.value_or(timing.delay_loop), spec.dynamic,
                                         rs.weight);
    }
    case conf::CheckerKind::Udp: {
      const auto& spec = std::get<conf::UdpCheck>(hc.spec);
      return std::make_unique<UdpCheck>(ctx.loop, make_target(vs, rs, conn, timing.connect_timeout),
                                        spec);
    }
    case conf::CheckerKind::Ping:
      return std::make_unique<PingCheck>(ctx.loop,
                                         make_target(vs, rs, conn, timing.connect_timeout));
    case conf::CheckerKind::File: {
      const auto& spec = std::get<conf::FileCheck>(hc.spec);
      const conf::VrrpTrackFile* tf = ctx.config.find_track_file(spec.track_file);
      if (!tf) {
        error = "FILE_CHECK: unknown track_file " + spec.track_file;
        return nullptr;
      }
      FileCheckOptions o;
      o.path = tf->file;
      o.weight = spec.weight.value_or(tf->weight);
      o.reverse = spec.weight ? spec.reverse : tf->reverse;
      o.dynamic = spec.dynamic;
      return std::make_unique<FileCheck>(ctx.loop, std::move(o));
    }
    case conf::CheckerKind::Bfd:
      break;
  }
  error = std::string(conf::checker_keyword(hc.kind)) + " is not supported";
  return nullptr;
}

}  // namespace

std::vector<std::unique_ptr<Checker>> make_checkers(CheckerContext& ctx,
                                                    const conf::VirtualServer& vs,
                                                    const conf::RealServer& rs,
                                                    const conf::HealthChecker& hc,
                                                    std::string& error) {
  std::vector<std::unique_ptr<Checker>> out;
  auto first = make_one(ctx, vs, rs, hc, error);
  if (!first) return out;
  out.push_back(std::move(first));
  if (hc.kind == conf::CheckerKind::Smtp) {
    const auto& spec = std::get<conf::SmtpCheck>(hc.spec);
    conf::CheckerTiming timing = conf::resolve_checker_timing(vs, rs, hc);
    for (const conf::SmtpHost& h : spec.hosts) {
      // A host block's unset options fall back to the checker's own.
      conf::CheckerConnection c = h.connection;
      const conf::CheckerConnection& base = hc.common.connection;
      if (!c.connect_ip) c.connect_ip = base.connect_ip;
      if (!c.connect_port) c.connect_port = base.connect_port;
      if (!c.bindto) c.bindto = base.bindto;
      if (!c.bind_if) c.bind_if = base.bind_if;
      if (!c.bind_port) c.bind_port = base.bind_port;
      if (!c.fwmark) c.fwmark = base.fwmark;
      out.push_back(std::make_unique<SmtpCheck>(ctx.loop,
                                                make_target(vs, rs, c, timing.connect_timeout, 25),
                                                spec.helo_name.value_or(local_host_name())));
    }
  }
  return out;
}

}  // namespace vigil::check
