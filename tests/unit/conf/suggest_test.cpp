// "did you mean" suggestions for unknown keywords and values (conf/schema.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <string>
#include <vector>

#include "conf/schema.h"

namespace vigil::conf {
namespace {

const std::vector<std::string_view> kKeywords = {"virtual_router_id", "priority",      "advert_int",
                                                 "nopreempt",         "preempt_delay", "HTTP_GET"};

TEST(Suggest, OneTypoFindsTheKeyword) {
  EXPECT_EQ(suggest("priorty", kKeywords), "priority");
  EXPECT_EQ(suggest("virtual_routr_id", kKeywords), "virtual_router_id");
  EXPECT_EQ(suggest("advert_itn", kKeywords), "advert_int");
}

TEST(Suggest, ComparesCaseFolded) {
  EXPECT_EQ(suggest("http_get", kKeywords), "HTTP_GET");
  EXPECT_EQ(suggest("PRIORITY", kKeywords), "priority");
}

TEST(Suggest, NothingWhenNoCandidateIsNear) {
  EXPECT_EQ(suggest("interface", kKeywords), "");
  EXPECT_EQ(suggest("x", kKeywords), "");
  EXPECT_EQ(suggest("", kKeywords), "");
  EXPECT_EQ(suggest("priority", {}), "");
}

TEST(Suggest, AllowsAThirdOfTheWordInEdits) {
  // "preempt_dly" is 2 edits from "preempt_delay" (limit 4 for 11 letters).
  EXPECT_EQ(suggest("preempt_dly", kKeywords), "preempt_delay");
  // "pri" is 5 edits from "priority": more than the limit of 1 for 3 letters.
  EXPECT_EQ(suggest("pri", kKeywords), "");
}

TEST(Suggest, TheFirstOfEquallyNearCandidatesWins) {
  EXPECT_EQ(suggest("abd", {"abc", "abe"}), "abc");
  EXPECT_EQ(suggest("abd", {"abe", "abc"}), "abe");
}

TEST(Suggest, AVeryLongWordGetsNoSuggestionQuickly) {
  const std::string huge(100000, 'p');
  EXPECT_EQ(suggest(huge, kKeywords), "");
  const std::string long_typo = std::string(60, 'a') + "priority";
  EXPECT_EQ(suggest(long_typo, kKeywords), "");
}

// The plain full-matrix Levenshtein distance (case-folded), as the reference for the banded,
// pre-filtered one in schema.cpp.
size_t suggest_reference_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string suggest_reference(std::string_view word, const std::vector<std::string_view>& cands) {
  const size_t limit = std::max<size_t>(1, (word.size() + 2) / 3);
  std::string_view best;
  size_t best_d = limit + 1;
  for (auto c : cands) {
    if (c.size() >= 64) continue;
    const size_t d = suggest_reference_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return std::string(best);
}

TEST(Suggest, MatchesTheFullEditDistanceOnRandomWords) {
  // A small alphabet makes near words (and ties) common, so the band and the letter-count
  // pre-filter are exercised at their edges.
  std::mt19937 rng(7);
  const std::string alphabet = "abAB_c";
  auto word = [&](size_t max_len) {
    std::string w(rng() % (max_len + 1), ' ');
    for (auto& ch : w) ch = alphabet[rng() % alphabet.size()];
    return w;
  };
  for (int round = 0; round < 3000; ++round) {
    std::vector<std::string> storage;
    for (int k = 0; k < 8; ++k) storage.push_back(word(12));
    const std::vector<std::string_view> cands(storage.begin(), storage.end());
    const std::string w = word(14);
    ASSERT_EQ(suggest(w, cands), suggest_reference(w, cands)) << "word `" << w << "`";
  }
}

}  // namespace
}  // namespace vigil::conf
