#include "app/stages.h"

#include <gtest/gtest.h>

#include <set>

#include "support/stage_harness.h"

namespace praktika::app {
namespace {

TEST(Stages, EveryStageIsListedOnceByName) {
  std::set<std::string> names;
  for (const auto& stage : stages()) EXPECT_TRUE(names.insert(std::string(stage->name())).second) << stage->name();
  EXPECT_EQ(names, (std::set<std::string>{"intake", "uploads", "review", "announcements", "gallery", "flashmob",
                                          "sections", "certificates", "contest", "reminders", "privacy"}));
}

TEST(Stages, TheShippedAgendasPassEveryStagesCheck) {
  for (const char* file : {"irkutsk-2020.json", "contest-2025.json"}) {
    auto error = check_agenda(test::StageHarness::agenda(file));
    EXPECT_FALSE(error) << error->describe();
  }
}

TEST(Stages, AMistakeInOneStagesPartNamesItsPath) {
  auto agenda = test::StageHarness::agenda("irkutsk-2020.json");
  agenda.modules["section_day"] = nlohmann::json{{"gap_minute", 2}};
  auto error = check_agenda(agenda);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->json_path, "/section_day/gap_minute");
}

TEST(Stages, EachStageIsBuiltWithTheStagesListedBeforeIt) {
  test::StageHarness h(*parse_instant("2020-06-10T12:00:00+08:00"));
  for (auto& stage : stages()) h.add(std::move(stage));  // a stage asking for a later one aborts
  h.wire();
  EXPECT_FALSE(h.router().routes().empty());
}

}  // namespace
}  // namespace praktika::app
