#include "reminders/reminders_module.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "certificates/certificates_module.h"
#include "contest/contest_module.h"
#include "intake/intake_module.h"
#include "live/alarm.h"
#include "live/publisher.h"
#include "review/review_module.h"
#include "sections/sections_module.h"
#include "support/stage_harness.h"
#include "uploads/uploads_module.h"

namespace praktika::reminders {
namespace {

using namespace std::chrono_literals;

TimePoint at(const char* instant) { return *parse_instant(instant); }

void add_all(test::StageHarness& h) {
  h.add<intake::IntakeModule>();
  h.add<uploads::UploadModule>();
  h.add<review::ReviewModule>();
  h.add<sections::SectionModule>();
  h.add<certificates::CertificateModule>();
  h.add<contest::ContestModule>();
  h.add<ReminderModule>();
  h.wire();
}

TEST(ReminderModule, TheOrganisersDeskAnswers) {
  test::StageHarness h(at("2020-06-30T12:00:00+08:00"));
  add_all(h);
  ASSERT_TRUE(h.start().ok());
  auto organiser = h.sign_in("chair@example.org", {{"irkutsk-2020", accounts::Role::organiser, std::nullopt}});
  auto desk = h.call("GET", "/api/events/irkutsk-2020/reminders", organiser.token);
  ASSERT_EQ(desk.status, 200) << desk.body;
  EXPECT_TRUE(nlohmann::json::parse(desk.body)["warnings"].is_array());
}

TEST(ReminderModule, AStageOpeningOnTheEventClockIsPushedToItsTimeline) {
  // A second before the review opens (the intake closes at the same instant).
  test::StageHarness h(at("2020-06-28T23:59:59+08:00"));
  add_all(h);
  h.alarm().start();
  const auto topic = live::topic::timeline("irkutsk-2020");
  for (auto until = std::chrono::steady_clock::now() + 10s;
       h.publisher().on(topic).size() < 2 && std::chrono::steady_clock::now() < until;) {
    h.io().restart();
    h.io().run_for(50ms);
  }
  auto pushes = h.publisher().on(topic);
  ASSERT_EQ(pushes.size(), 2u);
  std::set<std::string> events;
  for (const auto& push : pushes) events.insert(push.event);
  EXPECT_EQ(events, (std::set<std::string>{"stage_opened", "stage_closed"}));
}

}  // namespace
}  // namespace praktika::reminders
