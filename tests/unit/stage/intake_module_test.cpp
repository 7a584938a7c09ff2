#include "intake/intake_module.h"

#include <gtest/gtest.h>

#include "support/stage_harness.h"
#include "uploads/uploads_module.h"

namespace praktika::intake {
namespace {

using nlohmann::json;

TimePoint at(const char* instant) { return *parse_instant(instant); }

TEST(IntakeModule, ChecksNothingOfItsOwnInAnAgenda) {
  EXPECT_FALSE(IntakeModule().check(test::StageHarness::agenda("irkutsk-2020.json")));
}

TEST(IntakeModule, AnAuthorsPracticesAreTheirOwn) {
  test::StageHarness h(at("2020-06-10T12:00:00+08:00"));
  h.add<IntakeModule>();
  h.add<uploads::UploadModule>();
  h.wire();
  auto author = h.sign_in("author@example.org");
  EXPECT_EQ(h.call("GET", "/api/events/irkutsk-2020/practices/mine").status, 401);
  auto mine = h.call("GET", "/api/events/irkutsk-2020/practices/mine", author.token);
  ASSERT_EQ(mine.status, 200) << mine.body;
  // A practice in a section the event does not have is refused, and nothing is stored.
  auto refused = h.call("POST", "/api/events/irkutsk-2020/practices", author.token, R"({"section":999,"answers":{}})");
  EXPECT_GE(refused.status, 400) << refused.body;
  EXPECT_LT(refused.status, 500) << refused.body;
  EXPECT_EQ(h.call("GET", "/api/events/irkutsk-2020/practices/mine", author.token).body, mine.body);
  EXPECT_TRUE(h.publisher().pushes().empty());  // the intake pushes nothing live
}

TEST(IntakeModule, AnUnknownEventIsNotFound) {
  test::StageHarness h(at("2020-06-10T12:00:00+08:00"));
  h.add<IntakeModule>();
  h.add<uploads::UploadModule>();
  h.wire();
  auto author = h.sign_in("author@example.org");
  EXPECT_EQ(h.call("GET", "/api/events/nowhere/practices/mine", author.token).status, 404);
}

}  // namespace
}  // namespace praktika::intake
