#include "contest/matching.h"

#include <gtest/gtest.h>

#include "contest/past_results.h"
#include "review/assignment.h"

namespace praktika::contest {
namespace {

InstitutionId id(const std::string& name, const std::string& inn = "") {
  return {review::normalise_institution(name), inn};
}

TEST(Match, TheSameInnIsSureWhateverTheNames) {
  EXPECT_EQ(match(id("ГБУ «Надежда»", "7701000001"), id("Центр «Надежда»", "7701000001")), MatchKind::same_inn);
}

TEST(Match, TwoDifferentInnsAreTwoInstitutionsEvenWithCloseNames) {
  EXPECT_EQ(match(id("Центр «Надежда»", "7701000001"), id("Центр «Надежды»", "7701000002")), MatchKind::none);
}

TEST(Match, TheSameNameUnderAnotherInnIsUnsure) {
  EXPECT_EQ(match(id("ОГБУСО «Центр «Надежда»", "3808000001"), id("Центр Надежда", "3808000009")),
            MatchKind::name_other_inn);
}

TEST(Match, WithoutTwoInnsTheNormalisedNameDecides) {
  EXPECT_EQ(match(id("областное государственное бюджетное учреждение социального обслуживания «Центр «Ёлочка»"),
                  id("ОГБУСО \"Центр Елочка\"", "3808000001")),
            MatchKind::same_name);
}

TEST(Match, ACloseNameIsUnsure) {
  EXPECT_EQ(match(id("ГБУ «Центр социальной помощи семье и детям «Пример»"),
                  id("ГБУ «Центр социальной помощи семьям и детям «Пример»")),
            MatchKind::similar_name);
}

TEST(Match, AnotherNameIsNoMatch) {
  EXPECT_EQ(match(id("Центр помощи детям"), id("Дом социального обслуживания «Забота»")), MatchKind::none);
  EXPECT_EQ(match(id(""), id("")), MatchKind::none);
}

TEST(SimilarNames, ATypoOrTwoInALongNameIsSimilar) {
  EXPECT_TRUE(similar_names("комплексный центр социального обслуживания населения надежда",
                            "комплексный центр социального обслуживания насиления надежды"));
  EXPECT_FALSE(similar_names("центр помощи детям", "центр помощи семьям и пожилым"));
}

TEST(SimilarNames, AllWordsOfOneAmongTheOthersIsSimilar) {
  EXPECT_TRUE(similar_names("центр надежда", "комплексный центр надежда"));
  EXPECT_FALSE(similar_names("центр", "комплексный центр надежда"));  // one word says too little
}

TEST(SimilarNames, EqualNamesAreTheSameNotSimilar) { EXPECT_FALSE(similar_names("центр надежда", "центр надежда")); }

const OutcomeWords kOutcomes = {{"laureate", {"лауреат"}}, {"participant", {"участник"}}};

TEST(ReadPastResults, AHeaderNamesTheColumnsInAnyOrder) {
  exporting::TextRows rows = {{"Год конкурса", "Итог", "Наименование учреждения", "ИНН", "Регион"},
                              {"2023", "Лауреат", "КГБУ СО «Семья»", "2460 000 003", "Красноярский край"}};
  auto read = read_past_results(rows, kOutcomes);
  ASSERT_TRUE(read.errors.empty()) << read.errors[0].message;
  ASSERT_EQ(read.results.size(), 1u);
  const auto& p = read.results[0];
  EXPECT_EQ(p.edition, 2023);
  EXPECT_EQ(p.outcome, "laureate");
  EXPECT_EQ(p.institution, "КГБУ СО «Семья»");
  EXPECT_EQ(p.institution_key, "семья");
  EXPECT_EQ(p.inn, "2460000003");
  EXPECT_EQ(p.region, "Красноярский край");
  EXPECT_EQ(read.editions, std::vector<int>{2023});
}

TEST(ReadPastResults, WithoutAHeaderTheColumnsAreInstitutionInnRegionYearOutcome) {
  exporting::TextRows rows = {{"МБУ «Семья»", "", "Москва", "2022", "участник конкурса"}};
  auto read = read_past_results(rows, kOutcomes);
  ASSERT_EQ(read.results.size(), 1u);
  EXPECT_EQ(read.results[0].outcome, "participant");
  EXPECT_EQ(read.results[0].edition, 2022);
}

TEST(ReadPastResults, EachBadRowIsNamedInRussianAndLeftOut) {
  exporting::TextRows rows = {{"Учреждение", "ИНН", "Регион", "Год", "Итог"},
                              {"Центр «Надежда»", "123", "", "2022", "лауреат"},
                              {"", "", "", "две тысячи", "призёр"},
                              {"Центр «Забота»", "", "", "2023", "Лауреат"}};
  auto read = read_past_results(rows, kOutcomes);
  ASSERT_EQ(read.results.size(), 1u);
  ASSERT_EQ(read.errors.size(), 2u);
  EXPECT_EQ(read.errors[0].row, 2u);
  EXPECT_NE(read.errors[0].message.find("ИНН «123» — нужно 10 или 12 цифр"), std::string::npos) << read.errors[0].message;
  EXPECT_EQ(read.errors[1].row, 3u);
  EXPECT_NE(read.errors[1].message.find("не указано учреждение"), std::string::npos) << read.errors[1].message;
  EXPECT_NE(read.errors[1].message.find("год конкурса «две тысячи»"), std::string::npos) << read.errors[1].message;
  EXPECT_NE(read.errors[1].message.find("итог «призёр» не распознан"), std::string::npos) << read.errors[1].message;
}

TEST(PastResultKey, StaysForTheSameResultReadAgain) {
  exporting::TextRows rows = {{"ГБУ «Надежда»", "7701000001", "", "2023", "лауреат"}};
  auto a = read_past_results(rows, kOutcomes), b = read_past_results(rows, kOutcomes);
  EXPECT_EQ(a.results[0].key(), b.results[0].key());
  EXPECT_EQ(a.results[0].key(), "2023|laureate|7701000001|надежда");
}

}  // namespace
}  // namespace praktika::contest
