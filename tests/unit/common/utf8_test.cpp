#include "common/utf8.h"

#include <gtest/gtest.h>

#include <vector>

namespace praktika {
namespace {

TEST(Utf8, WellFormedTextPassesAndBrokenSequencesDoNot) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("scan.jpg"));
  EXPECT_TRUE(is_valid_utf8("скан ё.jpg \xE2\x80\xAE \xF0\x9F\x98\x80"));
  for (const char* bad : {"\xff", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xd1", "\xe2\x80",
                          "a\x80"})
    EXPECT_FALSE(is_valid_utf8(bad)) << bad;
}

TEST(Utf8, APrefixNeverCutsACharacterInTwo) {
  const std::string text = "фото";  // 8 bytes, 2 per letter
  EXPECT_EQ(utf8_prefix_length(text, 100), 8u);
  EXPECT_EQ(utf8_prefix_length(text, 8), 8u);
  EXPECT_EQ(utf8_prefix_length(text, 7), 6u);
  EXPECT_EQ(utf8_prefix_length(text, 1), 0u);
  EXPECT_EQ(utf8_prefix_length("a\xF0\x9F\x98\x80", 4), 1u);
}

const std::string kRlo = "\xE2\x80\xAE";  // U+202E RIGHT-TO-LEFT OVERRIDE
const std::string kNul(1, '\0');

TEST(Utf8, WalksCodePointsAndWritesThemBack) {
  const std::string text = "Ёж a€\xF0\x9F\x98\x80";
  std::string again;
  std::size_t i = 0;
  std::vector<char32_t> seen;
  while (i < text.size()) {
    seen.push_back(next_code_point(text, i));
    append_utf8(again, seen.back());
  }
  EXPECT_EQ(seen, (std::vector<char32_t>{0x401, 0x436, ' ', 'a', 0x20AC, 0x1F600}));
  EXPECT_EQ(again, text);
}

TEST(Utf8, ABrokenSequenceReadsAsOneReplacementCharacterPerByte) {
  const std::string text = "\xD0\x20\xFF";
  std::size_t i = 0;
  EXPECT_EQ(next_code_point(text, i), char32_t{0xFFFD});
  EXPECT_EQ(i, 1u);
  EXPECT_EQ(next_code_point(text, i), char32_t{' '});
  EXPECT_EQ(next_code_point(text, i), char32_t{0xFFFD});
  EXPECT_EQ(i, text.size());
}

TEST(Utf8, CountsCharactersNotBytes) { EXPECT_EQ(utf8_length("Ёж и €"), 6u); }

TEST(CleanText, RemovesNulAndTheOtherControlCharacters) {
  EXPECT_EQ(clean_text("Ан" + kNul + "на\x1b[31m\x7f\x01", TextLines::one), "Анна[31m");
  // C1 controls (U+0085 NEXT LINE, U+009B CSI) go as well; U+00A0 and above stay.
  EXPECT_EQ(clean_text("a\xC2\x85" "b\xC2\x9B\xC2\xA0" "c", TextLines::many), "ab\xC2\xA0" "c");
}

TEST(CleanText, RemovesEveryBidiControlIncludingTheMarks) {
  // U+202A..U+202E, U+2066..U+2069, LRM, RLM, ALM.
  const std::string all = "\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD\xE2\x80\xAE\xE2\x81\xA6\xE2\x81\xA7"
                          "\xE2\x81\xA8\xE2\x81\xA9\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C";
  EXPECT_EQ(clean_text("Иван" + all + "ова", TextLines::one), "Иванова");
  EXPECT_EQ(clean_text("Анна " + kRlo + "Иванова", TextLines::many), "Анна Иванова");
  // Neighbours of the controls are ordinary text: U+2029 aside, U+2065, U+206A, U+202F, U+200D (ZWJ of emoji).
  for (const char* kept : {"\xE2\x81\xA5", "\xE2\x81\xAA", "\xE2\x80\xAF", "\xE2\x80\x8D", "\xD8\x9B"})
    EXPECT_EQ(clean_text(std::string("a") + kept + "b", TextLines::one), std::string("a") + kept + "b") << kept;
}

TEST(CleanText, OneLineTextTurnsLineBreaksAndTabsIntoOneSpace) {
  EXPECT_EQ(clean_text("Иванова\r\nАнна\tСергеевна", TextLines::one), "Иванова Анна Сергеевна");
  EXPECT_EQ(clean_text("a\xE2\x80\xA8" "b", TextLines::one), "a b");  // U+2028 LINE SEPARATOR
}

TEST(CleanText, ManyLineTextKeepsTabsAndLineFeedsAndDropsCarriageReturns) {
  EXPECT_EQ(clean_text("первая\r\nвторая\n\tтретья", TextLines::many), "первая\nвторая\n\tтретья");
  EXPECT_EQ(clean_text("a\xE2\x80\xA9" "b", TextLines::many), "a\nb");  // U+2029 PARAGRAPH SEPARATOR
}

TEST(CleanText, TrimsWhiteSpaceLeftAtTheEndsOnceControlsAreGone) {
  EXPECT_EQ(clean_text(kNul + " \n " + kRlo + " Анна \t" + kNul, TextLines::many), "Анна");
  EXPECT_EQ(clean_text(kRlo + kNul + "\r\n", TextLines::one), "");
  EXPECT_EQ(clean_text("", TextLines::one), "");
}

TEST(CleanText, LeavesOrdinaryTextAndBrokenBytesAsTheyAre) {
  const std::string text = "«Семейная гостиная» — ёлка № 5 \xF0\x9F\x98\x80 ☺";
  EXPECT_EQ(clean_text(text, TextLines::one), text);
  EXPECT_EQ(clean_text("a\x80\x9b\xe2\x80", TextLines::one), "a\x80\x9b\xe2\x80");
}

}  // namespace
}  // namespace praktika
