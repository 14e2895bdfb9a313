// Token helpers, script commands and tracking lists shared by the section parsers.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "conf/parse_internal.h"

namespace vigil::conf::detail {
std::vector<const Token*> line_tokens(const Node& n) {
  std::vector<const Token*> out;
  out.reserve(n.args.size() + 1);
  out.push_back(&n.keyword);
  for (const auto& a : n.args) out.push_back(&a);
  return out;
}

std::optional<int64_t> token_integer(const Token& t, ParseContext& ctx, int64_t min, int64_t max,
                                     std::string_view what) {
  int64_t v = 0;
  const char* b = t.text.data();
  const char* e = b + t.text.size();
  int base = 10;
  if (t.text.size() > 2 && t.text[0] == '0' && (t.text[1] == 'x' || t.text[1] == 'X')) {
    base = 16;
    b += 2;
  }
  auto [ptr, ec] = std::from_chars(b, e, v, base);
  if (t.text.empty() || ec != std::errc{} || ptr != e) {
    ctx.diag.error(t.loc, std::string(what) + ": `" + t.text + "` is not a whole number", {},
                   token_width(t));
    return std::nullopt;
  }
  if (v < min || v > max) {
    ctx.diag.error(t.loc,
                   std::string(what) + ": " + t.text + " is out of range " + std::to_string(min) +
                       "-" + std::to_string(max),
                   {}, token_width(t));
    return std::nullopt;
  }
  return v;
}

Micros seconds_to_micros(double s) {
  return Micros(static_cast<int64_t>(std::llround(s * 1e6)));
}

std::optional<Micros> token_seconds(const Token& t, ParseContext& ctx, double min, double max,
                                    std::string_view what, int max_decimals) {
  // Reuse ParseContext::decimal through a one-argument node so the messages are uniform.
  Node tmp;
  tmp.keyword.text = std::string(what);
  tmp.keyword.loc = t.loc;
  tmp.args.push_back(t);
  auto v = ctx.decimal(tmp, 0, min, max, max_decimals);
  if (!v) return std::nullopt;
  return seconds_to_micros(*v);
}

std::optional<IpAddress> token_address(const Token& t, ParseContext& ctx) {
  auto a = IpAddress::parse(t.text);
  if (!a)
    ctx.diag.error(t.loc, "`" + t.text + "` is not an IPv4 or IPv6 address", {}, token_width(t));
  return a;
}

std::optional<IpPrefix> token_prefix(const Token& t, ParseContext& ctx) {
  auto p = IpPrefix::parse(t.text);
  if (!p)
    ctx.diag.error(t.loc, "`" + t.text + "` is not an IP address or ADDRESS/PREFIXLEN", {},
                   token_width(t));
  return p;
}

std::vector<std::string> split_command(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else {
        cur += c;
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
      continue;
    }
    if (c == '\\' && i + 1 < text.size()) {
      cur += text[++i];
      in_word = true;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) out.push_back(std::move(cur));
      cur.clear();
      in_word = false;
      continue;
    }
    cur += c;
    in_word = true;
  }
  if (in_word) out.push_back(std::move(cur));
  return out;
}

ScriptCommand parse_script_command(const Node& n, ParseContext& ctx, size_t first,
                                   bool allow_user) {
  ScriptCommand s;
  s.loc = n.loc();
  if (!ctx.expect_no_block(n)) return s;
  size_t max = first + (allow_user ? 3 : 1);
  if (!allow_user) {
    // Every remaining word belongs to the command (vrrp_script `script a b c`).
    max = SIZE_MAX;
  }
  if (!ctx.expect_args(n, first + 1, max)) return s;
  if (allow_user) {
    s.command = n.args[first].text;
    if (n.args.size() > first + 1) s.user = n.args[first + 1].text;
    if (n.args.size() > first + 2) s.group = n.args[first + 2].text;
  } else {
    for (size_t i = first; i < n.args.size(); ++i) {
      if (i > first) s.command += ' ';
      s.command += n.args[i].text;
    }
  }
  s.argv = split_command(s.command);
  if (s.argv.empty()) ctx.diag.error(n.args[first].loc, "`" + n.keyword.text + "`: empty command");
  return s;
}

std::optional<NotifyFifo> parse_notify_fifo(const Node& n, ParseContext& ctx) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 3)) return std::nullopt;
  NotifyFifo f;
  f.path = n.args[0].text;
  if (n.args.size() > 1) f.user = n.args[1].text;
  if (n.args.size() > 2) f.group = n.args[2].text;
  return f;
}

void parse_weight_args(const Node& n, size_t index, int32_t min_weight, int32_t max_weight,
                       std::optional<int32_t>& weight, bool& reverse, ParseContext& ctx) {
  for (size_t i = index; i < n.args.size(); ++i) {
    const Token& t = n.args[i];
    if (t.text == "weight") {
      if (i + 1 >= n.args.size()) {
        ctx.diag.error(t.loc, "`weight` needs a value", {}, 6);
        return;
      }
      if (auto w = token_integer(n.args[i + 1], ctx, min_weight, max_weight, "weight"))
        weight = static_cast<int32_t>(*w);
      ++i;
    } else if (t.text == "reverse") {
      reverse = true;
    } else if (t.text == "noreverse" || t.text == "no_reverse") {
      reverse = false;
    } else {
      auto s = suggest(t.text, {"weight", "reverse", "noreverse"});
      ctx.diag.error(t.loc, "unexpected `" + t.text + "` after `" + n.keyword.text + "`",
                     s.empty() ? std::string{} : "did you mean `" + s + "`?", token_width(t));
    }
  }
}

void parse_track_interfaces(const Node& n, std::vector<TrackedInterface>& out, ParseContext& ctx) {
  if (!ctx.expect_block(n)) return;
  for (const auto& c : n.children) {
    TrackedInterface ti;
    ti.name = c.keyword.text;
    ti.loc = c.loc();
    std::optional<int32_t> w;
    parse_weight_args(c, 0, -253, 253, w, ti.reverse, ctx);
    ti.weight = w.value_or(0);
    out.push_back(std::move(ti));
  }
}

void parse_track_refs(const Node& n, std::vector<TrackRef>& out, ParseContext& ctx,
                      int32_t min_weight, int32_t max_weight) {
  if (!ctx.expect_block(n)) return;
  for (const auto& c : n.children) {
    TrackRef r;
    r.name = c.keyword.text;
    r.loc = c.loc();
    parse_weight_args(c, 0, min_weight, max_weight, r.weight, r.reverse, ctx);
    out.push_back(std::move(r));
  }
}

std::vector<TrackRef> block_words(const Node& n, ParseContext& ctx) {
  std::vector<TrackRef> out;
  if (!ctx.expect_block(n)) return out;
  for (const auto& c : n.children) {
    out.push_back({c.keyword.text, std::nullopt, false, c.loc()});
    for (const auto& a : c.args) out.push_back({a.text, std::nullopt, false, a.loc});
  }
  return out;
}

}  // namespace vigil::conf::detail
