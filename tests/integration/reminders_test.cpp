// Issue 21, item 2: the participants' reminders through the outbox, received by a real SMTP
// server (aiosmtpd), on a set and sped-up event clock: each letter once per person and occasion,
// also across restarts; a kind the organiser switched off sends nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "support/scenario.h"
#include "support/server_process.h"
#include "support/stage_server.h"
#include "support/smtp_server.h"

namespace praktika::test {
namespace {

using nlohmann::json;

const std::string kParticipants = kEventApi + "/reminders/participants";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::vector<ReceivedMail> with_subject(const std::vector<ReceivedMail>& mails, const std::string& part) {
  std::vector<ReceivedMail> out;
  for (const auto& m : mails)
    if (contains(m.subject, part)) out.push_back(m);
  return out;
}

json kind_row(HttpClient& organiser, const std::string& kind) {
  auto got = organiser.get(kParticipants);
  EXPECT_EQ(got.status, 200) << got.body;
  const json body = got.json();
  for (const auto& k : body["kinds"])
    if (k["kind"] == kind) return k;
  return nullptr;
}

class Reminders : public StageServerTest {
 protected:
  void start(const std::string& clock, double speed = 0) { start_server({.clock = clock, .clock_speed = speed}); }

  // A registered author with one practice saved as a draft, never submitted.
  int draft(const std::string& email, const std::string& name) {
    auto& author = people_->person(email);
    auto reg = author.request("PUT", kEventApi + "/registration",
                              json{{"answers", registration_answers(email, email, "МБУ «Семья»", 1)}}.dump());
    EXPECT_EQ(reg.status, 200) << reg.body;
    auto created = author.post(kEventApi + "/practices",
                               {{"section", 1}, {"type", "pilot"}, {"answers", practice_answers(name, "МБУ «Семья»")}});
    EXPECT_EQ(created.status, 201) << created.body;
    return created.status == 201 ? created.json()["id"].get<int>() : 0;
  }

  // Lets a wrongly queued letter arrive before counting.
  std::vector<ReceivedMail> settled() {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    return smtp_->messages();
  }

};

// Intake closes 29 June 00:00 (+08:00): the letters are due 26 June 00:00 and 28 June 00:00.
TEST_F(Reminders, AnUnsubmittedDraftIsRemindedThreeDaysAndOneDayBeforeTheIntakeClosesOnceEach) {
  start(kDuringIntake);
  ASSERT_GT(draft("anna@dom.ru", "Семейная гостиная"), 0);
  submit_practice(*people_, {.author_email = "boris@dom.ru", .name = "Отправленная практика"});
  auto row = kind_row(people_->organiser(), "draft");
  EXPECT_EQ(row["enabled"], true);
  EXPECT_EQ(row["next_at"], "2020-06-26T00:00:00+08:00");
  EXPECT_EQ(row["people"], 1);
  EXPECT_TRUE(with_subject(smtp_->messages(), "черновик").empty());

  // The event clock, ten times faster, crosses the three-day moment.
  start("2020-06-25T23:59:50+08:00", 10);
  auto mails = with_subject(smtp_->wait_for(1), "черновик");
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].rcpt_to, std::vector<std::string>{"anna@dom.ru"});
  EXPECT_EQ(mails[0].subject, "Отправьте черновик практики до 29 июня 2020 г.");
  EXPECT_TRUE(contains(mails[0].body, "«Семейная гостиная»")) << mails[0].body;
  EXPECT_TRUE(contains(mails[0].body, "https://praktika.example.org/events/irkutsk-2020/cabinet")) << mails[0].body;
  EXPECT_FALSE(contains(mails[0].body, "Отправленная практика")) << mails[0].body;
  EXPECT_FALSE(contains(mails[0].body, "{")) << mails[0].body;

  // A restart inside the same window sends nothing again.
  start("2020-06-26T12:00:00+08:00");
  EXPECT_EQ(with_subject(settled(), "черновик").size(), 1u);
  row = kind_row(people_->organiser(), "draft");
  EXPECT_EQ(row["next_at"], "2020-06-28T00:00:00+08:00");
  EXPECT_EQ(row["sent"], 1);

  // The one-day moment, then a restart after it.
  start("2020-06-27T23:59:50+08:00", 10);
  mails = with_subject(smtp_->wait_for(2), "черновик");
  ASSERT_EQ(mails.size(), 2u);
  start("2020-06-28T18:00:00+08:00");
  EXPECT_EQ(with_subject(settled(), "черновик").size(), 2u);
  // After the intake closed nothing is due, and nothing is sent late.
  start("2020-06-30T10:00:00+08:00");
  EXPECT_EQ(with_subject(settled(), "черновик").size(), 2u);
}

TEST_F(Reminders, AKindSwitchedOffIsNotSentAndSwitchedOnAgainGoesOutInItsWindow) {
  start(kDuringIntake);
  ASSERT_GT(draft("anna@dom.ru", "Семейная гостиная"), 0);
  auto off = people_->organiser().request("PUT", kParticipants + "/draft", json{{"enabled", false}}.dump());
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(kind_row(people_->organiser(), "draft")["enabled"], false);
  // Not the organiser's: refused.
  EXPECT_EQ(people_->person("anna@dom.ru").request("PUT", kParticipants + "/draft", json{{"enabled", true}}.dump()).status,
            403);
  EXPECT_EQ(people_->organiser().request("PUT", kParticipants + "/nothing", json{{"enabled", true}}.dump()).status, 404);

  start("2020-06-25T23:59:50+08:00", 10);
  std::this_thread::sleep_for(std::chrono::seconds(2));  // the moment passes on the event clock
  EXPECT_TRUE(with_subject(settled(), "черновик").empty());
  auto row = kind_row(people_->organiser(), "draft");
  EXPECT_EQ(row["enabled"], false);
  EXPECT_EQ(row["people"], 1);  // still waiting for the organiser

  auto on = people_->organiser().request("PUT", kParticipants + "/draft", json{{"enabled", true}}.dump());
  ASSERT_EQ(on.status, 200) << on.body;
  auto mails = with_subject(smtp_->wait_for(1), "черновик");
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].rcpt_to, std::vector<std::string>{"anna@dom.ru"});
}

// The payment deadline is the agenda's milestone payment_by (5 July 00:00): three days before it,
// the owner of a submitted practice without a payment document is written to once.
TEST_F(Reminders, APracticeWithoutAPaymentDocumentIsRemindedOnceBeforeThePaymentDeadline) {
  start(kDuringIntake);
  submit_practice(*people_, {.author_email = "anna@dom.ru", .name = "Неоплаченная практика", .paid = false});
  submit_practice(*people_, {.author_email = "boris@dom.ru", .name = "Оплаченная практика"});
  EXPECT_EQ(kind_row(people_->organiser(), "payment")["next_at"], "2020-07-02T00:00:00+08:00");
  start("2020-07-01T23:59:50+08:00", 10);
  auto mails = with_subject(smtp_->wait_for(1), "оплат");
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].rcpt_to, std::vector<std::string>{"anna@dom.ru"});
  EXPECT_TRUE(contains(mails[0].body, "«Неоплаченная практика»")) << mails[0].body;
  EXPECT_TRUE(contains(mails[0].subject, "до 5 июля 2020 г.")) << mails[0].subject;
  start("2020-07-03T10:00:00+08:00");
  EXPECT_EQ(with_subject(settled(), "оплат").size(), 1u);
}

// Slots of 10 minutes from 10:00 on 8 July with 2-minute gaps: 10:00, 10:12, 10:24.
TEST_F(Reminders, AnAdmittedSpeakerIsRemindedADayAndAnHourBeforeTheirSlotWithTheRoomAndTheRequirements) {
  start(kDuringIntake);
  std::vector<int> presenters;
  for (std::string who : {"anna", "boris"})
    presenters.push_back(submit_practice(*people_, {.author_email = who + "@dom.ru", .section = 1, .name = "Практика " + who}));
  start(kDuringReview);
  json slots = json::array();
  for (int id : presenters) {
    ASSERT_GT(id, 0);
    auto decided = people_->organiser().request(
        "PUT", kEventApi + "/review/practices/" + std::to_string(id) + "/outcome",
        json{{"outcome", "present"}, {"reason", ""}}.dump());
    ASSERT_EQ(decided.status, 200) << decided.body;
    slots.push_back({{"practice", id}, {"minutes", 10}});
  }
  auto edited = people_->organiser().request("PUT", kEventApi + "/sections/1/schedule", json{{"slots", slots}}.dump());
  ASSERT_EQ(edited.status, 200) << edited.body;
  ASSERT_EQ(people_->organiser().post(kEventApi + "/sections/1/schedule/publish", json::object()).status, 200);
  auto row = kind_row(people_->organiser(), "speaker");
  EXPECT_EQ(row["next_at"], "2020-07-07T10:00:00+08:00");
  EXPECT_EQ(row["people"], 1);

  // A day before: at 600x the two moments, twelve minutes apart, come 1.2 s apart.
  start("2020-07-07T09:59:50+08:00", 600);
  auto mails = with_subject(smtp_->wait_for(2), "Ваше выступление");
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_EQ(mails[0].rcpt_to, std::vector<std::string>{"anna@dom.ru"});
  EXPECT_EQ(mails[0].subject, "Ваше выступление на секции 1: 8 июля 2020 г., 10:00");
  EXPECT_EQ(mails[1].subject, "Ваше выступление на секции 1: 8 июля 2020 г., 10:12");
  EXPECT_TRUE(contains(mails[0].body, "https://video-room.example.org/irkutsk-2020/section-1")) << mails[0].body;
  EXPECT_TRUE(contains(mails[0].body, "Технические требования к трансляции практики")) << mails[0].body;
  EXPECT_TRUE(contains(mails[0].body, "«Практика anna»")) << mails[0].body;

  start("2020-07-07T12:00:00+08:00");
  EXPECT_EQ(with_subject(settled(), "Ваше выступление").size(), 2u);
  // An hour before.
  start("2020-07-08T08:59:50+08:00", 600);
  mails = with_subject(smtp_->wait_for(4), "Ваше выступление");
  ASSERT_EQ(mails.size(), 4u);
  start("2020-07-08T09:30:00+08:00");
  EXPECT_EQ(with_subject(settled(), "Ваше выступление").size(), 4u);
  std::vector<std::string> to;
  for (const auto& m : with_subject(smtp_->messages(), "Ваше выступление")) to.push_back(m.rcpt_to.at(0));
  std::sort(to.begin(), to.end());
  EXPECT_EQ(to, (std::vector<std::string>{"anna@dom.ru", "anna@dom.ru", "boris@dom.ru", "boris@dom.ru"}));
}

}  // namespace
}  // namespace praktika::test
