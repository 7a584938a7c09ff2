#include "review/review.h"

#include <gtest/gtest.h>

#include <fstream>

namespace praktika::review {
namespace {

using nlohmann::json;

timeline::Agenda agenda_with(const std::string& file, const json& review) {
  std::ifstream in(std::string(PRAKTIKA_SOURCE_DIR) + "/agenda/" + file);
  json doc = json::parse(in);
  if (!review.is_null()) doc["review"] = review;
  auto parsed = timeline::parse_agenda(doc.dump(), file);
  return std::get<timeline::Agenda>(std::move(parsed));
}

// The decisions are the agenda's: the conference keeps its three, the contest names its own.
TEST(ReviewPart, DecisionsComeFromTheAgenda) {
  auto conference = read_review_part(agenda_with("irkutsk-2020.json", nullptr));
  ASSERT_TRUE(std::holds_alternative<ReviewPart>(conference));
  const auto& c = std::get<ReviewPart>(conference);
  EXPECT_TRUE(c.valid("present") && c.valid("gallery") && c.valid("rejected"));
  EXPECT_FALSE(c.valid("laureate"));
  EXPECT_TRUE(c.needs_reason("rejected"));
  EXPECT_FALSE(c.needs_reason("present"));

  auto contest = read_review_part(agenda_with("contest-2025.json", nullptr));
  ASSERT_TRUE(std::holds_alternative<ReviewPart>(contest));
  const auto& k = std::get<ReviewPart>(contest);
  EXPECT_TRUE(k.valid("laureate") && k.valid("participant"));
  EXPECT_FALSE(k.valid("present"));
  EXPECT_FALSE(k.needs_reason("participant"));
  EXPECT_EQ(k.criteria.size(), 4u);
}

TEST(ReviewPart, AReasonRuleMustNameADecision) {
  json review = {{"outcomes", {{"laureate", "Лауреат"}, {"participant", "Участник"}}},
                 {"reason_required_for", {"rejected"}}};
  auto part = read_review_part(agenda_with("contest-2025.json", review));
  ASSERT_TRUE(std::holds_alternative<timeline::AgendaError>(part));
  EXPECT_EQ(std::get<timeline::AgendaError>(part).json_path, "/review/reason_required_for/0");
  review["reason_required_for"] = {"participant"};
  auto ok = read_review_part(agenda_with("contest-2025.json", review));
  ASSERT_TRUE(std::holds_alternative<ReviewPart>(ok));
  EXPECT_TRUE(std::get<ReviewPart>(ok).needs_reason("participant"));
  auto empty = read_review_part(agenda_with("contest-2025.json", {{"outcomes", json::object()}}));
  EXPECT_TRUE(std::holds_alternative<timeline::AgendaError>(empty));
}

TEST(ReviewPart, OutcomesPublicFromMustNameAMilestone) {
  auto contest = read_review_part(agenda_with("contest-2025.json", nullptr));
  ASSERT_TRUE(std::holds_alternative<ReviewPart>(contest));
  EXPECT_EQ(std::get<ReviewPart>(contest).outcomes_public_from, "laureates_published");
  json review = {{"outcomes", {{"laureate", "Лауреат"}}}, {"outcomes_public_from", "no_such_milestone"}};
  auto part = read_review_part(agenda_with("contest-2025.json", review));
  ASSERT_TRUE(std::holds_alternative<timeline::AgendaError>(part));
  EXPECT_EQ(std::get<timeline::AgendaError>(part).json_path, "/review/outcomes_public_from");
}

}  // namespace
}  // namespace praktika::review
