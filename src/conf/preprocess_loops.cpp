#include "conf/preprocess_loops.h"

#include <charconv>
#include <cstdio>

#include "conf/lexer.h"
#include "conf/preprocess_macros.h"

namespace vigil::conf {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// Splits on commas that are not inside {...}.
std::vector<std::string_view> split_top_level(std::string_view s) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '{') ++depth;
    if (s[i] == '}') --depth;
    if (s[i] == ',' && depth == 0) {
      out.push_back(trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  out.push_back(trim(s.substr(start)));
  return out;
}

// "{a, b}" -> ["a", "b"]; "a" -> ["a"].
std::optional<std::vector<std::string>> group(std::string_view s) {
  std::vector<std::string> out;
  if (!s.empty() && s.front() == '{') {
    if (s.back() != '}') return std::nullopt;
    for (auto part : split_top_level(s.substr(1, s.size() - 2))) out.emplace_back(part);
  } else {
    out.emplace_back(s);
  }
  return out;
}

std::optional<int64_t> parse_int(std::string_view s) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  // Keep the range small enough that start + step never overflows.
  if (v > (int64_t{1} << 53)) return std::nullopt;
  return neg ? -v : v;
}

}  // namespace

bool starts_loop(std::string_view text) {
  return text.starts_with("~SEQ(") || text.starts_with("~SEQx(") || text.starts_with("~LST(");
}

uint64_t LoopSpec::iterations() const {
  if (!is_seq) return rows.size();
  if (step > 0) return start > end ? 0 : static_cast<uint64_t>((end - start) / step) + 1;
  return start < end ? 0 : static_cast<uint64_t>((start - end) / -step) + 1;
}

std::string LoopSpec::seq_value(uint64_t n) const {
  int64_t v = start + static_cast<int64_t>(n) * step;
  if (!hex) return std::to_string(v);
  char buf[32];
  if (v < 0)
    std::snprintf(buf, sizeof buf, "-%llx", static_cast<unsigned long long>(-v));
  else
    std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::optional<LoopSpec> parse_loop(std::string_view text, std::string* error) {
  LoopSpec spec;
  size_t open = text.find('(');
  std::string_view kind = text.substr(0, open);
  // The closing parenthesis of the spec (values never contain parentheses).
  size_t close = text.find(')', open);
  if (close == std::string_view::npos) {
    *error = "missing `)` after " + std::string(kind);
    return std::nullopt;
  }
  spec.rest = close + 1;
  auto parts = split_top_level(text.substr(open + 1, close - open - 1));
  if (kind == "~LST") {
    if (parts.size() < 2) {
      *error = "~LST needs a variable and at least one value";
      return std::nullopt;
    }
    auto vars = group(parts[0]);
    if (!vars) {
      *error = "malformed ~LST variable list";
      return std::nullopt;
    }
    spec.vars = std::move(*vars);
    for (size_t i = 1; i < parts.size(); ++i) {
      auto row = group(parts[i]);
      if (!row || row->size() != spec.vars.size()) {
        *error = "~LST value `" + std::string(parts[i]) + "` does not match the " +
                 std::to_string(spec.vars.size()) + " variable(s)";
        return std::nullopt;
      }
      spec.rows.push_back(std::move(*row));
    }
  } else {
    spec.is_seq = true;
    spec.hex = kind == "~SEQx";
    if (parts.size() < 2 || parts.size() > 4) {
      *error = std::string(kind) + " needs (variable, [start,] [step,] end)";
      return std::nullopt;
    }
    spec.vars.emplace_back(parts[0]);
    std::vector<int64_t> nums;
    for (size_t i = 1; i < parts.size(); ++i) {
      auto v = parse_int(parts[i]);
      if (!v) {
        *error = "invalid number `" + std::string(parts[i]) + "` in " + std::string(kind);
        return std::nullopt;
      }
      nums.push_back(*v);
    }
    if (nums.size() == 1) {
      spec.end = nums[0];
      spec.start = spec.end > 0 ? 1 : -1;
      spec.step = spec.end >= spec.start ? 1 : -1;
    } else if (nums.size() == 2) {
      spec.start = nums[0];
      spec.end = nums[1];
      spec.step = spec.end >= spec.start ? 1 : -1;
    } else {
      spec.start = nums[0];
      spec.step = nums[1];
      spec.end = nums[2];
      if (spec.step == 0) {
        *error = std::string(kind) + " step must not be 0";
        return std::nullopt;
      }
    }
  }
  for (const auto& v : spec.vars) {
    if (v.empty() || !is_macro_name_start(v[0])) {
      *error = "invalid loop variable name `" + v + "`";
      return std::nullopt;
    }
    for (char c : v)
      if (!is_macro_name_char(c)) {
        *error = "invalid loop variable name `" + v + "`";
        return std::nullopt;
      }
  }
  return spec;
}

}  // namespace vigil::conf
