#include "gallery/stem.h"

#include <gtest/gtest.h>

#include <algorithm>
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
  auto words = word_terms("ОГБУСО «Центр помощи детям», г. Иркутск — 2019");
  ASSERT_EQ(words.size(), 7u);
  EXPECT_EQ(words.back(), std::vector<std::string>{"2019"});
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

// True when every word of `query` shares a term with some word of `text`: what the gallery's
// full-text match asks of the index.
bool finds(std::string_view query, std::string_view text) {
  const auto indexed = stems(text);
  for (const auto& terms : word_terms(query)) {
    bool any = false;
    for (const auto& term : terms) any = any || std::find(indexed.begin(), indexed.end(), term) != indexed.end();
    if (!any) return false;
  }
  return true;
}

TEST(Stems, TheRussianDictionaryIsInstalledAndUsed) { EXPECT_EQ(term_scheme(), "lemma+paradigms+snowball"); }

// Snowball keeps the fleeting vowel («подросток» → «подросток», «подростка» → «подростк»), so
// these forms found nothing before the lemma joined them.
TEST(Stems, EveryFormOfAWordWithAFleetingVowelFindsTheOthers) {
  const std::vector<std::vector<std::string>> words = {
      {"подросток", "подростка", "подростку", "подростком", "подростке", "подростки", "подростков", "подросткам",
       "подростками", "подростках"},
      {"ребёнок", "ребёнка", "ребенка", "ребенку", "ребёнком", "ребенке"},
      {"отец", "отца", "отцу", "отце", "отцы", "отцов", "отцам"},
      {"палец", "пальца", "пальцы", "пальцами", "пальцев"},
      {"кусок", "куска", "куском", "кусков"},
      {"песок", "песка", "песком"},
      {"потолок", "потолка", "потолки"},
      {"звонок", "звонка", "звонки", "звонков"},
      {"младенец", "младенца", "младенцы", "младенцев"},
      {"образец", "образца", "образцы", "образцов"},
      {"конец", "конца", "концу"},
      {"продавец", "продавца", "продавцы"},
      {"владелец", "владельца", "владельцы", "владельцев"},
  };
  for (const auto& forms : words)
    for (const auto& text : forms)
      for (const auto& query : forms) EXPECT_TRUE(finds(query, text)) << "«" << query << "» in «" << text << "»";
}

// The dictionary lists the oblique forms of these as words of their own («сна», «матери»,
// «времени» are their own lemmas), and Snowball cuts them to another stem than the nominative's.
TEST(Stems, EveryFormOfANounWhoseStemChangesFindsTheOthers) {
  const std::vector<std::vector<std::string>> words = {
      {"сон", "сна", "сну", "сном", "сне", "сны", "снов", "снам", "снами", "снах"},
      {"огонь", "огня", "огню", "огнём", "огнем", "огне", "огни", "огней", "огням"},
      {"мать", "матери", "матерью", "матерей", "матерям", "матерями", "матерях"},
      {"дочь", "дочери", "дочерью", "дочерей", "дочерям", "дочерьми", "дочерях"},
      {"церковь", "церкви", "церковью", "церквей", "церквям", "церквями"},
      {"любовь", "любви", "любовью"},
      {"путь", "пути", "путём", "путем", "путей", "путям"},
      {"время", "времени", "временем", "времена", "времён", "временам", "временами"},
      {"имя", "имени", "именем", "имена", "имён", "именам"},
      {"лёд", "льда", "льду", "льдом"},
      {"ветер", "ветра", "ветру", "ветром", "ветры", "ветров"},
      {"семя", "семени", "семена", "семян"},
  };
  for (const auto& forms : words)
    for (const auto& text : forms)
      for (const auto& query : forms) EXPECT_TRUE(finds(query, text)) << "«" << query << "» in «" << text << "»";
  // Only the table's forms join: other words with these letters keep to themselves.
  EXPECT_FALSE(finds("сон", "снег"));
  EXPECT_FALSE(finds("мать", "материал"));
  EXPECT_FALSE(finds("время", "временный"));
}

TEST(Stems, AWordOfTwoLemmasHasBothAndKeepsItsOwnStem) {
  auto terms = word_terms("стали");
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_GE(terms[0].size(), 2u);
  EXPECT_TRUE(finds("сталь", "стали"));
  EXPECT_TRUE(finds("стать", "стали"));
  // A form the dictionary lists on its own («огня») still meets the forms that share its stem.
  EXPECT_TRUE(finds("огню", "огня"));
  EXPECT_FALSE(finds("школа", "подростки"));
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
