#include "flashmob/flashmob.h"

#include <gtest/gtest.h>

#include "timeline/agenda.h"

namespace praktika::flashmob {
namespace {

timeline::Agenda agenda_with(const std::string& part) {
  auto loaded = timeline::load_agenda(std::filesystem::path(PRAKTIKA_SOURCE_DIR) / "agenda/irkutsk-2020.json");
  auto agenda = std::get<timeline::Agenda>(loaded);
  if (part.empty()) agenda.modules.erase("flashmob");
  else agenda.modules["flashmob"] = nlohmann::json::parse(part);
  return agenda;
}

TEST(Settings, TheShippedAgendaIsRead) {
  auto s = read_settings(agenda_with(R"({"seconds_per_slide": 8, "partner_origins": ["https://a.example.org"]})"));
  ASSERT_TRUE(std::holds_alternative<Settings>(s));
  EXPECT_EQ(std::get<Settings>(s).seconds_per_slide, 8);
  EXPECT_EQ(std::get<Settings>(s).partner_origins, std::vector<std::string>{"https://a.example.org"});
  auto shipped = timeline::load_agenda(std::filesystem::path(PRAKTIKA_SOURCE_DIR) / "agenda/irkutsk-2020.json");
  EXPECT_TRUE(std::holds_alternative<Settings>(read_settings(std::get<timeline::Agenda>(shipped))));
}

TEST(Settings, AnAbsentPartGivesDefaults) {
  auto s = read_settings(agenda_with(""));
  ASSERT_TRUE(std::holds_alternative<Settings>(s));
  EXPECT_EQ(std::get<Settings>(s).seconds_per_slide, 10);
}

TEST(Settings, ABadValueIsNamedByItsPath) {
  auto s = read_settings(agenda_with(R"({"seconds_per_slide": 0})"));
  ASSERT_TRUE(std::holds_alternative<timeline::AgendaError>(s));
  EXPECT_EQ(std::get<timeline::AgendaError>(s).json_path, "/flashmob/seconds_per_slide");
}

TEST(Settings, AnOriginThatWouldBreakThePolicyIsRefused) {
  auto s = read_settings(agenda_with(R"({"partner_origins": ["https://a.org; script-src *"]})"));
  ASSERT_TRUE(std::holds_alternative<timeline::AgendaError>(s));
  EXPECT_EQ(std::get<timeline::AgendaError>(s).json_path, "/flashmob/partner_origins/0");
}

TEST(Settings, AMisspeltKeyOrUnknownMilestoneIsRefused) {
  auto misspelt = read_settings(agenda_with(R"({"second_per_slide": 5})"));
  ASSERT_TRUE(std::holds_alternative<timeline::AgendaError>(misspelt));
  EXPECT_EQ(std::get<timeline::AgendaError>(misspelt).json_path, "/flashmob/second_per_slide");
  auto milestone = read_settings(agenda_with(R"({"feed_starts": "nowhere"})"));
  ASSERT_TRUE(std::holds_alternative<timeline::AgendaError>(milestone));
  EXPECT_EQ(std::get<timeline::AgendaError>(milestone).json_path, "/flashmob/feed_starts");
}

}  // namespace
}  // namespace praktika::flashmob
