#include "gallery/stem.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace praktika::gallery {
namespace {

TEST(Stems, InflectedFormsOfOneWordShareTheirStem) {
  auto base = stems("семья");
  ASSERT_EQ(base.size(), 1u);
  for (const char* form : {"семьям", "семьи", "семьями", "семье", "Семью"}) {
    auto other = stems(form);
    ASSERT_EQ(other.size(), 1u) << form;
    EXPECT_EQ(other[0], base[0]) << form;
  }
  EXPECT_EQ(stems("наставником"), stems("наставник"));
}

TEST(Stems, DifferentWordsKeepDifferentStems) {
  EXPECT_NE(stems("семья"), stems("школа"));
}

TEST(Stems, CaseAndYoAreFolded) {
  EXPECT_EQ(stems("ПРИЁМНАЯ"), stems("приемная"));
  EXPECT_EQ(stems("Family"), stems("family"));
}

TEST(Stems, PunctuationAndQuotesSeparateWords) {
  auto words = stems("ОГБУСО «Центр помощи детям», г. Иркутск — 2019");
  ASSERT_EQ(words.size(), 7u);
  EXPECT_EQ(words.back(), "2019");
  EXPECT_EQ(stemmed_text("«семья»,  школа"), stems("семья")[0] + " " + stems("школа")[0]);
}

TEST(Stems, MalformedUtf8OnlySeparatesWords) {
  std::string text = "семья\xff\xfeшкола\xd0";
  auto words = stems(text);
  ASSERT_EQ(words.size(), 2u);
  EXPECT_EQ(words[0], stems("семья")[0]);
  EXPECT_TRUE(stems("\xff\xff\xff").empty());
}

TEST(Stems, VeryLongWordsAreCut) {
  std::string word(10000, 'a');
  auto words = stems(word);
  ASSERT_EQ(words.size(), 1u);
  EXPECT_LE(words[0].size(), kMaxWordBytes);
}

TEST(Stems, EachThreadHasItsOwnStemmer) {
  const auto expected = stems("семьями наставниками");
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i)
        if (stems("семьями наставниками") != expected) ++wrong;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong, 0);
}

}  // namespace
}  // namespace praktika::gallery
