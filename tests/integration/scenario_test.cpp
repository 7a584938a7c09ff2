#include <gtest/gtest.h>

#include "support/scenario.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

// The shared starting state of the stage tests is itself what the intake API says it is.
TEST(Scenario, APaidPracticeIsSubmittedAndConfirmedAndAnExpertHoldsTheRole) {
  TempDir data;
  std::string output;
  ASSERT_TRUE(create_organiser(data.path(), &output)) << output;
  auto server = ServerProcess::start({.data_dir = data.path(), .clock = kDuringIntake});
  ASSERT_TRUE(server);
  People people((*server)->port());
  int paid = submit_practice(people, {.author_email = "anna@dom.ru", .section = 2});
  int unpaid = submit_practice(people, {.author_email = "boris@dom.ru", .paid = false});
  ASSERT_GT(paid, 0);
  ASSERT_GT(unpaid, 0);
  auto list = people.organiser().get(kEventApi + "/intake/practices?payment=confirmed").json()["practices"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["id"], paid);
  EXPECT_EQ(list[0]["state"], "submitted");
  EXPECT_TRUE(people.grant("expert@umc.ru", "expert", 2));
  auto me = people.person("expert@umc.ru").get("/api/me").json();
  EXPECT_EQ(me["roles"][0]["role"], "expert");
  EXPECT_EQ(me["roles"][0]["section"], 2);
}

}  // namespace
}  // namespace praktika::test
