// Checker blocks of a real_server: common options and TCP/SMTP/DNS/MISC/UDP/PING/FILE/BFD.
// HTTP_GET and SSL_GET live in parse_checkers_http.cpp.
#include "conf/parse_checkers.h"

#include <cctype>

namespace vigil::conf::lvs_detail {
namespace {

template <class Spec>
Spec& spec(HealthChecker& c) {
  return std::get<Spec>(c.spec);
}

// keepalived's free-form hex: whitespace-separated words, each read as pairs of digits from
// the left; an odd last digit is the low nibble of a final byte ("f" -> 0x0f). With
// allow_wildcard, X/x stands for "any four bits".
std::optional<std::vector<UdpReplyNibble>> hex_nibbles(ParseContext& ctx, const Node& n,
                                                       bool allow_wildcard) {
  std::vector<UdpReplyNibble> out;
  for (const Token& t : n.args) {
    std::vector<UdpReplyNibble> word;
    for (char ch : t.text) {
      if (std::isxdigit(static_cast<unsigned char>(ch))) {
        word.push_back({static_cast<uint8_t>(std::stoi(std::string(1, ch), nullptr, 16)), false});
      } else if (allow_wildcard && (ch == 'x' || ch == 'X')) {
        word.push_back({0, true});
      } else {
        ctx.diag.error(t.loc, "`" + n.keyword.text + "`: `" + t.text + "` is not hexadecimal", {},
                       unsigned(t.text.size()));
        return std::nullopt;
      }
    }
    if (word.size() % 2) word.insert(word.end() - 1, UdpReplyNibble{0, false});
    out.insert(out.end(), word.begin(), word.end());
  }
  return out;
}

CheckerKeywords with_common(CheckerKeywords extra) {
  CheckerKeywords k = common_checker_keywords();
  for (auto& e : extra) k.push_back(std::move(e));
  return k;
}

const KeywordTable<HealthChecker>& plain_table(std::string_view name) {
  // TCP_CHECK and PING_CHECK take only the common options.
  static const KeywordTable<HealthChecker> tcp("TCP_CHECK", common_checker_keywords());
  static const KeywordTable<HealthChecker> ping("PING_CHECK", common_checker_keywords());
  return name == "TCP_CHECK" ? tcp : ping;
}

const KeywordTable<SmtpHost>& smtp_host_table() {
  static const KeywordTable<SmtpHost> table = [] {
    std::vector<Keyword<SmtpHost>> k;
    add_connection_keywords<SmtpHost>(
        k, [](SmtpHost& h) -> CheckerConnection& { return h.connection; });
    return KeywordTable<SmtpHost>("SMTP_CHECK host", std::move(k));
  }();
  return table;
}

const KeywordTable<HealthChecker>& smtp_table() {
  static const KeywordTable<HealthChecker> table(
      "SMTP_CHECK", with_common({
                        {"helo_name",
                         [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                           if (ctx.expect_args(n, 1, 1))
                             spec<SmtpCheck>(c).helo_name = n.args[0].text;
                         }},
                        {"host",
                         [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                           if (!ctx.expect_args(n, 0, 0) || !ctx.expect_block(n)) return;
                           SmtpHost h;
                           h.loc = n.loc();
                           smtp_host_table().apply(n.children, h, ctx);
                           spec<SmtpCheck>(c).hosts.push_back(std::move(h));
                         }},
                    }));
  return table;
}

const KeywordTable<HealthChecker>& dns_table() {
  static const KeywordTable<HealthChecker> table(
      "DNS_CHECK", with_common({
                       {"type",
                        [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                          if (!ctx.expect_args(n, 1, 1)) return;
                          auto t = ctx.choice<DnsQueryType>(n, 0,
                                                            {{"A", DnsQueryType::A},
                                                             {"NS", DnsQueryType::NS},
                                                             {"CNAME", DnsQueryType::CNAME},
                                                             {"SOA", DnsQueryType::SOA},
                                                             {"MX", DnsQueryType::MX},
                                                             {"TXT", DnsQueryType::TXT},
                                                             {"AAAA", DnsQueryType::AAAA}},
                                                            true);
                          if (t) spec<DnsCheck>(c).type = *t;
                        }},
                       {"name",
                        [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                          if (ctx.expect_args(n, 1, 1)) spec<DnsCheck>(c).name = n.args[0].text;
                        }},
                   }));
  return table;
}

const KeywordTable<HealthChecker>& misc_table() {
  static const KeywordTable<HealthChecker> table(
      "MISC_CHECK", with_common({
                        {"misc_path",
                         [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                           if (ctx.expect_args(n, 1, 1)) spec<MiscCheck>(c).path = n.args[0].text;
                         }},
                        {"misc_timeout",
                         [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                           if (!ctx.expect_args(n, 1, 1)) return;
                           if (auto v = u32(ctx, n, 0))
                             spec<MiscCheck>(c).timeout = Micros{int64_t(*v) * 1'000'000};
                         }},
                        {"misc_dynamic",
                         [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                           if (auto v = flag(ctx, n)) spec<MiscCheck>(c).dynamic = *v;
                         }},
                        {"user",
                         [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                           if (!ctx.expect_args(n, 1, 2)) return;
                           spec<MiscCheck>(c).user = n.args[0].text;
                           if (n.args.size() > 1) spec<MiscCheck>(c).group = n.args[1].text;
                         }},
                    }));
  return table;
}

const KeywordTable<HealthChecker>& udp_table() {
  static const KeywordTable<HealthChecker> table(
      "UDP_CHECK", with_common({
                       {"payload",
                        [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                          if (!ctx.expect_args(n, 1, SIZE_MAX)) return;
                          auto nib = hex_nibbles(ctx, n, false);
                          if (!nib) return;
                          std::vector<uint8_t> bytes;
                          for (size_t i = 0; i + 1 < nib->size(); i += 2)
                            bytes.push_back(uint8_t((*nib)[i].value << 4 | (*nib)[i + 1].value));
                          spec<UdpCheck>(c).payload = std::move(bytes);
                        }},
                       {"require_reply",
                        [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                          auto nib = hex_nibbles(ctx, n, true);
                          if (!nib) return;
                          spec<UdpCheck>(c).require_reply = true;
                          spec<UdpCheck>(c).reply_pattern = std::move(*nib);
                        }},
                       {"min_reply_length",
                        [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                          if (!ctx.expect_args(n, 1, 1)) return;
                          if (auto v = ctx.integer(n, 0, 0, 65535))
                            spec<UdpCheck>(c).min_reply_length = uint16_t(*v);
                        }},
                       {"max_reply_length",
                        [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                          if (!ctx.expect_args(n, 1, 1)) return;
                          if (auto v = ctx.integer(n, 0, 0, 65535))
                            spec<UdpCheck>(c).max_reply_length = uint16_t(*v);
                        }},
                   }));
  return table;
}

const KeywordTable<HealthChecker>& file_table() {
  static const KeywordTable<HealthChecker> table(
      "FILE_CHECK", {
                        {"track_file",
                         [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                           if (ctx.expect_args(n, 1, 1))
                             spec<FileCheck>(c).track_file = n.args[0].text;
                         }},
                        {"dynamic",
                         [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                           if (auto v = flag(ctx, n)) spec<FileCheck>(c).dynamic = *v;
                         }},
                        {"weight",
                         [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                           if (!ctx.expect_args(n, 1, 2)) return;
                           auto v = ctx.integer(n, 0, -2147483647, 2147483647);
                           if (!v) return;
                           if (n.args.size() > 1 && !ctx.choice<bool>(n, 1, {{"reverse", true}}))
                             return;
                           spec<FileCheck>(c).weight = *v;
                           spec<FileCheck>(c).reverse = n.args.size() > 1;
                         }},
                    });
  return table;
}

const KeywordTable<HealthChecker>& bfd_check_table() {
  static const KeywordTable<HealthChecker> table(
      "BFD_CHECK", {
                       {"name",
                        [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                          if (ctx.expect_args(n, 1, 1))
                            spec<BfdCheck>(c).bfd_instance = n.args[0].text;
                        }},
                   });
  return table;
}

}  // namespace

CheckerKeywords common_checker_keywords() {
  CheckerKeywords k;
  add_connection_keywords<HealthChecker>(
      k, [](HealthChecker& c) -> CheckerConnection& { return c.common.connection; });
  add_timing_keywords<HealthChecker>(
      k, [](HealthChecker& c) -> CheckTimingOptions& { return c.common.timing; }, 0);
  k.push_back({"nb_get_retry",
               [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                 if (!ctx.expect_args(n, 1, 1)) return;
                 if (auto v = u32(ctx, n, 0)) c.common.timing.retry = *v;
               },
               "retry"});
  k.push_back({"log_all_failures", [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                 if (auto v = flag(ctx, n)) c.common.log_all_failures = *v;
               }});
  return k;
}

const std::vector<std::string_view>& checker_keywords() {
  static const std::vector<std::string_view> names = {
      "TCP_CHECK",  "HTTP_GET",  "SSL_GET",    "SMTP_CHECK", "DNS_CHECK",
      "MISC_CHECK", "UDP_CHECK", "PING_CHECK", "FILE_CHECK", "BFD_CHECK"};
  return names;
}

void parse_checker(const Node& n, RealServer& rs, ParseContext& ctx) {
  if (!ctx.expect_args(n, 0, 0)) return;
  HealthChecker c;
  c.loc = n.loc();
  const std::string& k = n.keyword.text;
  const KeywordTable<HealthChecker>* table = nullptr;
  if (k == "TCP_CHECK") {
    c.kind = CheckerKind::Tcp;
    c.spec = TcpCheck{};
    table = &plain_table(k);
  } else if (k == "PING_CHECK") {
    c.kind = CheckerKind::Ping;
    c.spec = PingCheck{};
    table = &plain_table(k);
  } else if (k == "HTTP_GET" || k == "SSL_GET") {
    bool ssl = k == "SSL_GET";
    c.kind = ssl ? CheckerKind::SslGet : CheckerKind::HttpGet;
    HttpCheck h;
    h.ssl = ssl;
    c.spec = std::move(h);
    table = &http_checker_table(ssl);
  } else if (k == "SMTP_CHECK") {
    c.kind = CheckerKind::Smtp;
    c.spec = SmtpCheck{};
    table = &smtp_table();
  } else if (k == "DNS_CHECK") {
    c.kind = CheckerKind::Dns;
    c.spec = DnsCheck{};
    table = &dns_table();
  } else if (k == "MISC_CHECK") {
    c.kind = CheckerKind::Misc;
    c.spec = MiscCheck{};
    table = &misc_table();
  } else if (k == "UDP_CHECK") {
    c.kind = CheckerKind::Udp;
    c.spec = UdpCheck{};
    table = &udp_table();
  } else if (k == "FILE_CHECK") {
    c.kind = CheckerKind::File;
    c.spec = FileCheck{};
    table = &file_table();
  } else if (k == "BFD_CHECK") {
    c.kind = CheckerKind::Bfd;
    c.spec = BfdCheck{};
    table = &bfd_check_table();
  } else {
    return;  // not reachable: the real_server table only routes checker keywords here
  }
  table->apply(n.children, c, ctx);
  rs.checkers.push_back(std::move(c));
}

}  // namespace vigil::conf::lvs_detail
