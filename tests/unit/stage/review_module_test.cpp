#include "review/review_module.h"

#include <gtest/gtest.h>

#include "intake/intake_module.h"
#include "support/stage_harness.h"
#include "uploads/uploads_module.h"

namespace praktika::review {
namespace {

TimePoint at(const char* instant) { return *parse_instant(instant); }

TEST(ReviewModule, ChecksItsPartOfTheAgenda) {
  auto agenda = test::StageHarness::agenda("irkutsk-2020.json");
  EXPECT_FALSE(ReviewModule().check(agenda));
  agenda.modules["review"] = nlohmann::json{{"no_such_field", 1}};
  auto error = ReviewModule().check(agenda);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->json_path.rfind("/review", 0), 0u) << error->json_path;
}

TEST(ReviewModule, TheOrganiserSeesTheBoardOthersDoNot) {
  test::StageHarness h(at("2020-06-30T12:00:00+08:00"));
  h.add<intake::IntakeModule>();
  h.add<uploads::UploadModule>();
  h.add<ReviewModule>();
  h.wire();
  auto organiser = h.sign_in("chair@example.org", {{"irkutsk-2020", accounts::Role::organiser, std::nullopt}});
  auto author = h.sign_in("author@example.org");
  auto board = h.call("GET", "/api/events/irkutsk-2020/review/board", organiser.token);
  EXPECT_EQ(board.status, 200) << board.body;
  EXPECT_EQ(h.call("GET", "/api/events/irkutsk-2020/review/board", author.token).status, 403);
}

}  // namespace
}  // namespace praktika::review
