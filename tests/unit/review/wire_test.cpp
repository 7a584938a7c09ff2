#include "review/wire.h"

#include <gtest/gtest.h>

namespace praktika::review {
namespace {

using nlohmann::json;

// A deleted account leaves only its id on the board and in the log.
TEST(ReviewWire, APersonWhoseAccountIsGoneIsOnlyTheirId) {
  EXPECT_EQ(to_json(Person{9, std::nullopt, std::nullopt}), (json{{"id", 9}}));
  EXPECT_EQ(to_json(Person{9, "expert@dom.ru", "Иван Иванов"}),
            (json{{"id", 9}, {"email", "expert@dom.ru"}, {"full_name", "Иван Иванов"}}));
}

TEST(ReviewWire, AReviewNotWrittenIsNullAndAWrittenOneKeepsItsScoresAsGiven) {
  EXPECT_TRUE(to_json(std::optional<ExpertReview>()).is_null());
  ExpertReview r{"present", "", json{{"novelty", 4}, {"impact", nullptr}}, "2020-06-01T10:00:00+08:00",
                 "2020-06-02T10:00:00+08:00"};
  EXPECT_EQ(to_json(std::optional<ExpertReview>(r)),
            (json{{"decision", "present"},
                  {"reason", ""},
                  {"scores", {{"novelty", 4}, {"impact", nullptr}}},
                  {"created_at", "2020-06-01T10:00:00+08:00"},
                  {"updated_at", "2020-06-02T10:00:00+08:00"}}));
}

TEST(ReviewWire, CriteriaAreAnArrayEvenWhenTheAgendaHasNone) {
  EXPECT_EQ(to_json(std::vector<Criterion>{}), json::array());
  EXPECT_EQ(to_json(std::vector<Criterion>{{"novelty", "Новизна", 5}}),
            (json::array({{{"id", "novelty"}, {"title", "Новизна"}, {"max", 5}}})));
}

}  // namespace
}  // namespace praktika::review
