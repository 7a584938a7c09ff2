#include "flashmob/flashmob_module.h"

#include <gtest/gtest.h>

#include "live/publisher.h"
#include "support/stage_harness.h"
#include "uploads/uploads_module.h"

namespace praktika::flashmob {
namespace {

TimePoint at(const char* instant) { return *parse_instant(instant); }

TEST(FlashmobModule, ChecksItsPartOfTheAgenda) {
  auto agenda = test::StageHarness::agenda("irkutsk-2020.json");
  EXPECT_FALSE(FlashmobModule().check(agenda));
  agenda.modules["flashmob"] = nlohmann::json{{"seconds_per_slide", 0}};
  auto error = FlashmobModule().check(agenda);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->json_path, "/flashmob/seconds_per_slide");
}

TEST(FlashmobModule, LetsPartnersFrameTheWidgetOnce) {
  test::StageHarness h(at("2020-07-07T12:00:00+08:00"));
  h.add<uploads::UploadModule>();
  h.add<FlashmobModule>();
  ASSERT_EQ(h.framed().size(), 1u);
  EXPECT_EQ(h.framed().begin()->first, "/events/irkutsk-2020/flashmob/widget");
  EXPECT_EQ(h.framed().begin()->second.rfind("'self'", 0), 0u) << h.framed().begin()->second;
}

TEST(FlashmobModule, TheOrganisersControlPushesNowPlaying) {
  test::StageHarness h(at("2020-07-07T12:00:00+08:00"));
  h.add<uploads::UploadModule>();
  h.add<FlashmobModule>();
  h.wire();
  auto organiser = h.sign_in("chair@example.org", {{"irkutsk-2020", accounts::Role::organiser, std::nullopt}});
  auto paused = h.call("POST", "/api/events/irkutsk-2020/flashmob/control", organiser.token, R"({"action":"pause"})");
  ASSERT_EQ(paused.status, 200) << paused.body;
  auto pushes = h.publisher().on(live::topic::flashmob("irkutsk-2020"));
  ASSERT_EQ(pushes.size(), 1u);
  EXPECT_EQ(pushes[0].event, "now_playing");
  EXPECT_EQ(pushes[0].data, nlohmann::json::parse(paused.body));
  ASSERT_TRUE(h.registry().topics.count("flashmob"));
  EXPECT_TRUE(h.registry().subscribe("flashmob:irkutsk-2020", std::nullopt).ok());
}

}  // namespace
}  // namespace praktika::flashmob
