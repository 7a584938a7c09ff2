#include "sections/sections.h"

#include <gtest/gtest.h>

namespace praktika::sections {
namespace {

using namespace std::chrono_literals;

timeline::Agenda irkutsk() {
  auto loaded = timeline::load_agenda(std::filesystem::path(PRAKTIKA_SOURCE_DIR) / "agenda/irkutsk-2020.json");
  return std::get<timeline::Agenda>(loaded);
}

std::string problem_with(const nlohmann::json& part) {
  auto agenda = irkutsk();
  agenda.modules["section_day"] = part;
  auto read = read_settings(agenda);
  auto* error = std::get_if<timeline::AgendaError>(&read);
  return error ? error->json_path + ": " + error->problem : "";
}

TEST(SectionSettings, TheEventsAgendaReadsWithItsSessions) {
  auto read = read_settings(irkutsk());
  ASSERT_TRUE(std::holds_alternative<Settings>(read));
  const auto& s = std::get<Settings>(read);
  EXPECT_EQ(s.sections_session, "sections");
  EXPECT_EQ(s.welcome_session, "welcome");
  EXPECT_EQ(s.results_session, "results");
  EXPECT_EQ(s.warn_before_minutes, (std::vector<int>{5, 1}));
}

TEST(SectionSettings, MistakesNameTheirPath) {
  EXPECT_EQ(problem_with({{"gap_minute", 2}}), "/section_day/gap_minute: is not a known field here");
  EXPECT_EQ(problem_with({{"slot_minutes", {{"min", 30}, {"max", 20}}}}), "/section_day/slot_minutes/min: must not be above max");
  EXPECT_EQ(problem_with({{"sessions", {{"results", "итоги"}}}}),
            "/section_day/sessions/results: 'итоги' names no session of /timetable");
  EXPECT_EQ(problem_with({{"warn_before_minutes", {5, 5}}}), "/section_day/warn_before_minutes/1: repeats");
  EXPECT_EQ(problem_with({{"slot_minutes", {{"min", 200}, {"max", 300}}}}),
            "/section_day/slot_minutes/min: is longer than the session 'sections'");
  EXPECT_EQ(problem_with(nlohmann::json::object()), "");
}

TEST(SectionDraft, SlotsShareTheWindowWithinTheBounds) {
  Settings s;  // 10..20 minutes, 2-minute gaps
  auto slots = draft_slots({1, 2, 3, 4, 5, 6, 7, 8}, 120min, s);
  ASSERT_EQ(slots.size(), 8u);
  // (120 - 7*2) / 8 = 13.25: whole minutes, rounded down so the order fits.
  EXPECT_EQ(slots[0].seconds, 13 * 60);
  EXPECT_EQ(slots[7].practice, 8);
  EXPECT_EQ(draft_slots({1}, 120min, s)[0].seconds, 20 * 60);
  EXPECT_EQ(draft_slots({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 120min, s)[0].seconds, 10 * 60);
  EXPECT_TRUE(draft_slots({}, 120min, s).empty());
}

TEST(SectionTimer, WarningsComeBeforeTheEndAndOnlyInsideTheSlot) {
  Settings s;
  TimePoint start = *parse_instant("2020-07-08T10:00:00+08:00");
  auto events = timer_events(start, start + 10min, s);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].key, "warning:5");
  EXPECT_EQ(events[0].at, start + 5min);
  EXPECT_EQ(events[1].key, "warning:1");
  EXPECT_EQ(events[2].key, "time_up");
  EXPECT_EQ(events[2].at, start + 10min);
  auto short_slot = timer_events(start, start + 3min, s);
  ASSERT_EQ(short_slot.size(), 2u);
  EXPECT_EQ(short_slot[0].key, "warning:1");
}

}  // namespace
}  // namespace praktika::sections
