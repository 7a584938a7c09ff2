#include "sections/wire.h"

#include <gtest/gtest.h>

namespace praktika::sections {
namespace {

using nlohmann::json;

PracticeCard card() { return {7, "Практика", "Школа № 1", {"Иванова И. И.", "Петров П. П."}}; }

TimedSlot slot() { return {1, 7, 630, card(), "2020-07-08T10:00:00+08:00", "2020-07-08T10:10:30+08:00"}; }

TEST(SectionWireTest, TimedSlotCarriesFractionalMinutesAndItsTimes) {
  EXPECT_EQ(to_json(slot()).dump(),
            R"({"ends_at":"2020-07-08T10:10:30+08:00","info":{"authors":["Иванова И. И.","Петров П. П."],)"
            R"("id":7,"institution":"Школа № 1","title":"Практика"},"minutes":10.5,"position":1,"practice":7,)"
            R"("seconds":630,"starts_at":"2020-07-08T10:00:00+08:00"})");
}

TEST(SectionWireTest, TimedSlotOfAGonePracticeWithoutWindowHasNeitherInfoNorTimes) {
  EXPECT_EQ(to_json(TimedSlot{2, 9, 600, std::nullopt, std::nullopt, std::nullopt}).dump(),
            R"({"minutes":10.0,"position":2,"practice":9,"seconds":600})");
}

TEST(SectionWireTest, ScheduleShowsTheDraftOnlyToTheOrganiser) {
  Schedule audience{"ev", 2, std::nullopt, std::nullopt, std::nullopt};
  EXPECT_EQ(to_json(audience).dump(), R"({"event":"ev","published":null,"published_at":null,"section":2})");
  Schedule organiser = audience;
  organiser.draft = Draft{{slot()}, true, {}, true};
  json j = to_json(organiser);
  EXPECT_EQ(j["draft"].size(), 1u);
  EXPECT_EQ(j["fits"], true);
  EXPECT_EQ(j["unscheduled"], json::array());
  EXPECT_EQ(j["draft_differs"], true);
}

SectionState waiting_state() {
  SectionState s;
  s.event = "ev";
  s.section = 1;
  s.status = "waiting";
  s.now = "2020-07-08T10:00:00+08:00";
  return s;
}

TEST(SectionWireTest, WaitingStateHasEveryKeyWithNullsAndEmptyLists) {
  EXPECT_EQ(to_json(waiting_state()).dump(),
            R"({"closed_at":null,"current":null,"done":[],"event":"ev","hands":[],"next":null,)"
            R"("now":"2020-07-08T10:00:00+08:00","premoderation":false,"questions":[],"queue":[],"rehearsal":false,)"
            R"("room_url":"","section":1,"speaking":null,"started_at":null,"status":"waiting","title":"",)"
            R"("version":0,"window":null})");
}

TEST(SectionWireTest, PausedCurrentSlotHasNoEnd) {
  SectionState s = waiting_state();
  CurrentSlot current;
  current.practice = 7;
  current.seconds = 600;
  current.started_at = "2020-07-08T10:00:00+08:00";
  current.remaining_seconds = 120;
  s.current = current;
  json j = to_json(s)["current"];
  EXPECT_TRUE(j["ends_at"].is_null());
  EXPECT_EQ(j["materials"], json::array());
  EXPECT_EQ(j["remaining_seconds"], 120);
  EXPECT_FALSE(j.contains("info"));
}

TEST(SectionWireTest, QuestionsShowFlagsToModeratorsOnlyAndModerationHasNoSpeaker) {
  AskedQuestion q{{3, 5, "Анна", "approved"}, "Вопрос?", 2, "2020-07-08T10:01:00+08:00", std::nullopt};
  Floor floor;
  floor.questions.push_back(q);
  floor.speaking = RaisedHand{{4, 5, "Анна", "speaking"}, "2020-07-08T10:00:00+08:00"};
  SectionState s = waiting_state();
  s.floor = floor;
  EXPECT_FALSE(to_json(s)["questions"][0].contains("flags"));
  EXPECT_EQ(to_json(s)["speaking"]["id"], 4);
  floor.questions[0].moderation = AskedQuestion::Moderation{true, 2};
  json m = to_json(Moderation{"ev", 1, 9, floor});
  EXPECT_EQ(m["questions"][0]["flags"], 2);
  EXPECT_EQ(m["questions"][0]["hidden"], true);
  EXPECT_FALSE(m.contains("speaking"));
  EXPECT_EQ(m["version"], 9);
}

TEST(SectionWireTest, ActReplyIsTheStateUnlessAHandOrQuestionWasMade) {
  SectionState s = waiting_state();
  EXPECT_EQ(to_json(ActReply{s, std::nullopt, std::nullopt}), to_json(s));
  EXPECT_EQ(to_json(ActReply{s, 12, std::nullopt}), (json{{"hand", 12}, {"state", to_json(s)}}));
  EXPECT_EQ(to_json(ActReply{s, std::nullopt, ActReply::Asked{13, "pending"}}),
            (json{{"question", 13}, {"status", "pending"}, {"state", to_json(s)}}));
}

TEST(SectionWireTest, TimeUpHasNoMinutesLeft) {
  EXPECT_FALSE(to_json(TimerNotice{7, "a", "b", 3, std::nullopt}).contains("minutes_left"));
  EXPECT_EQ(to_json(TimerNotice{7, "a", "b", 3, 5})["minutes_left"], 5);
}

TEST(SectionWireTest, AttendanceAndResultsAreWrapped) {
  EXPECT_EQ(to_json(std::vector<AttendanceRow>{{2, 5, "Анна", "a@b.c", "2020-07-08T10:00:00+08:00", 90, 1}}).dump(),
            R"({"attendance":[{"first_joined":"2020-07-08T10:00:00+08:00","minutes":1,"seconds":90,"section":2,)"
            R"("user":{"email":"a@b.c","full_name":"Анна","id":5}}]})");
  EXPECT_EQ(to_json(Results{}).dump(), R"({"results":null})");
  Results r{PublishedResults{"Итоги", {{1, "Секция", {card()}, ""}}, "2020-07-09T10:00:00+08:00", std::nullopt}};
  json j = to_json(r)["results"];
  EXPECT_TRUE(j["session"].is_null());
  EXPECT_EQ(j["sections"][0]["best"][0]["id"], 7);
}

}  // namespace
}  // namespace praktika::sections
