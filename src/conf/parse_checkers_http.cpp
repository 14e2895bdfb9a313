// HTTP_GET and SSL_GET checkers and their url { ... } blocks.
#include <cctype>
#include <charconv>

#include "conf/parse_checkers.h"

namespace vigil::conf::lvs_detail {
namespace {

HttpCheck& http(HealthChecker& c) {
  return std::get<HttpCheck>(c.spec);
}

std::optional<uint16_t> status_number(std::string_view s) {
  unsigned v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size() || v < 100 || v > 599)
    return std::nullopt;
  return static_cast<uint16_t>(v);
}

void status_codes(const Node& n, HttpUrl& u, ParseContext& ctx) {
  if (!ctx.expect_args(n, 1, SIZE_MAX)) return;
  for (const Token& t : n.args) {
    std::string_view s = t.text;
    size_t dash = s.find('-');
    auto first = status_number(s.substr(0, dash));
    auto last = dash == std::string_view::npos ? first : status_number(s.substr(dash + 1));
    if (!first || !last || *last < *first) {
      ctx.diag.error(t.loc, "`status_code`: `" + t.text + "` is not a code or range within 100-599",
                     {}, unsigned(t.text.size()));
      continue;
    }
    u.status_codes.push_back({*first, *last});
  }
}

template <std::optional<uint32_t> HttpUrl::*member>
void url_u32(const Node& n, HttpUrl& u, ParseContext& ctx) {
  if (ctx.expect_args(n, 1, 1)) {
    if (auto v = u32(ctx, n, 0)) u.*member = v;
  }
}

const KeywordTable<HttpUrl>& url_table() {
  static const KeywordTable<HttpUrl> table(
      "url", {
                 {"path",
                  [](const Node& n, HttpUrl& u, ParseContext& ctx) {
                    if (ctx.expect_args(n, 1, 1)) u.path = n.args[0].text;
                  }},
                 {"digest",
                  [](const Node& n, HttpUrl& u, ParseContext& ctx) {
                    if (!ctx.expect_args(n, 1, 1)) return;
                    std::string d = n.args[0].text;
                    bool hex = d.size() == 32;
                    for (auto& ch : d) {
                      hex = hex && std::isxdigit(static_cast<unsigned char>(ch));
                      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                    }
                    if (!hex) {
                      ctx.diag.error(n.args[0].loc,
                                     "`digest`: `" + n.args[0].text +
                                         "` is not an MD5 digest (32 hexadecimal digits)",
                                     {}, unsigned(d.size()));
                      return;
                    }
                    u.digest = d;
                  }},
                 {"status_code", status_codes},
                 {"virtualhost",
                  [](const Node& n, HttpUrl& u, ParseContext& ctx) {
                    if (ctx.expect_args(n, 1, 1)) u.virtualhost = n.args[0].text;
                  }},
                 {"regex",
                  [](const Node& n, HttpUrl& u, ParseContext& ctx) {
                    if (ctx.expect_args(n, 1, 1)) u.regex = n.args[0].text;
                  }},
                 {"regex_no_match",
                  [](const Node& n, HttpUrl& u, ParseContext& ctx) {
                    if (bare(ctx, n)) u.regex_no_match = true;
                  }},
                 {"regex_options",
                  [](const Node& n, HttpUrl& u, ParseContext& ctx) {
                    if (!ctx.expect_args(n, 1, SIZE_MAX)) return;
                    static const std::vector<std::string_view> known = {
                        "allow_empty_class", "alt_bsux",
                        "auto_callout",      "caseless",
                        "dollar_endonly",    "dotall",
                        "dupnames",          "extended",
                        "firstline",         "match_unset_backref",
                        "multiline",         "never_ucp",
                        "never_utf",         "no_auto_capture",
                        "no_auto_possess",   "no_dotstar_anchor",
                        "no_start_optimize", "ucp",
                        "ungreedy",          "utf",
                        "never_backslash_c", "alt_circumflex",
                        "alt_verbnames",     "use_offset_limit"};
                    for (const Token& t : n.args) {
                      bool ok = false;
                      for (auto k : known) ok = ok || k == t.text;
                      if (!ok) {
                        auto s = suggest(t.text, known);
                        ctx.diag.error(t.loc, "`regex_options`: unknown option `" + t.text + "`",
                                       s.empty() ? "" : "did you mean `" + s + "`?",
                                       unsigned(t.text.size()));
                        continue;
                      }
                      u.regex_options.push_back(t.text);
                    }
                  }},
                 {"regex_stack",
                  [](const Node& n, HttpUrl& u, ParseContext& ctx) {
                    if (!ctx.expect_args(n, 2, 2)) return;
                    auto start = u32(ctx, n, 0);
                    auto max = u32(ctx, n, 1);
                    if (!start || !max) return;
                    if (*max < *start) {
                      ctx.diag.error(n.args[1].loc, "`regex_stack`: MAX is smaller than START");
                      return;
                    }
                    u.regex_stack_start = start;
                    u.regex_stack_max = max;
                  }},
                 {"regex_min_offset", url_u32<&HttpUrl::regex_min_offset>},
                 {"regex_max_offset", url_u32<&HttpUrl::regex_max_offset>},
             });
  return table;
}

CheckerKeywords http_keywords() {
  CheckerKeywords k = common_checker_keywords();
  k.push_back({"http_protocol", [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                 if (!ctx.expect_args(n, 1, 1)) return;
                 auto p = ctx.choice<HttpProtocol>(n, 0,
                                                   {{"1.0", HttpProtocol::V1_0},
                                                    {"1.0C", HttpProtocol::V1_0C},
                                                    {"1.1", HttpProtocol::V1_1}},
                                                   true);
                 if (p) http(c).http_protocol = p;
               }});
  k.push_back({"fast_recovery", [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                 if (auto v = flag(ctx, n)) http(c).fast_recovery = *v;
               }});
  k.push_back({"virtualhost", [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                 if (ctx.expect_args(n, 1, 1)) http(c).virtualhost = n.args[0].text;
               }});
  k.push_back({"enable_sni", [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                 if (auto v = flag(ctx, n)) http(c).enable_sni = *v;
               }});
  k.push_back({"url", [](const Node& n, HealthChecker& c, ParseContext& ctx) {
                 if (!ctx.expect_args(n, 0, 0) || !ctx.expect_block(n)) return;
                 HttpUrl u;
                 u.loc = n.loc();
                 url_table().apply(n.children, u, ctx);
                 http(c).urls.push_back(std::move(u));
               }});
  return k;
}

}  // namespace

const KeywordTable<HealthChecker>& http_checker_table(bool ssl) {
  static const KeywordTable<HealthChecker> http_get("HTTP_GET", http_keywords());
  static const KeywordTable<HealthChecker> ssl_get("SSL_GET", http_keywords());
  return ssl ? ssl_get : http_get;
}

}  // namespace vigil::conf::lvs_detail
