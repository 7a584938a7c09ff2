#include "announcements/announcements_module.h"

#include <gtest/gtest.h>

#include "support/stage_harness.h"

namespace praktika::announcements {
namespace {

TimePoint at(const char* instant) { return *parse_instant(instant); }

TEST(AnnouncementModule, AnnouncementsAreListedForTheEvent) {
  test::StageHarness h(at("2020-06-10T12:00:00+08:00"));
  h.add<AnnouncementModule>();
  h.wire();
  auto organiser = h.sign_in("chair@example.org", {{"irkutsk-2020", accounts::Role::organiser, std::nullopt}});
  auto list = h.call("GET", "/api/events/irkutsk-2020/announcements", organiser.token);
  EXPECT_EQ(list.status, 200) << list.body;
  auto author = h.sign_in("author@example.org");
  EXPECT_EQ(h.call("POST", "/api/events/irkutsk-2020/announcements", author.token, "{}").status, 403);
}

}  // namespace
}  // namespace praktika::announcements
