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

TEST(SectionSettings, PresenterRequirementsReadAsTextWithTheirFigure) {
  auto read = read_settings(irkutsk());
  ASSERT_TRUE(std::holds_alternative<Settings>(read));
  const auto& r = std::get<Settings>(read).presenter_requirements;
  ASSERT_TRUE(r);
  EXPECT_EQ(r->min_mbps, 30);
  auto text = requirements_text(*r);
  EXPECT_EQ(text.rfind(r->title + ":\n", 0), 0u) << text;
  EXPECT_NE(text.find("— интернет со скоростью соединения не менее 30 Мбит/с;\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("{min_mbps}"), std::string::npos) << text;

  auto agenda = irkutsk();
  agenda.modules["section_day"] = nlohmann::json::object();
  auto none = read_settings(agenda);
  ASSERT_TRUE(std::holds_alternative<Settings>(none));
  EXPECT_FALSE(std::get<Settings>(none).presenter_requirements);
}

TEST(SectionSettings, PresenterRequirementMistakesNameTheirPath) {
  nlohmann::json good = {{"title", "Требования"}, {"items", {"камера"}}, {"min_mbps", 30}};
  auto with = [&](const char* key, nlohmann::json value) {
    auto part = good;
    if (value.is_null()) part.erase(key);
    else part[key] = value;
    return problem_with({{"presenter_requirements", part}});
  };
  EXPECT_EQ(with("min_mbps", nullptr), "/section_day/presenter_requirements/min_mbps: is required");
  EXPECT_EQ(with("min_mbps", 0), "/section_day/presenter_requirements/min_mbps: must be at least 1");
  EXPECT_EQ(with("items", nlohmann::json::array()), "/section_day/presenter_requirements/items: must not be empty");
  EXPECT_EQ(with("items", {""}), "/section_day/presenter_requirements/items/0: must be a non-empty string");
  EXPECT_EQ(with("speed", 30), "/section_day/presenter_requirements/speed: is not a known field here");
  EXPECT_EQ(problem_with({{"presenter_requirements", good}}), "");
}

TEST(SectionWindow, OpensBeforeTheSessionAndClosesAtTheEndOfItsDay) {
  auto read = read_settings(irkutsk());
  ASSERT_TRUE(std::holds_alternative<Settings>(read));
  const auto& w = std::get<Settings>(read).window;
  ASSERT_TRUE(w);
  EXPECT_EQ(w->opens, *parse_instant("2020-07-08T09:30+08:00"));
  EXPECT_EQ(w->closes, *parse_instant("2020-07-09T00:00+08:00"));
  EXPECT_EQ(w->rehearsal_from, parse_instant("2020-07-07T14:00+08:00"));

  // Without "until" the window closes at midnight after the session, in the event's own offset.
  auto agenda = irkutsk();
  agenda.modules["section_day"] = {{"window", {{"opens_before_minutes", 10}}}};
  auto defaults = read_settings(agenda);
  ASSERT_TRUE(std::holds_alternative<Settings>(defaults));
  const auto& d = *std::get<Settings>(defaults).window;
  EXPECT_EQ(d.opens, *parse_instant("2020-07-08T09:50+08:00"));
  EXPECT_EQ(d.closes, *parse_instant("2020-07-09T00:00+08:00"));
  EXPECT_FALSE(d.rehearsal_from);
}

TEST(SectionWindow, MistakesNameTheirPath) {
  EXPECT_EQ(problem_with({{"window", {{"until", "2020-07-08T11:00+08:00"}}}}),
            "/section_day/window/until: is before the end of the session 'sections'");
  EXPECT_EQ(problem_with({{"window", {{"rehearsal_from", "2020-07-08T09:45+08:00"}}}}),
            "/section_day/window/rehearsal_from: must be before the window opens (the session's start less "
            "opens_before_minutes)");
  EXPECT_EQ(problem_with({{"window", {{"opens", 30}}}}), "/section_day/window/opens: is not a known field here");
}

TEST(SectionWindow, RefusesBeforeAndAfterButLetsOrganisersRehearseAndAnyoneClose) {
  LiveWindow w{*parse_instant("2020-07-08T09:30+08:00"), *parse_instant("2020-07-09T00:00+08:00"),
               *parse_instant("2020-07-07T14:00+08:00")};
  auto at = [](const char* text) { return *parse_instant(text); };
  auto code = [&](const char* when, bool organiser, std::string_view action) {
    return window_allows(w, at(when), organiser, action, 8 * 60).code();
  };
  auto before = window_allows(w, at("2020-07-08T09:29:59+08:00"), false, "start", 8 * 60);
  EXPECT_EQ(before.code(), "section_not_open_yet");
  EXPECT_EQ(before.http_status(), 409);
  EXPECT_EQ(before.message(), "Секции открываются 08.07.2020 в 09:30.");
  EXPECT_EQ(code("2020-07-08T09:30+08:00", false, "start"), "");
  EXPECT_EQ(code("2020-07-08T23:59:59+08:00", false, "ask"), "");
  EXPECT_EQ(code("2020-07-09T00:00+08:00", false, "next"), "section_day_over");
  EXPECT_EQ(code("2020-07-09T00:00+08:00", true, "start"), "section_day_over");
  // The rehearsal: organisers only, and only from its instant.
  EXPECT_EQ(code("2020-07-07T15:00+08:00", true, "start"), "");
  EXPECT_EQ(code("2020-07-07T15:00+08:00", false, "start"), "section_not_open_yet");
  EXPECT_EQ(code("2020-07-07T13:59+08:00", true, "start"), "section_not_open_yet");
  w.rehearsal_from.reset();
  EXPECT_EQ(code("2020-07-07T15:00+08:00", true, "start"), "section_not_open_yet");
  // Nothing stays stuck outside the window.
  EXPECT_EQ(code("2020-07-09T01:00+08:00", false, "close"), "");
  EXPECT_EQ(code("2020-07-07T01:00+08:00", false, "reset"), "");
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
