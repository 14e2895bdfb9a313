#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "conf/diag.h"

namespace vigil::conf {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

SourceLoc diag_test_loc(const std::shared_ptr<const SourceFile>& file, unsigned line,
                        unsigned col) {
  return SourceLoc{file, line, col};
}

TEST(Diagnostics, ListsTheFirstHundredAndCountsTheRest) {
  auto file = SourceFile::from_text("k.conf", "x\n");
  Diagnostics diag;
  for (size_t i = 0; i < Diagnostics::kMaxListed + 40; ++i) {
    if (i % 2)
      diag.warning(diag_test_loc(file, 1, 1), "w" + std::to_string(i));
    else
      diag.error(diag_test_loc(file, 1, 1), "e" + std::to_string(i));
    diag.note(diag_test_loc(file, 1, 1), "n" + std::to_string(i));
  }
  EXPECT_EQ(diag.error_count(), 70u);  // counts are of everything reported
  EXPECT_EQ(diag.warning_count(), 70u);
  EXPECT_EQ(diag.omitted(), 40u);
  EXPECT_FALSE(diag.listing());
  // Each listed error or warning keeps its note; notes of left-out ones are left out too.
  ASSERT_EQ(diag.all().size(), 2 * Diagnostics::kMaxListed);
  EXPECT_EQ(diag.all().back().message, "n99");
  const std::string text = diag.format(false);
  EXPECT_THAT(text, HasSubstr("k.conf:1:1: error: e98\n"));
  EXPECT_THAT(text, Not(HasSubstr("e100")));
  EXPECT_THAT(text, EndsWith("40 more errors or warnings not listed (only the first 100 are)\n"));
}

TEST(Diagnostics, NothingOmittedMeansNoExtraLine) {
  auto file = SourceFile::from_text("k.conf", "x\n");
  Diagnostics diag;
  diag.error(diag_test_loc(file, 1, 1), "only");
  EXPECT_TRUE(diag.listing());
  EXPECT_EQ(diag.omitted_line(), "");
  EXPECT_EQ(diag.format(false), "k.conf:1:1: error: only\n");
}

TEST(FormatDiagnostic, ShortLineShownWholeWithTabsKeptUnderTheCaret) {
  auto file = SourceFile::from_text("k.conf", "\tprio 300\n");
  Diagnostic d{Severity::Error, diag_test_loc(file, 1, 7), "out of range", "hint", 3};
  EXPECT_EQ(format_diagnostic(d, true),
            "k.conf:1:7: error: out of range\n  \tprio 300\n  \t     ^~~\n  hint\n");
}

TEST(FormatDiagnostic, LongLineShownAsAWindowAroundTheColumn) {
  // 1,000 bytes: 'a' x 500, then "BAD" at column 501, then 'b' x 497.
  const std::string line = std::string(500, 'a') + "BAD" + std::string(497, 'b');
  auto file = SourceFile::from_text("k.conf", line + "\n");
  Diagnostic d{Severity::Error, diag_test_loc(file, 1, 501), "bad", {}, 400};
  const std::string text = format_diagnostic(d, true);
  const size_t excerpt_start = text.find("\n  ") + 3;
  const size_t excerpt_end = text.find('\n', excerpt_start);
  const std::string excerpt = text.substr(excerpt_start, excerpt_end - excerpt_start);
  const std::string caret_line = text.substr(excerpt_end + 3, text.size() - excerpt_end - 4);
  EXPECT_EQ(excerpt.substr(0, 3), "...");
  EXPECT_EQ(excerpt.substr(excerpt.size() - 3), "...");
  EXPECT_EQ(excerpt.size(), kExcerptWidth + 6);
  // The caret sits under the B of BAD; the underline stops where the shown text does.
  ASSERT_NE(caret_line.find('^'), std::string::npos);
  EXPECT_EQ(excerpt.substr(caret_line.find('^'), 3), "BAD");
  EXPECT_EQ(caret_line.size(), excerpt.size() - 3);
}

TEST(FormatDiagnostic, WindowDoesNotSplitAUtf8Sequence) {
  std::string line;
  for (int i = 0; i < 300; ++i) line += "\xc3\xa9";  // é, two bytes each
  auto file = SourceFile::from_text("k.conf", line + "\n");
  Diagnostic d{Severity::Error, diag_test_loc(file, 1, 301), "bad", {}, 1};
  const std::string text = format_diagnostic(d, true);
  const size_t excerpt_start = text.find("\n  ") + 3 + 3;  // after "..."
  EXPECT_EQ(static_cast<unsigned char>(text[excerpt_start]), 0xc3);
  const size_t excerpt_end = text.find("...\n", excerpt_start);
  ASSERT_NE(excerpt_end, std::string::npos);
  EXPECT_EQ(static_cast<unsigned char>(text[excerpt_end - 1]), 0xa9);
}

TEST(FormatDiagnostic, CaretPastTheEndOfALongLineStaysInTheWindow) {
  const std::string line(400, 'x');
  auto file = SourceFile::from_text("k.conf", line + "\n");
  Diagnostic d{Severity::Error, diag_test_loc(file, 1, 900), "past the end", {}, 1};
  const std::string text = format_diagnostic(d, true);
  EXPECT_THAT(text, HasSubstr("\n  ..." + std::string(kExcerptWidth, 'x') + "\n"));
  EXPECT_THAT(text, HasSubstr("\n  " + std::string(kExcerptWidth + 3, ' ') + "^\n"));
}

}  // namespace
}  // namespace vigil::conf
