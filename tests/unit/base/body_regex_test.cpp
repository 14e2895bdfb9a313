// BodyRegexMatcher: PCRE2 matching of a body fed in chunks must agree with matching the whole
// body at once, and honour keepalived's regex options and offsets.
#include "base/body_regex.h"

#include <gtest/gtest.h>

#include <random>

namespace vigil {
namespace {

std::shared_ptr<const BodyRegex> compile(BodyRegexSpec spec) {
  std::string error;
  auto re = BodyRegex::compile(spec, error);
  EXPECT_TRUE(re) << spec.pattern << ": " << error;
  return re;
}

// Feeds `body` in chunks of `chunk` bytes (0 = all at once).
bool matches(const std::shared_ptr<const BodyRegex>& re, std::string_view body, size_t chunk = 0) {
  BodyRegexMatcher m(re);
  if (chunk == 0) chunk = body.size() ? body.size() : 1;
  for (size_t i = 0; i < body.size(); i += chunk) m.feed(body.substr(i, chunk));
  m.finish();
  EXPECT_FALSE(m.error()) << *m.error();
  return m.matched();
}

struct Case {
  BodyRegexSpec spec;
  std::string body;
  bool match;
};

class BodyRegexCases : public ::testing::TestWithParam<Case> {};

TEST_P(BodyRegexCases, AgreesForEveryChunkSize) {
  const Case& c = GetParam();
  auto re = compile(c.spec);
  ASSERT_TRUE(re);
  for (size_t chunk : {size_t(0), size_t(1), size_t(2), size_t(3), size_t(7)})
    EXPECT_EQ(matches(re, c.body, chunk), c.match)
        << "pattern " << c.spec.pattern << " chunk " << chunk << " body " << c.body;
}

BodyRegexSpec spec(std::string p, std::vector<std::string> opts = {},
                   std::optional<uint32_t> min = std::nullopt,
                   std::optional<uint32_t> max = std::nullopt) {
  BodyRegexSpec s;
  s.pattern = std::move(p);
  s.options = std::move(opts);
  s.min_offset = min;
  s.max_offset = max;
  return s;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BodyRegexCases,
    ::testing::Values(
        Case{spec("status: ok"), "<html>status: ok</html>", true},
        Case{spec("status: ok"), "<html>status: down</html>", false},
        Case{spec("STATUS"), "status", false}, Case{spec("STATUS", {"caseless"}), "status", true},
        Case{spec("ok$"), "all ok", true}, Case{spec("ok$"), "ok!", false},
        Case{spec("^ok"), "x\nok", false}, Case{spec("^ok", {"multiline"}), "x\nok", true},
        Case{spec("^$"), "", true}, Case{spec("a.b"), "a\nb", false},
        Case{spec("a.b", {"dotall"}), "a\nb", true}, Case{spec("(?<=foo)bar"), "foobar", true},
        Case{spec("(?<=foo)bar"), "fozbar", false},
        Case{spec("\\d{3}-\\d{2}"), "call 555-12 now", true},
        Case{spec("x+y"), "xxxxxxxxxxxxxxxxxxxxxz", false},
        // offsets: where a match may start
        Case{spec("abc", {}, 1), "abcabc", true}, Case{spec("abc", {}, 4), "abcabc", false},
        Case{spec("abc", {}, std::nullopt, 2), "zzzabc", false},
        Case{spec("abc", {}, std::nullopt, 3), "zzzabc", true},
        Case{spec("abc", {}, 2, 3), "abcabc", true}, Case{spec("abc", {}, 1, 2), "abcabc", false},
        // UTF-8: a character split between chunks
        Case{spec("caf\u00e9", {"utf"}), "un caf\u00e9", true},
        Case{spec("^.{2}$", {"utf"}), "\u00e9\u00e9", true}));

TEST(BodyRegex, CompileErrorsAreReported) {
  std::string error;
  EXPECT_FALSE(BodyRegex::compile(spec("(unclosed"), error));
  EXPECT_NE(error.find("missing closing parenthesis"), std::string::npos) << error;
  EXPECT_FALSE(BodyRegex::compile(spec("x", {"nosuch"}), error));
  EXPECT_NE(error.find("nosuch"), std::string::npos) << error;
}

TEST(BodyRegex, ChunkedAgreesWithWholeBodyOnRandomInput) {
  std::mt19937 rng(7);
  const std::vector<std::string> patterns = {"ab+c",   "a(b|c)*d",      "^a",     "c$", "(?<=ab)c",
                                             "a.{3}b", "(a|ab)(c|bcd)", "[^a]{4}"};
  for (const std::string& p : patterns) {
    auto re = compile(spec(p));
    for (int n = 0; n < 200; ++n) {
      std::string body;
      size_t len = rng() % 24;
      for (size_t i = 0; i < len; ++i) body += "abcd\n"[rng() % 5];
      bool whole = matches(re, body);
      size_t chunk = 1 + rng() % 5;
      EXPECT_EQ(matches(re, body, chunk), whole) << p << " on '" << body << "' chunk " << chunk;
    }
  }
}

TEST(BodyRegex, FindsTheNeedleInALargeBodyFedInSmallChunks) {
  auto re = compile(spec("needle-\\d+"));
  std::string body(1 << 20, 'x');
  body += "needle-42";
  body += std::string(4096, 'y');
  EXPECT_TRUE(matches(re, body, 4096));
  BodyRegexSpec no = spec("needle-\\d+");
  EXPECT_FALSE(matches(compile(no), std::string(1 << 20, 'x'), 4096));
}

TEST(BodyRegex, JitStackSizesAreAccepted) {
  BodyRegexSpec s = spec("(a|b)*c");
  s.stack_start = 32 * 1024;
  s.stack_max = 512 * 1024;
  auto re = compile(s);
  ASSERT_TRUE(re);
  EXPECT_TRUE(matches(re, std::string(10000, 'a') + "c", 100));
}

}  // namespace
}  // namespace vigil
