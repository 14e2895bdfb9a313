// LineText's column bookkeeping, checked against a per-byte model under random edits.
#include <gtest/gtest.h>

#include <random>

#include "conf/lexer.h"

namespace vigil::conf {
namespace {

// The obvious but slow model: one column per byte.
struct Model {
  std::string text;
  std::vector<unsigned> cols;
  // Inserted bytes take the column of the first replaced byte (pos < text.size()).
  void replace(size_t pos, size_t len, const std::string& with) {
    unsigned c = cols[pos];
    text.replace(pos, len, with);
    cols.erase(cols.begin() + pos, cols.begin() + pos + len);
    cols.insert(cols.begin() + pos, with.size(), c);
  }
};

TEST(ReaderLexer, ColumnsSurviveRandomReplacementsAndPrefixErasure) {
  std::mt19937 rng(12345);
  auto file = SourceFile::from_text("f.conf", "x");
  for (int round = 0; round < 300; ++round) {
    std::string start(1 + rng() % 40, 'a');
    for (auto& ch : start) ch = static_cast<char>('a' + rng() % 26);
    LineText line(start, file, 1);
    Model m;
    m.text = start;
    for (size_t i = 0; i < start.size(); ++i) m.cols.push_back(static_cast<unsigned>(i + 1));
    for (int step = 0; step < 12 && !m.text.empty(); ++step) {
      if (rng() % 4 == 0) {
        size_t n = rng() % (m.text.size() + 1);
        // Model of erase_prefix: drop the first n bytes.
        line.erase_prefix(n);
        m.text.erase(0, n);
        m.cols.erase(m.cols.begin(), m.cols.begin() + n);
      } else {
        if (m.text.empty()) break;
        size_t pos = rng() % m.text.size();
        size_t len = rng() % (m.text.size() - pos + 1);
        std::string with(rng() % 6, 'Z');
        line.replace(pos, len, with);
        m.replace(pos, len, with);
      }
      ASSERT_EQ(line.text(), m.text);
      for (size_t i = 0; i < m.text.size(); ++i)
        ASSERT_EQ(line.col_at(i), m.cols[i]) << "round " << round << " step " << step << " i " << i;
    }
  }
}

TEST(ReaderLexer, ExpandedLinesMapEveryByteToTheUse) {
  auto file = SourceFile::from_text("f.conf", "x");
  LineText l = LineText::expanded("abc def", SourceLoc{file, 7, 9});
  l.replace(4, 3, "longer text");
  EXPECT_EQ(l.text(), "abc longer text");
  for (size_t i = 0; i < l.text().size(); ++i) EXPECT_EQ(l.col_at(i), 9u);
  EXPECT_EQ(l.loc_at(3).to_string(), "f.conf:7:9");
}

TEST(ReaderLexer, CommentStartIgnoresQuotedAndEscapedText) {
  EXPECT_EQ(find_comment("a # b"), 2u);
  EXPECT_EQ(find_comment("a ! b"), 2u);
  EXPECT_EQ(find_comment("\"#!\" x"), std::string_view::npos);
  EXPECT_EQ(find_comment("\"\\\"#\" #"), 6u);
}

}  // namespace
}  // namespace vigil::conf
