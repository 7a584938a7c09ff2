#include "contest/contest_module.h"

#include <gtest/gtest.h>

#include "intake/intake_module.h"
#include "support/stage_harness.h"
#include "uploads/uploads_module.h"

namespace praktika::contest {
namespace {

TimePoint at(const char* instant) { return *parse_instant(instant); }

TEST(ContestModule, ChecksItsPartOfTheAgenda) {
  auto agenda = test::StageHarness::agenda("contest-2025.json");
  EXPECT_FALSE(ContestModule().check(agenda));
  agenda.modules["contest"] = nlohmann::json{{"no_such_field", 1}};
  auto error = ContestModule().check(agenda);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->json_path.rfind("/contest", 0), 0u) << error->json_path;
}

TEST(ContestModule, TheOrganiserSeesTheDocumentsToPost) {
  test::StageHarness h(at("2025-02-10T12:00:00+03:00"), {"contest-2025.json"});
  h.add<intake::IntakeModule>();
  h.add<uploads::UploadModule>();
  h.add<ContestModule>();
  h.wire();
  auto organiser = h.sign_in("chair@example.org", {{"contest-2025", accounts::Role::organiser, std::nullopt}});
  auto post = h.call("GET", "/api/events/contest-2025/post", organiser.token);
  EXPECT_EQ(post.status, 200) << post.body;
  auto author = h.sign_in("author@example.org");
  EXPECT_EQ(h.call("GET", "/api/events/contest-2025/post", author.token).status, 403);
}

}  // namespace
}  // namespace praktika::contest
