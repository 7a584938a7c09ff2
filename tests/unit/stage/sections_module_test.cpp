#include "sections/sections_module.h"

#include <gtest/gtest.h>

#include "intake/intake_module.h"
#include "live/publisher.h"
#include "review/review_module.h"
#include "support/stage_harness.h"
#include "uploads/uploads_module.h"

namespace praktika::sections {
namespace {

TimePoint at(const char* instant) { return *parse_instant(instant); }

TEST(SectionModule, ChecksItsPartOfTheAgenda) {
  auto agenda = test::StageHarness::agenda("irkutsk-2020.json");
  EXPECT_FALSE(SectionModule().check(agenda));
  agenda.modules["section_day"] = nlohmann::json{{"gap_minute", 2}};
  auto error = SectionModule().check(agenda);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->json_path, "/section_day/gap_minute");
}

class SectionModuleTest : public ::testing::Test {
 protected:
  SectionModuleTest() {
    h_.add<intake::IntakeModule>();
    h_.add<uploads::UploadModule>();
    h_.add<review::ReviewModule>();
    h_.add<SectionModule>();
    h_.wire();
  }
  test::StageHarness h_{at("2020-07-08T10:05:00+08:00")};
};

TEST_F(SectionModuleTest, ItsTopicsAndOpsAreRegistered) {
  for (const char* family : {"section", "section-moderation", "author", "results"})
    EXPECT_TRUE(h_.registry().topics.count(family)) << family;
  for (auto action : action_names()) EXPECT_TRUE(h_.registry().ops.count("section." + std::string(action))) << action;
  EXPECT_TRUE(h_.registry().subscribe(live::topic::section("irkutsk-2020", 1), std::nullopt).ok());
}

TEST_F(SectionModuleTest, WithoutARunningOrderTheSectionDoesNotStart) {
  auto moderator = h_.sign_in("moderator@example.org", {{"irkutsk-2020", accounts::Role::moderator, 1}});
  auto started = h_.registry().op("section.start", {{"op", "section.start"}, {"event", "irkutsk-2020"}, {"section", 1}},
                                  moderator.identity);
  EXPECT_EQ(started.status().code(), "schedule_not_published");
  EXPECT_TRUE(h_.publisher().pushes().empty());
}

TEST_F(SectionModuleTest, AParticipantMayNotStartASection) {
  auto participant = h_.sign_in("author@example.org");
  auto refused = h_.registry().op("section.start", {{"op", "section.start"}, {"event", "irkutsk-2020"}, {"section", 1}},
                                  participant.identity);
  EXPECT_EQ(refused.status().http_status(), 403);
  EXPECT_TRUE(h_.publisher().pushes().empty());
}

}  // namespace
}  // namespace praktika::sections
