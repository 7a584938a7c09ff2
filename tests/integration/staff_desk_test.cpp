// The organiser's desk through the API: a role granted to an e-mail without an account waits for
// the person and is applied when they sign up, with an invitation letter through the outbox; a
// letter that failed is sent again on request. Authorization and bad input of these routes.
#include <gtest/gtest.h>

#include <thread>

#include "support/scenario.h"
#include "support/server_process.h"
#include "support/stage_server.h"
#include "support/smtp_server.h"

namespace praktika::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const std::string kRoles = kEventApi + "/roles";
const std::string kMail = kEventApi + "/review/mail";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class StaffDesk : public StageServerTest {
 protected:
  // `clock_speed` > 1 makes the outbox's back-off (timed on the event's clock) pass quickly.
  void start(double clock_speed = 0) { start_server({.clock = kDuringIntake, .clock_speed = clock_speed}); }

  json letters() { return people_->organiser().get(kMail).json()["messages"]; }

  // The first letter whose state is `state`, waited for up to `limit`.
  json wait_letter(const std::string& state, std::chrono::seconds limit = 30s) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      for (const auto& l : letters())
        if (l["state"] == state) return l;
      std::this_thread::sleep_for(100ms);
    }
    return json();
  }

};

TEST_F(StaffDesk, ARoleGrantedToANewEmailWaitsAndIsAppliedWhenThePersonSignsUp) {
  start();
  auto& org = people_->organiser();
  auto invited = org.post(kRoles, {{"email", "New.Expert@Dom.ru"}, {"role", "expert"}, {"section", 1}});
  ASSERT_EQ(invited.status, 202) << invited.body;
  EXPECT_EQ(invited.json()["invitation"]["email"], "new.expert@dom.ru");

  auto listed = org.get(kRoles).json();
  ASSERT_EQ(listed["invitations"].size(), 1u) << listed.dump();
  EXPECT_EQ(listed["invitations"][0]["role"], "expert");
  EXPECT_EQ(listed["invitations"][0]["section"], 1);

  auto mails = smtp_->wait_for(1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].rcpt_to, std::vector<std::string>{"new.expert@dom.ru"});
  EXPECT_TRUE(contains(mails[0].subject, "Приглашение")) << mails[0].subject;
  EXPECT_TRUE(contains(mails[0].body, "эксперт (секция 1 «")) << mails[0].body;
  EXPECT_TRUE(contains(mails[0].body, "/events/irkutsk-2020")) << mails[0].body;

  auto& expert = people_->person("new.expert@dom.ru", "Новый Эксперт");
  auto me = expert.get("/api/me").json();
  ASSERT_EQ(me["roles"].size(), 1u) << me.dump();
  EXPECT_EQ(me["roles"][0]["role"], "expert");
  EXPECT_EQ(me["roles"][0]["section"], 1);
  listed = org.get(kRoles).json();
  EXPECT_TRUE(listed["invitations"].empty()) << listed.dump();
}

TEST_F(StaffDesk, AWithdrawnInvitationGivesNoRole) {
  start();
  auto& org = people_->organiser();
  ASSERT_EQ(org.post(kRoles, {{"email", "later@dom.ru"}, {"role", "moderator"}, {"section", 2}}).status, 202);
  auto withdrawn = org.request("DELETE", kRoles, json{{"email", "later@dom.ru"}, {"role", "moderator"}, {"section", 2}}.dump());
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  auto again = org.request("DELETE", kRoles, json{{"email", "later@dom.ru"}, {"role", "moderator"}, {"section", 2}}.dump());
  EXPECT_EQ(again.error_code(), "invitation_not_found");
  EXPECT_TRUE(people_->person("later@dom.ru").get("/api/me").json()["roles"].empty());
}

TEST_F(StaffDesk, InvitationsRefuseBadInputAndAnyoneButTheOrganiser) {
  start();
  auto& org = people_->organiser();
  EXPECT_EQ(org.post(kRoles, {{"email", "nobody"}, {"role", "expert"}}).error_code(), "invalid_email");
  EXPECT_EQ(org.post(kRoles, {{"email", "p@dom.ru"}, {"role", "participant"}}).error_code(), "invalid_role");
  EXPECT_EQ(org.post(kRoles, {{"email", "p@dom.ru"}, {"role", "expert"}, {"section", 99}}).error_code(),
            "invalid_section");
  EXPECT_EQ(org.post(kRoles, {{"email", "p@dom.ru"}, {"role", "organiser"}, {"section", 1}}).error_code(),
            "invalid_section");
  auto& stranger = people_->person("stranger@dom.ru");
  EXPECT_EQ(stranger.post(kRoles, {{"email", "p@dom.ru"}, {"role", "expert"}}).status, 403);
  HttpClient anonymous(server_->port());
  EXPECT_EQ(anonymous.post(kRoles, {{"email", "p@dom.ru"}, {"role", "expert"}}).status, 401);
  EXPECT_TRUE(org.get(kRoles).json()["invitations"].empty());
  EXPECT_TRUE(letters().empty());
}

TEST_F(StaffDesk, AFailedLetterIsSentAgainWhenTheOrganiserAsks) {
  smtp_->stop();  // the mail server is down: every attempt fails
  start(3600);    // an hour of back-off in a second
  auto& org = people_->organiser();
  ASSERT_EQ(org.post(kRoles, {{"email", "late@dom.ru"}, {"role", "expert"}}).status, 202);
  auto failed = wait_letter("failed");
  ASSERT_FALSE(failed.is_null()) << letters().dump();
  EXPECT_EQ(failed["attempts"], 8);
  EXPECT_TRUE(contains(failed["last_error"].get<std::string>(), "Не удалось соединиться с почтовым сервером"))
      << failed["last_error"];

  ASSERT_TRUE(smtp_->restart());
  const std::string resend = kEventApi + "/mail/" + std::to_string(failed["id"].get<int>()) + "/resend";
  auto resent = org.post(resend, json::object());
  ASSERT_EQ(resent.status, 200) << resent.body;
  auto sent = wait_letter("sent");
  ASSERT_FALSE(sent.is_null()) << letters().dump();
  EXPECT_EQ(smtp_->wait_for(1).size(), 1u);
  EXPECT_EQ(org.post(resend, json::object()).error_code(), "letter_already_sent");
}

TEST_F(StaffDesk, ResendingRefusesUnknownLettersAndAnyoneButTheOrganiser) {
  start();
  auto& org = people_->organiser();
  EXPECT_EQ(org.post(kEventApi + "/mail/999/resend", json::object()).error_code(), "letter_not_found");
  EXPECT_EQ(org.post(kEventApi + "/mail/abc/resend", json::object()).error_code(), "letter_not_found");
  EXPECT_EQ(people_->person("stranger@dom.ru").post(kEventApi + "/mail/1/resend", json::object()).status, 403);
  HttpClient anonymous(server_->port());
  EXPECT_EQ(anonymous.post(kEventApi + "/mail/1/resend", json::object()).status, 401);
}

}  // namespace
}  // namespace praktika::test
