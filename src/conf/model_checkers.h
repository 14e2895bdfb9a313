// Typed model of the health checkers a keepalived real_server may carry (TCP_CHECK, HTTP_GET,
// SSL_GET, SMTP_CHECK, DNS_CHECK, MISC_CHECK, UDP_CHECK, PING_CHECK, FILE_CHECK, BFD_CHECK).
//
// Settings that keepalived inherits (virtual server -> real server -> checker) are kept as
// std::optional exactly as written; resolve_checker_timing() in model_lvs.h applies the
// inheritance chain and keepalived's defaults, so reload can tell "unset" from "set to default".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/address.h"
#include "base/body_regex.h"
#include "base/time.h"
#include "conf/source.h"

namespace vigil::conf {

// A script with keepalived's optional "username [groupname]" suffix.
struct LvsScript {
  std::string command;  // the whole command line, as one (possibly quoted) string
  std::optional<std::string> user;
  std::optional<std::string> group;
  SourceLoc loc;

  bool operator==(const LvsScript&) const = default;
};

// Timing and retry settings that cascade virtual server -> real server -> checker.
struct CheckTimingOptions {
  std::optional<bool> alpha;
  std::optional<Micros> connect_timeout;
  std::optional<uint32_t> retry;
  std::optional<Micros> delay_before_retry;
  std::optional<Micros> warmup;
  std::optional<Micros> delay_loop;

  bool operator==(const CheckTimingOptions&) const = default;
};

// Options every checker except FILE_CHECK and BFD_CHECK accepts.
struct CheckerConnection {
  std::optional<IpAddress> connect_ip;
  std::optional<uint16_t> connect_port;
  std::optional<IpAddress> bindto;
  std::optional<std::string> bind_if;
  std::optional<uint16_t> bind_port;
  std::optional<uint32_t> fwmark;  // marks outgoing checker packets (SO_MARK)

  bool operator==(const CheckerConnection&) const = default;
};

struct CheckerCommon {
  CheckerConnection connection;
  CheckTimingOptions timing;
  std::optional<bool> log_all_failures;

  bool operator==(const CheckerCommon&) const = default;
};

struct TcpCheck {
  bool operator==(const TcpCheck&) const = default;
};
struct PingCheck {
  bool operator==(const PingCheck&) const = default;
};

// An HTTP status-code range, both ends inclusive (a single code has first == last).
struct StatusCodeRange {
  uint16_t first = 200;
  uint16_t last = 299;
  auto operator<=>(const StatusCodeRange&) const = default;
};

struct HttpUrl {
  std::string path;
  std::optional<std::string> digest;  // lower-case hex MD5 of the body (genhash)
  // Empty means keepalived's default 200-299.
  std::vector<StatusCodeRange> status_codes;
  std::optional<std::string> virtualhost;
  std::optional<std::string> regex;
  bool regex_no_match = false;
  std::vector<std::string> regex_options;  // PCRE2 option names
  std::optional<uint32_t> regex_stack_start;
  std::optional<uint32_t> regex_stack_max;
  std::optional<uint32_t> regex_min_offset;
  std::optional<uint32_t> regex_max_offset;
  SourceLoc loc;

  // The codes that count as success: the configured ones, or 200-299.
  std::vector<StatusCodeRange> effective_status_codes() const {
    if (status_codes.empty()) return {StatusCodeRange{200, 299}};
    return status_codes;
  }
  // The regex keywords for BodyRegex::compile (pattern empty when no regex is set).
  BodyRegexSpec regex_spec() const {
    return {regex.value_or(""), regex_options,    regex_stack_start,
            regex_stack_max,    regex_min_offset, regex_max_offset};
  }

  bool operator==(const HttpUrl&) const = default;
};

enum class HttpProtocol { V1_0, V1_0C, V1_1 };

// HTTP_GET and SSL_GET share everything; `ssl` tells them apart.
struct HttpCheck {
  bool ssl = false;
  std::optional<HttpProtocol> http_protocol;  // keepalived sends HTTP/1.0 when unset
  bool fast_recovery = false;
  bool enable_sni = false;                 // SSL_GET only
  std::optional<std::string> virtualhost;  // checker-level default for its urls
  std::vector<HttpUrl> urls;

  bool operator==(const HttpCheck&) const = default;
};

// A legacy SMTP_CHECK `host { ... }` sub-block: one more server to try.
struct SmtpHost {
  CheckerConnection connection;
  SourceLoc loc;

  bool operator==(const SmtpHost&) const = default;
};

struct SmtpCheck {
  std::optional<std::string> helo_name;  // keepalived's default is its own host name
  std::vector<SmtpHost> hosts;

  bool operator==(const SmtpCheck&) const = default;
};

enum class DnsQueryType { A, NS, CNAME, SOA, MX, TXT, AAAA };

struct DnsCheck {
  DnsQueryType type = DnsQueryType::SOA;
  std::string name = ".";

  bool operator==(const DnsCheck&) const = default;
};

struct MiscCheck {
  std::string path;               // command line, run through the shell like keepalived
  std::optional<Micros> timeout;  // misc_timeout; keepalived uses delay_loop when unset
  bool dynamic = false;           // exit status 2-255 sets the weight
  std::optional<std::string> user;
  std::optional<std::string> group;

  bool operator==(const MiscCheck&) const = default;
};

// One nibble of a require_reply pattern; `wildcard` for X/x (ignore these four bits).
struct UdpReplyNibble {
  uint8_t value = 0;
  bool wildcard = false;
  auto operator<=>(const UdpReplyNibble&) const = default;
};

struct UdpCheck {
  std::optional<std::vector<uint8_t>> payload;  // random payload when unset
  bool require_reply = false;
  std::vector<UdpReplyNibble> reply_pattern;  // empty: any reply will do
  uint16_t min_reply_length = 0;
  uint16_t max_reply_length = 255;

  bool operator==(const UdpCheck&) const = default;
};

struct FileCheck {
  std::string track_file;  // name of a global track_file block
  bool dynamic = false;
  std::optional<int64_t> weight;  // defaults to the track_file's weight
  bool reverse = false;

  bool operator==(const FileCheck&) const = default;
};

struct BfdCheck {
  std::string bfd_instance;  // name of a bfd_instance

  bool operator==(const BfdCheck&) const = default;
};

enum class CheckerKind { Tcp, HttpGet, SslGet, Smtp, Dns, Misc, Udp, Ping, File, Bfd };

using CheckerSpec = std::variant<TcpCheck, HttpCheck, SmtpCheck, DnsCheck, MiscCheck, UdpCheck,
                                 PingCheck, FileCheck, BfdCheck>;

struct HealthChecker {
  CheckerKind kind = CheckerKind::Tcp;
  CheckerCommon common;  // unused (always empty) for FILE_CHECK and BFD_CHECK
  CheckerSpec spec;
  SourceLoc loc;

  bool operator==(const HealthChecker&) const = default;
};

// The keepalived keyword of a checker kind ("TCP_CHECK", "HTTP_GET", ...).
std::string_view checker_keyword(CheckerKind k);

}  // namespace vigil::conf
