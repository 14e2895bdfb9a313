// "did you mean" suggestions for unknown keywords and values (conf/schema.h).
#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace vigil::conf
