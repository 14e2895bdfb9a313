#include "conf/model_lvs.h"

namespace vigil::conf {
namespace {

template <class T>
std::optional<T> first_of(const std::optional<T>& a, const std::optional<T>& b,
                          const std::optional<T>& c) {
  if (a) return a;
  if (b) return b;
  return c;
}

}  // namespace

std::string_view checker_keyword(CheckerKind k) {
  switch (k) {
    case CheckerKind::Tcp:
      return "TCP_CHECK";
    case CheckerKind::HttpGet:
      return "HTTP_GET";
    case CheckerKind::SslGet:
      return "SSL_GET";
    case CheckerKind::Smtp:
      return "SMTP_CHECK";
    case CheckerKind::Dns:
      return "DNS_CHECK";
    case CheckerKind::Misc:
      return "MISC_CHECK";
    case CheckerKind::Udp:
      return "UDP_CHECK";
    case CheckerKind::Ping:
      return "PING_CHECK";
    case CheckerKind::File:
      return "FILE_CHECK";
    case CheckerKind::Bfd:
      return "BFD_CHECK";
  }
  return "?";
}

std::string VirtualServer::label() const {
  switch (kind) {
    case VirtualServerKind::Fwmark:
      return "fwmark " + std::to_string(fwmark);
    case VirtualServerKind::Group:
      return "group " + group;
    case VirtualServerKind::Address:
      break;
  }
  std::string a = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return port ? a + ":" + std::to_string(*port) : a;
}

CheckerTiming resolve_checker_timing(const VirtualServer& vs, const RealServer& rs,
                                     const HealthChecker& c) {
  const CheckTimingOptions& ct = c.common.timing;
  CheckerTiming t;
  t.delay_loop = first_of(ct.delay_loop, rs.timing.delay_loop, vs.timing.delay_loop)
                     .value_or(kDefaultDelayLoop);
  t.alpha = first_of(ct.alpha, rs.timing.alpha, vs.timing.alpha).value_or(false);
  t.connect_timeout =
      first_of(ct.connect_timeout, rs.timing.connect_timeout, vs.timing.connect_timeout)
          .value_or(kDefaultConnectTimeout);
  uint32_t default_retry = c.kind == CheckerKind::Dns ? 3 : c.kind == CheckerKind::Misc ? 0 : 1;
  t.retry = first_of(ct.retry, rs.timing.retry, vs.timing.retry).value_or(default_retry);
  Micros default_delay = c.kind == CheckerKind::Dns ? t.delay_loop
                         : (c.kind == CheckerKind::HttpGet || c.kind == CheckerKind::SslGet)
                             ? Micros{3'000'000}
                             : Micros{1'000'000};
  t.delay_before_retry =
      first_of(ct.delay_before_retry, rs.timing.delay_before_retry, vs.timing.delay_before_retry)
          .value_or(default_delay);
  t.warmup = first_of(ct.warmup, rs.timing.warmup, vs.timing.warmup).value_or(t.delay_loop);
  t.log_all_failures = c.common.log_all_failures.value_or(false);
  return t;
}

LvsScheduler effective_scheduler(const VirtualServer& vs) {
  return vs.scheduler.value_or(LvsScheduler::Wlc);
}

ForwardingMethod effective_forwarding(const VirtualServer& vs, const RealServer& rs) {
  if (rs.forwarding) return *rs.forwarding;
  if (vs.forwarding) return *vs.forwarding;
  return ForwardingMethod{};
}

LvsProtocol effective_protocol(const VirtualServer& vs) {
  return vs.protocol.value_or(LvsProtocol::Udp);
}

bool effective_inhibit_on_failure(const VirtualServer& vs, const RealServer& rs) {
  return rs.inhibit_on_failure.value_or(vs.inhibit_on_failure.value_or(false));
}

std::string_view to_string(LvsScheduler s) {
  switch (s) {
    case LvsScheduler::Rr:
      return "rr";
    case LvsScheduler::Wrr:
      return "wrr";
    case LvsScheduler::Lc:
      return "lc";
    case LvsScheduler::Wlc:
      return "wlc";
    case LvsScheduler::Lblc:
      return "lblc";
    case LvsScheduler::Sh:
      return "sh";
    case LvsScheduler::Mh:
      return "mh";
    case LvsScheduler::Dh:
      return "dh";
    case LvsScheduler::Fo:
      return "fo";
    case LvsScheduler::Ovf:
      return "ovf";
    case LvsScheduler::Lblcr:
      return "lblcr";
    case LvsScheduler::Sed:
      return "sed";
    case LvsScheduler::Nq:
      return "nq";
    case LvsScheduler::Twos:
      return "twos";
  }
  return "?";
}

std::string_view to_string(LvsForwarding f) {
  switch (f) {
    case LvsForwarding::Nat:
      return "NAT";
    case LvsForwarding::Dr:
      return "DR";
    case LvsForwarding::Tun:
      return "TUN";
  }
  return "?";
}

std::string_view to_string(LvsProtocol p) {
  switch (p) {
    case LvsProtocol::Tcp:
      return "TCP";
    case LvsProtocol::Udp:
      return "UDP";
    case LvsProtocol::Sctp:
      return "SCTP";
  }
  return "?";
}

std::string_view to_string(TunnelType t) {
  switch (t) {
    case TunnelType::Ipip:
      return "ipip";
    case TunnelType::Gue:
      return "gue";
    case TunnelType::Gre:
      return "gre";
  }
  return "?";
}

std::string_view to_string(TunnelChecksum c) {
  switch (c) {
    case TunnelChecksum::NoCsum:
      return "nocsum";
    case TunnelChecksum::Csum:
      return "csum";
    case TunnelChecksum::RemCsum:
      return "remcsum";
  }
  return "?";
}

std::string_view to_string(HttpProtocol p) {
  switch (p) {
    case HttpProtocol::V1_0:
      return "1.0";
    case HttpProtocol::V1_0C:
      return "1.0C";
    case HttpProtocol::V1_1:
      return "1.1";
  }
  return "?";
}

std::string_view to_string(DnsQueryType t) {
  switch (t) {
    case DnsQueryType::A:
      return "A";
    case DnsQueryType::NS:
      return "NS";
    case DnsQueryType::CNAME:
      return "CNAME";
    case DnsQueryType::SOA:
      return "SOA";
    case DnsQueryType::MX:
      return "MX";
    case DnsQueryType::TXT:
      return "TXT";
    case DnsQueryType::AAAA:
      return "AAAA";
  }
  return "?";
}

}  // namespace vigil::conf
