#include "conf/schema.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace vigil::conf {
namespace {

constexpr size_t kSuggestMaxWord = 64;  // longer than any keyword: no suggestion is useful

// How often each byte occurs in a (case-folded) word.
using SuggestCounts = std::array<uint16_t, 256>;

// ASCII case folding: keywords and choice names are ASCII, and std::tolower is a library call
// per byte (with a locale lookup), which the suggestion loops below would pay for every byte of
// every candidate.
char suggest_fold(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// A lower bound of the edit distance, from one pass over (a prefix of) `b`: every byte of the
// longer word that the other word lacks (as a multiset) needs at least one edit. The pass stops
// once `stop` bytes of `b` are missing from `a` (returning `stop`): a candidate that can no
// longer win is dropped after a few bytes. This rejects nearly every candidate of a keyword table
// before the matrix, which matters when a file (or a fuzzer's input) is full of unknown keywords:
// each one is compared with a whole table. `scratch` is all zero before and after.
size_t suggest_bag_distance(const SuggestCounts& a_counts, size_t a_size, std::string_view b,
                            SuggestCounts& scratch, size_t stop) {
  size_t common = 0, missing = 0, seen = 0;
  while (seen < b.size()) {
    const auto u = static_cast<unsigned char>(suggest_fold(b[seen++]));
    if (scratch[u] < a_counts[u]) {
      ++common;
    } else if (++missing >= stop) {
      break;
    }
    ++scratch[u];
  }
  for (size_t k = 0; k < seen; ++k) scratch[static_cast<unsigned char>(suggest_fold(b[k]))] = 0;
  if (missing >= stop) return stop;
  return std::max(a_size, b.size()) - common;
}

// Levenshtein distance of `a` (already lower case) and `b` (compared case-folded), or
// `bound + 1` as soon as it is known to exceed `bound`: suggestions need only near words. Only
// the diagonal band |i - j| <= bound of the matrix can hold a distance within the bound, so only
// it is computed (cells outside count as bound + 1).
size_t bounded_edit_distance(std::string_view a, std::string_view b, size_t bound) {
  const size_t longer = std::max(a.size(), b.size()), shorter = std::min(a.size(), b.size());
  if (longer - shorter > bound) return bound + 1;
  if (b.size() >= kSuggestMaxWord) return bound + 1;
  const size_t far = bound + 1;
  std::array<char, kSuggestMaxWord> lb{};
  for (size_t j = 0; j < b.size(); ++j) lb[j] = suggest_fold(b[j]);
  std::array<size_t, kSuggestMaxWord + 1> row_a{}, row_b{};
  size_t* prev = row_a.data();  // swapped as pointers, not as whole arrays, after each row
  size_t* cur = row_b.data();
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j <= bound ? j : far;
  for (size_t i = 1; i <= a.size(); ++i) {
    const size_t lo = i > bound ? i - bound : 1;
    const size_t hi = std::min(b.size(), i + bound);
    cur[lo - 1] = lo == 1 ? std::min(i, far) : far;
    size_t row_min = cur[lo - 1];
    for (size_t j = lo; j <= hi; ++j) {
      const size_t subst = prev[j - 1] + (a[i - 1] == lb[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst, far});
      row_min = std::min(row_min, cur[j]);
    }
    // The next row reads one cell past this row's band.
    if (hi < b.size()) cur[hi + 1] = far;
    if (row_min > bound) return far;  // every later row is at least this far
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], far);
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

}  // namespace

const Token* ParseContext::arg(const Node& n, size_t index, std::string_view what) {
  if (index < n.args.size()) return &n.args[index];
  diag.error(n.loc(),
             "`" + n.keyword.text + "` expects " + std::string(what) + " (argument " +
                 std::to_string(index + 1) + ")",
             {}, token_width(n.keyword));
  return nullptr;
}

bool ParseContext::expect_args(const Node& n, size_t min, size_t max) {
  if (n.args.size() >= min && n.args.size() <= max) return true;
  std::string expected = min == max        ? std::to_string(min)
                         : max == SIZE_MAX ? "at least " + std::to_string(min)
                                           : std::to_string(min) + " to " + std::to_string(max);
  const SourceLoc& where = n.args.size() > max ? n.args[max].loc : n.loc();
  diag.error(where, "`" + n.keyword.text + "` takes " + expected + " argument" +
                        (min == 1 && max == 1 ? "" : "s") + ", got " +
                        std::to_string(n.args.size()));
  return false;
}

bool ParseContext::expect_block(const Node& n) {
  if (n.has_block) return true;
  diag.error(n.loc(), "`" + n.keyword.text + "` needs a `{ ... }` block", {},
             token_width(n.keyword));
  return false;
}

bool ParseContext::expect_no_block(const Node& n) {
  if (!n.has_block) return true;
  diag.error(n.block_loc, "`" + n.keyword.text + "` does not take a block");
  return false;
}

std::optional<int64_t> ParseContext::integer(const Node& n, size_t index, int64_t min,
                                             int64_t max) {
  const Token* t = arg(n, index, "a number");
  if (!t) return std::nullopt;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(t->text.data(), t->text.data() + t->text.size(), v);
  if (t->text.empty() || ec != std::errc{} || ptr != t->text.data() + t->text.size()) {
    diag.error(t->loc, "`" + n.keyword.text + "`: `" + t->text + "` is not a whole number", {},
               token_width(*t));
    return std::nullopt;
  }
  if (v < min || v > max) {
    diag.error(t->loc,
               "`" + n.keyword.text + "`: " + t->text + " is out of range " + std::to_string(min) +
                   "-" + std::to_string(max),
               {}, token_width(*t));
    return std::nullopt;
  }
  return v;
}

std::optional<double> ParseContext::decimal(const Node& n, size_t index, double min, double max,
                                            int max_decimals) {
  const Token* t = arg(n, index, "a number");
  if (!t) return std::nullopt;
  const std::string& s = t->text;
  // Plain decimal only: digits, optional single dot, digits. No exponents, signs or hex.
  size_t dot = s.find('.');
  bool ok = !s.empty() && s != "." && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit((unsigned char)c) || c == '.';
  }) && std::count(s.begin(), s.end(), '.') <= 1;
  if (!ok) {
    diag.error(t->loc, "`" + n.keyword.text + "`: `" + s + "` is not a number", {},
               token_width(*t));
    return std::nullopt;
  }
  if (dot != std::string::npos && static_cast<int>(s.size() - dot - 1) > max_decimals) {
    diag.error(t->loc,
               "`" + n.keyword.text + "`: `" + s + "` has more than " +
                   std::to_string(max_decimals) + " decimal places",
               {}, token_width(*t));
    return std::nullopt;
  }
  double v = std::strtod(s.c_str(), nullptr);
  if (!(v >= min && v <= max)) {
    auto fmt = [](double d) {
      std::string r = std::to_string(d);
      r.erase(r.find_last_not_of('0') + 1);
      if (!r.empty() && r.back() == '.') r.pop_back();
      return r;
    };
    diag.error(t->loc,
               "`" + n.keyword.text + "`: " + s + " is out of range " + fmt(min) + "-" + fmt(max),
               {}, token_width(*t));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> ParseContext::boolean(const Node& n, size_t index) {
  if (index >= n.args.size()) return true;
  const Token& t = n.args[index];
  std::string v = lower(t.text);
  if (v == "on" || v == "true" || v == "yes") return true;
  if (v == "off" || v == "false" || v == "no") return false;
  diag.error(t.loc,
             "`" + n.keyword.text + "`: `" + t.text + "` is not one of on/off, true/false, yes/no",
             {}, token_width(t));
  return std::nullopt;
}

std::optional<std::string> ParseContext::string(const Node& n, size_t index) {
  const Token* t = arg(n, index, "a value");
  if (!t) return std::nullopt;
  return t->text;
}

std::optional<IpAddress> ParseContext::address(const Node& n, size_t index) {
  const Token* t = arg(n, index, "an IP address");
  if (!t) return std::nullopt;
  auto a = IpAddress::parse(t->text);
  if (!a)
    diag.error(t->loc, "`" + t->text + "` is not an IPv4 or IPv6 address", {}, token_width(*t));
  return a;
}

std::optional<IpPrefix> ParseContext::prefix(const Node& n, size_t index) {
  const Token* t = arg(n, index, "an IP address or prefix");
  if (!t) return std::nullopt;
  auto p = IpPrefix::parse(t->text);
  if (!p)
    diag.error(t->loc, "`" + t->text + "` is not an IP address or ADDRESS/PREFIXLEN", {},
               token_width(*t));
  return p;
}

std::optional<uint16_t> ParseContext::port(const Node& n, size_t index, bool allow_zero) {
  auto v = integer(n, index, allow_zero ? 0 : 1, 65535);
  if (!v) return std::nullopt;
  return static_cast<uint16_t>(*v);
}

std::optional<size_t> ParseContext::choice_index(const Node& n, size_t index,
                                                 const std::vector<std::string_view>& names,
                                                 bool fold_case) {
  const Token* t = arg(n, index, "a value");
  if (!t) return std::nullopt;
  for (size_t i = 0; i < names.size(); ++i) {
    if (fold_case ? lower(names[i]) == lower(t->text) : names[i] == t->text) return i;
  }
  std::string allowed;
  for (auto nm : names) allowed += (allowed.empty() ? "" : ", ") + std::string(nm);
  auto s = suggest(t->text, names);
  diag.error(t->loc, "`" + n.keyword.text + "`: `" + t->text + "` is not one of " + allowed,
             s.empty() ? std::string{} : "did you mean `" + s + "`?", token_width(*t));
  return std::nullopt;
}

std::string suggest(std::string_view word, const std::vector<std::string_view>& candidates) {
  // Close enough: at most a third of the word's length (and at least one edit allowed).
  const size_t limit = std::max<size_t>(1, (word.size() + 2) / 3);
  if (word.size() > kSuggestMaxWord + limit) return {};
  std::string w(word);
  for (auto& ch : w) ch = suggest_fold(ch);
  SuggestCounts counts{}, scratch{};
  for (char c : w) ++counts[static_cast<unsigned char>(c)];
  std::string_view best;
  size_t best_d = limit + 1;
  for (auto c : candidates) {
    // Only a strictly nearer candidate can win, so the bound shrinks as matches improve.
    const size_t size_gap = c.size() > w.size() ? c.size() - w.size() : w.size() - c.size();
    if (size_gap >= best_d || suggest_bag_distance(counts, w.size(), c, scratch, best_d) >= best_d)
      continue;
    const size_t d = bounded_edit_distance(w, c, best_d - 1);
    if (d < best_d) {
      best_d = d;
      best = c;
      if (d == 0) break;
    }
  }
  return best_d <= limit ? std::string(best) : std::string{};
}

void report_unknown_keyword(ParseContext& ctx, const Node& n, std::string_view section,
                            const std::vector<std::string_view>& candidates) {
  // The did-you-mean search is most of an unknown keyword's cost; skip it when the error will
  // not be listed.
  auto s = ctx.diag.listing() ? suggest(n.keyword.text, candidates) : std::string{};
  ctx.diag.error(n.loc(), "unknown keyword `" + n.keyword.text + "` in " + std::string(section),
                 s.empty() ? std::string{} : "did you mean `" + s + "`?", token_width(n.keyword));
}

void report_deprecated_keyword(ParseContext& ctx, const Node& n, std::string_view replaced_by) {
  ctx.diag.warning(n.loc(),
                   "`" + n.keyword.text + "` is deprecated; use `" + std::string(replaced_by) + "`",
                   {}, token_width(n.keyword));
}

}  // namespace vigil::conf
