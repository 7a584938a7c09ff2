#include "review/assignment.h"

#include <gtest/gtest.h>

#include <map>

namespace praktika::review {
namespace {

std::map<std::int64_t, int> loads(const std::vector<std::pair<std::int64_t, std::int64_t>>& pairs) {
  std::map<std::int64_t, int> out;
  for (const auto& [practice, expert] : pairs) ++out[expert];
  return out;
}

TEST(NormaliseInstitution, CaseQuotesPunctuationAndSpacesDoNotMatter) {
  EXPECT_EQ(normalise_institution("Центр «Помощь детям»"), "центр помощь детям");
  EXPECT_EQ(normalise_institution("  центр \"Помощь   детям\". "), "центр помощь детям");
  EXPECT_EQ(normalise_institution("Центр „Помощь детям“"), "центр помощь детям");
  EXPECT_EQ(normalise_institution("Центр ‹Помощь› 'детям'"), "центр помощь детям");
  EXPECT_EQ(normalise_institution("School No. 5"), "school no 5");
  EXPECT_EQ(normalise_institution("«»"), "");
  EXPECT_NE(normalise_institution("Центр помощи детям"), normalise_institution("Центр помощи семьям"));
}

TEST(NormaliseInstitution, YoIsYe) {
  EXPECT_EQ(normalise_institution("Ёлочка"), normalise_institution("елочка"));
  EXPECT_EQ(normalise_institution("Центр «Надёжда»"), "центр надежда");
}

TEST(NormaliseInstitution, AbbreviatedLegalFormsAreLeftOut) {
  for (const char* form : {"ГБУ", "ГКУ", "ГАУ", "ОГБУ", "ОГКУ", "МБУ", "МКУ", "КГБУ", "КГКУ", "ГБУСО", "ОГБУСО", "ГБСУСО",
                           "ОГБУ ДПО", "ГБУ СО", "МБОУ", "ФГБУ", "АНО"})
    EXPECT_EQ(normalise_institution(std::string(form) + " «Центр помощи детям»"), "центр помощи детям") << form;
  EXPECT_EQ(normalise_institution("Ёлочка, МБУ"), "елочка");
}

TEST(NormaliseInstitution, SpelledOutLegalFormsAreLeftOut) {
  EXPECT_EQ(normalise_institution("Областное государственное бюджетное учреждение социального обслуживания «Центр помощи детям»"),
            normalise_institution("ОГБУСО «Центр помощи детям»"));
  EXPECT_EQ(normalise_institution("государственное бюджетное учреждение «Центр помощи детям»"), "центр помощи детям");
  EXPECT_EQ(normalise_institution("Муниципальное бюджетное учреждение «Семья»"), "семья");
  EXPECT_EQ(normalise_institution("Краевое государственное казённое учреждение «Приют»"), "приют");
  EXPECT_EQ(normalise_institution("областное государственное бюджетное учреждение дополнительного профессионального "
                                  "образования «Учебно-методический центр»"),
            normalise_institution("ОГБУ ДПО «Учебно-методический центр»"));
  EXPECT_EQ(normalise_institution("Автономная некоммерческая организация «Добро»"), "добро");
}

TEST(NormaliseInstitution, TheWordsOfTheNameStay) {
  // «Учреждение» without a legal form before it is part of the name; «СО» only after a form.
  EXPECT_EQ(normalise_institution("Учреждение устойчивого развития"), "учреждение устойчивого развития");
  EXPECT_EQ(normalise_institution("Центр СО «Надежда»"), "центр со надежда");
  EXPECT_EQ(normalise_institution("Школа № 5"), "школа 5");
}

TEST(NormaliseInstitution, LatinLookAlikesInACyrillicWordAreCyrillic) {
  // "OГБУ" and "Цeнтр" typed with a Latin O and e.
  EXPECT_EQ(normalise_institution("OГБУ «Цeнтр»"), "центр");
  EXPECT_EQ(normalise_institution("Centre"), "centre");
}

TEST(Balance, SpreadsPracticesEvenlyOverTheExpertsOfTheirSection) {
  std::vector<PracticeSlot> practices;
  for (int i = 1; i <= 6; ++i) practices.push_back({i, 1, {}, {}});
  std::vector<ExpertLoad> experts = {{10, {1}, 0}, {11, {1}, 0}, {12, {1}, 0}, {13, {2}, 0}};
  auto chosen = balance(practices, experts, 2);
  ASSERT_EQ(chosen.size(), 12u);
  auto count = loads(chosen);
  EXPECT_EQ(count[10], 4);
  EXPECT_EQ(count[11], 4);
  EXPECT_EQ(count[12], 4);
  EXPECT_EQ(count.count(13), 0u);  // another section's expert
}

TEST(Balance, KeepsExistingAssignmentsAndCountsThemAsLoad) {
  std::vector<PracticeSlot> practices = {{1, 1, {10}, {}}, {2, 1, {}, {}}};
  std::vector<ExpertLoad> experts = {{10, {1}, 3}, {11, {1}, 0}};
  auto chosen = balance(practices, experts, 1);
  ASSERT_EQ(chosen.size(), 1u);
  EXPECT_EQ(chosen[0], (std::pair<std::int64_t, std::int64_t>{2, 11}));
}

TEST(Balance, NeverGivesAPracticeToAConflictedExpertEvenWhenShort) {
  std::vector<PracticeSlot> practices = {{1, 1, {}, {10}}};
  std::vector<ExpertLoad> experts = {{10, {1}, 0}, {11, {1}, 5}};
  auto chosen = balance(practices, experts, 2);
  ASSERT_EQ(chosen.size(), 1u);
  EXPECT_EQ(chosen[0].second, 11);
}

TEST(Balance, NeverTakesAnExpertBeyondTheirCapEvenWhenShort) {
  std::vector<PracticeSlot> practices = {{1, 1, {}, {}}, {2, 1, {}, {}}, {3, 1, {}, {}}};
  std::vector<ExpertLoad> experts = {{10, {1}, 1, 2}, {11, {1}, 0, std::nullopt}};
  auto count = loads(balance(practices, experts, 2));
  EXPECT_EQ(count[10], 1);  // one already, one more up to the cap of 2
  EXPECT_EQ(count[11], 3);
}

TEST(Balance, AWholeEventExpertCoversEverySection) {
  std::vector<PracticeSlot> practices = {{1, 3, {}, {}}, {2, 4, {}, {}}};
  std::vector<ExpertLoad> experts = {{20, {}, 0}};
  EXPECT_EQ(balance(practices, experts, 1).size(), 2u);
}

}  // namespace
}  // namespace praktika::review
