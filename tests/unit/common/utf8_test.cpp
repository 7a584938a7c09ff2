#include "common/utf8.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace praktika
