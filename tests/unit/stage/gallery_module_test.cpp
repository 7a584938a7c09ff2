#include "gallery/gallery_module.h"

#include <gtest/gtest.h>

#include "intake/intake_module.h"
#include "review/review_module.h"
#include "support/stage_harness.h"
#include "uploads/uploads_module.h"

namespace praktika::gallery {
namespace {

TimePoint at(const char* instant) { return *parse_instant(instant); }

TEST(GalleryModule, ChecksItsPartOfTheAgenda) {
  auto agenda = test::StageHarness::agenda("irkutsk-2020.json");
  EXPECT_FALSE(GalleryModule().check(agenda));
  agenda.modules["gallery"] = nlohmann::json{{"no_such_field", 1}};
  auto error = GalleryModule().check(agenda);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->json_path.rfind("/gallery", 0), 0u) << error->json_path;
}

TEST(GalleryModule, ListsItsSectionsAndTakesSubscribersToThem) {
  test::StageHarness h(at("2020-07-06T12:00:00+08:00"));
  h.add<intake::IntakeModule>();
  h.add<uploads::UploadModule>();
  h.add<review::ReviewModule>();
  h.add<GalleryModule>();
  h.wire();
  EXPECT_EQ(h.call("GET", "/api/events/irkutsk-2020/gallery/sections").status, 401);
  auto reader = h.sign_in("reader@example.org", {{"irkutsk-2020", accounts::Role::participant, std::nullopt}});
  auto sections = h.call("GET", "/api/events/irkutsk-2020/gallery/sections", reader.token);
  ASSERT_EQ(sections.status, 200) << sections.body;
  EXPECT_TRUE(nlohmann::json::parse(sections.body)["sections"].is_array());
  ASSERT_TRUE(h.registry().topics.count("practice"));
  ASSERT_TRUE(h.registry().topics.count("gallery"));
  EXPECT_FALSE(h.registry().subscribe("gallery:irkutsk-2020:1", std::nullopt).ok());
  auto subscribed = h.registry().subscribe("gallery:irkutsk-2020:1", reader.identity);
  EXPECT_TRUE(subscribed.ok()) << subscribed.status().message();
}

}  // namespace
}  // namespace praktika::gallery
