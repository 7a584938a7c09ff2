#include "timeline/timeline.h"

#include <gtest/gtest.h>

namespace praktika::timeline {
namespace {

using nlohmann::json;
using Ids = std::vector<std::string>;

TimePoint at(std::string_view s) {
  auto t = parse_instant(s);
  EXPECT_TRUE(t) << s;
  return t.value_or(TimePoint{});
}

Timeline shipped() {
  auto r = load_agenda(std::string(PRAKTIKA_SOURCE_DIR) + "/agenda/irkutsk-2020.json");
  if (auto* e = std::get_if<AgendaError>(&r)) ADD_FAILURE() << e->describe();
  return Timeline(std::get<Agenda>(r));
}

TEST(Timeline, NothingIsOpenBeforeIntake) {
  Timeline t = shipped();
  EXPECT_EQ(t.open_at(at("2020-05-31T23:59:59+08:00")), Ids{});
  EXPECT_EQ(t.state_at("intake", at("2020-05-31T23:59:59+08:00")), StageState::upcoming);
}

TEST(Timeline, IntakeIsOpenUntilItsClosingMinute) {
  Timeline t = shipped();
  EXPECT_EQ(t.open_at(at("2020-06-01T00:00+08:00")), Ids{"intake"});
  EXPECT_EQ(t.open_at(at("2020-06-15T12:00+08:00")), Ids{"intake"});
  EXPECT_TRUE(t.is_open("intake", at("2020-06-28T23:59:59.999+08:00")));
  EXPECT_FALSE(t.is_open("intake", at("2020-06-29T00:00+08:00")));
  EXPECT_EQ(t.state_at("intake", at("2020-06-29T00:00+08:00")), StageState::closed);
  EXPECT_EQ(t.open_at(at("2020-06-29T00:00+08:00")), Ids{"review"});
  EXPECT_EQ(t.closes_at("intake"), at("2020-06-29T00:00+08:00"));
  EXPECT_EQ(t.opens_at("intake"), at("2020-06-01T00:00+08:00"));
}

// Clauses 5.1 and 5.3.1 close applications on 28 June; clause 5.5 takes materials until 29 June.
TEST(Timeline, MaterialsAreTakenADayAfterTheApplicationsWhereThePurposeSaysSo) {
  auto r = load_agenda(std::string(PRAKTIKA_SOURCE_DIR) + "/agenda/irkutsk-2020.json");
  ASSERT_TRUE(std::holds_alternative<Agenda>(r));
  const Agenda& agenda = std::get<Agenda>(r);
  Timeline t(agenda);
  const FilePurpose* document = agenda.find_files("document");
  ASSERT_TRUE(document);
  FilePurpose form_only;  // a purpose without accepted_until: taken while the intake is open
  form_only.accepted_during = {"intake"};
  EXPECT_FALSE(t.accepts_files(*document, at("2020-05-31T23:59+08:00")));  // before the intake opens
  EXPECT_TRUE(t.accepts_files(*document, at("2020-06-15T12:00+08:00")));
  EXPECT_TRUE(t.accepts_files(*document, at("2020-06-29T23:59:59+08:00")));
  EXPECT_FALSE(t.accepts_files(*document, at("2020-06-30T00:00+08:00")));
  EXPECT_EQ(t.files_close_at(*document), at("2020-06-30T00:00+08:00"));
  EXPECT_TRUE(t.accepts_files(form_only, at("2020-06-28T23:59+08:00")));
  EXPECT_FALSE(t.accepts_files(form_only, at("2020-06-29T12:00+08:00")));
  EXPECT_EQ(t.files_close_at(form_only), at("2020-06-29T00:00+08:00"));
}

TEST(Timeline, NothingIsOpenOnFifthJuly) {
  Timeline t = shipped();
  EXPECT_EQ(t.open_at(at("2020-07-05T12:00+08:00")), Ids{});
}

TEST(Timeline, GalleryAloneOnSixthJulyThenWithFlashmobOnSeventh) {
  Timeline t = shipped();
  EXPECT_EQ(t.open_at(at("2020-07-06T10:15+08:00")), Ids{"gallery"});
  EXPECT_EQ(t.open_at(at("2020-07-07T00:00+08:00")), (Ids{"gallery", "flashmob"}));
  EXPECT_EQ(t.open_at(at("2020-07-07T18:00+08:00")), (Ids{"gallery", "flashmob"}));
}

TEST(Timeline, SectionsOpenOnEighthJulyFromTenToOne) {
  Timeline t = shipped();
  EXPECT_EQ(t.open_at(at("2020-07-08T09:59+08:00")), Ids{});
  EXPECT_EQ(t.open_at(at("2020-07-08T10:00+08:00")), Ids{"sections"});
  EXPECT_EQ(t.open_at(at("2020-07-08T12:59:59+08:00")), Ids{"sections"});
  EXPECT_EQ(t.open_at(at("2020-07-08T13:00+08:00")), Ids{});
  EXPECT_EQ(t.state_at("gallery", at("2020-07-08T10:00+08:00")), StageState::closed);
}

TEST(Timeline, UnknownStageIsNeverOpen) {
  Timeline t = shipped();
  EXPECT_FALSE(t.is_open("awards", at("2020-07-08T10:00+08:00")));
  EXPECT_FALSE(t.closes_at("awards"));
  EXPECT_FALSE(t.opens_at("lunch"));
}

TEST(Timeline, MilestonesAreReachedAtTheirInstant) {
  Timeline t = shipped();
  EXPECT_FALSE(t.reached("decision_notice_by", at("2020-07-05T23:59:59+08:00")));
  EXPECT_TRUE(t.reached("decision_notice_by", at("2020-07-06T00:00+08:00")));
  EXPECT_FALSE(t.reached("flashmob_feed_starts", at("2020-07-07T09:59:59+08:00")));
  EXPECT_TRUE(t.reached("flashmob_feed_starts", at("2020-07-07T10:00+08:00")));
  EXPECT_FALSE(t.reached("no_such_milestone", at("2030-01-01T00:00Z")));
  EXPECT_FALSE(t.milestone_at("no_such_milestone"));
}

TEST(Timeline, NextBoundaryIsStrictlyAfter) {
  Timeline t = shipped();
  EXPECT_EQ(t.next_boundary_after(at("2020-01-01T00:00Z")), at("2020-06-01T00:00+08:00"));
  EXPECT_EQ(t.next_boundary_after(at("2020-06-01T00:00+08:00")), at("2020-06-29T00:00+08:00"));
  EXPECT_EQ(t.next_boundary_after(at("2020-07-06T12:00+08:00")), at("2020-07-07T00:00+08:00"));
  EXPECT_EQ(t.next_boundary_after(at("2020-07-08T12:00+08:00")), at("2020-07-08T13:00+08:00"));
  EXPECT_FALSE(t.next_boundary_after(at("2020-07-08T13:00+08:00")));
}

TEST(Timeline, ChangesInAHalfOpenIntervalInTimeOrder) {
  Timeline t = shipped();
  auto changes = t.changes_in(at("2020-06-28T23:00+08:00"), at("2020-07-07T00:00+08:00"));
  std::vector<std::tuple<std::string, bool, TimePoint>> got;
  for (const auto& c : changes) got.emplace_back(c.stage, c.opened, c.at);
  std::vector<std::tuple<std::string, bool, TimePoint>> want = {
      {"intake", false, at("2020-06-29T00:00+08:00")},  // closing before the opening at one instant
      {"review", true, at("2020-06-29T00:00+08:00")},
      {"review", false, at("2020-07-05T00:00+08:00")},
      {"gallery", true, at("2020-07-06T00:00+08:00")},
      {"flashmob", true, at("2020-07-07T00:00+08:00")},  // upto is included
  };
  EXPECT_EQ(got, want);
}

TEST(Timeline, ChangesExcludeTheStartOfTheInterval) {
  Timeline t = shipped();
  auto changes = t.changes_in(at("2020-06-29T00:00+08:00"), at("2020-07-04T00:00+08:00"));
  EXPECT_TRUE(changes.empty());
  changes = t.changes_in(at("2020-07-07T23:00+08:00"), at("2020-07-08T10:00+08:00"));
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_FALSE(changes[0].opened);
  EXPECT_FALSE(changes[1].opened);
  EXPECT_EQ(changes[2].stage, "sections");
  EXPECT_TRUE(changes[2].opened);
}

TEST(Timeline, JsonHasTheWireShapeInTheEventOffset) {
  Timeline t = shipped();
  json j = t.to_json(at("2020-07-07T09:30+08:00"));
  EXPECT_EQ(j["now"], "2020-07-07T09:30:00+08:00");
  EXPECT_EQ(j["open"], json({"gallery", "flashmob"}));
  ASSERT_EQ(j["stages"].size(), 5u);
  EXPECT_EQ(j["stages"][0], json({{"id", "intake"},
                                  {"title", "Приём заявок"},
                                  {"opens", "2020-06-01T00:00:00+08:00"},
                                  {"closes", "2020-06-29T00:00:00+08:00"},
                                  {"state", "closed"}}));
  EXPECT_EQ(j["stages"][2]["state"], "open");
  EXPECT_EQ(j["stages"][4]["id"], "sections");
  EXPECT_EQ(j["stages"][4]["state"], "upcoming");
  EXPECT_EQ(j.size(), 3u);
}

TEST(Timeline, OrdersStagesByOpeningAndOutlivesItsAgenda) {
  std::optional<Timeline> t;
  {
    auto r = parse_agenda(R"({"format":1,"id":"e","title":"E","time_zone":"UTC","utc_offset":"Z","stages":[
      {"id":"sections","title":"S","opens":"2020-07-08T10:00Z","closes":"2020-07-08T13:00Z"},
      {"id":"intake","title":"I","opens":"2020-06-01T00:00Z","closes":"2020-06-29T00:00Z"}]})",
                          "inline.json");
    ASSERT_TRUE(std::holds_alternative<Agenda>(r)) << std::get<AgendaError>(r).describe();
    t.emplace(std::get<Agenda>(r));
  }
  EXPECT_EQ(t->stage_ids(), (Ids{"intake", "sections"}));
  EXPECT_EQ(t->event_id(), "e");
  EXPECT_EQ(t->to_json(at("2020-06-02T00:00Z"))["stages"][0]["opens"], "2020-06-01T00:00:00Z");
}

}  // namespace
}  // namespace praktika::timeline
