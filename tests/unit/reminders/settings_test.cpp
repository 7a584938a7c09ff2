#include "reminders/settings.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "timeline/agenda.h"

namespace praktika::reminders {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

timeline::Agenda agenda_with(const std::function<void(nlohmann::json&)>& change) {
  std::ifstream in(fs::path(PRAKTIKA_SOURCE_DIR) / "agenda/irkutsk-2020.json");
  auto j = nlohmann::json::parse(in);
  change(j);
  auto file = fs::temp_directory_path() / ("reminders-" + std::to_string(::getpid()) + ".json");
  std::ofstream(file) << j.dump();
  auto loaded = timeline::load_agenda(file);
  fs::remove(file);
  EXPECT_TRUE(std::holds_alternative<timeline::Agenda>(loaded));
  return std::get<timeline::Agenda>(loaded);
}

TEST(Occasions, EachLetterIsDueFromItsMomentUntilTheNextOnesAndNoneAfterTheDeadline) {
  const TimePoint deadline = from_ms(1'000'000'000'000);
  auto o = occasions({24, 72}, deadline);
  ASSERT_EQ(o.size(), 2u);
  EXPECT_EQ(o[0].hours, 72);
  EXPECT_EQ(o[0].at, deadline - 72h);
  EXPECT_EQ(o[0].until, deadline - 24h);
  EXPECT_EQ(o[1].hours, 24);
  EXPECT_EQ(o[1].at, deadline - 24h);
  EXPECT_EQ(o[1].until, deadline);
  EXPECT_TRUE(occasions({}, deadline).empty());
}

TEST(Settings, TheConferenceDescribesFourKindsWithTheirMomentsEarliestFirst) {
  auto read = read_settings(agenda_with([](nlohmann::json&) {}));
  ASSERT_TRUE(std::holds_alternative<Settings>(read)) << std::get<timeline::AgendaError>(read).describe();
  const auto& s = std::get<Settings>(read);
  ASSERT_EQ(s.kinds.size(), 4u);
  EXPECT_EQ(s.find(Kind::draft)->hours_before, (std::vector<int>{72, 24}));
  EXPECT_EQ(s.find(Kind::draft)->stage, "intake");
  EXPECT_EQ(s.find(Kind::payment)->milestone, "payment_by");
  EXPECT_EQ(s.find(Kind::speaker)->hours_before, (std::vector<int>{24, 1}));
  EXPECT_TRUE(s.find(Kind::certificate)->hours_before.empty());
  EXPECT_EQ(s.site_url, "https://praktika.example.org");
}

TEST(Settings, AnUnknownTemplateStageOrMilestoneIsNamedByItsPath) {
  auto error_of = [](const std::function<void(nlohmann::json&)>& change) {
    auto read = read_settings(agenda_with(change));
    EXPECT_TRUE(std::holds_alternative<timeline::AgendaError>(read));
    return std::holds_alternative<timeline::AgendaError>(read) ? std::get<timeline::AgendaError>(read).json_path : "";
  };
  EXPECT_EQ(error_of([](auto& j) { j["reminders"]["draft"]["template"] = "nothing"; }), "/reminders/draft/template");
  EXPECT_EQ(error_of([](auto& j) { j["reminders"]["draft"]["stage"] = "nothing"; }), "/reminders/draft/stage");
  EXPECT_EQ(error_of([](auto& j) { j["reminders"]["payment"]["milestone"] = "nothing"; }), "/reminders/payment/milestone");
  EXPECT_EQ(error_of([](auto& j) { j["reminders"]["speaker"]["hours_before"] = {1, 1}; }), "/reminders/speaker/hours_before");
  EXPECT_EQ(error_of([](auto& j) { j["reminders"]["speaker"]["hours_befor"] = {1}; }), "/reminders/speaker/hours_befor");
}

TEST(Settings, AnAgendaWithoutThePartHasNoReminders) {
  auto read = read_settings(agenda_with([](auto& j) { j.erase("reminders"); }));
  ASSERT_TRUE(std::holds_alternative<Settings>(read));
  EXPECT_TRUE(std::get<Settings>(read).kinds.empty());
  EXPECT_EQ(kind_of("speaker"), Kind::speaker);
  EXPECT_EQ(kind_of("nothing"), std::nullopt);
}

}  // namespace
}  // namespace praktika::reminders
