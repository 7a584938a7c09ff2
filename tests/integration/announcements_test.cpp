// Announcements of changed conditions (clause 3.2.1): the organiser writes one, the event page
// lists it, newest first, and every registered person gets a letter, read back from the SMTP
// server the tests run.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "support/client.h"
#include "support/scenario.h"
#include "support/server_process.h"
#include "support/smtp_server.h"

namespace praktika::test {
namespace {

using nlohmann::json;

const std::string kAnnouncements = kEventApi + "/announcements";

class Announcements : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(create_organiser(data_.path()));
    auto smtp = SmtpServer::start(mail_dir_.path());
    ASSERT_TRUE(smtp) << smtp.status().message();
    smtp_ = std::move(*smtp);
    auto started = ServerProcess::start(
        {.data_dir = data_.path(), .clock = kDuringIntake, .extra_args = {"--smtp", smtp_->url()}});
    ASSERT_TRUE(started) << started.status().message();
    server_ = std::move(*started);
    people_ = std::make_unique<People>(server_->port());
  }

  void register_person(const std::string& email, const std::string& name) {
    auto& who = people_->person(email, name);
    auto r = who.request("PUT", kEventApi + "/registration",
                         json{{"answers", registration_answers(name, email, "Центр", 1)}}.dump());
    ASSERT_EQ(r.status, 200) << r.body;
  }

  TempDir data_;
  TempDir mail_dir_;
  std::unique_ptr<SmtpServer> smtp_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<People> people_;
};

TEST_F(Announcements, ReachTheEventPageNewestFirstAndEveryRegisteredPersonByMail) {
  register_person("anna@dom.ru", "Анна");
  register_person("boris@dom.ru", "Борис");
  people_->person("vera@dom.ru", "Вера");  // an account without a registration gets no letter

  auto first = people_->organiser().post(
      kAnnouncements, {{"title", "Срок приёма материалов продлён"},
                       {"text", "Материалы принимаются до 30 июня включительно.\nПоложение изменено в пункте 5.5."}});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json()["letters"], 2);
  EXPECT_EQ(first.json()["announcement"]["published_at"].get<std::string>().substr(0, 16), "2020-06-20T10:00");

  auto mails = smtp_->wait_for(2);
  ASSERT_EQ(mails.size(), 2u);
  std::set<std::string> to;
  for (const auto& m : mails) {
    ASSERT_EQ(m.rcpt_to.size(), 1u);  // one letter each: nobody sees the others' addresses
    to.insert(m.rcpt_to[0]);
    EXPECT_EQ(m.subject, "Изменения в условиях конференции: Срок приёма материалов продлён");
    EXPECT_NE(m.body.find("Срок приёма материалов продлён"), std::string::npos) << m.body;
    EXPECT_NE(m.body.find("Материалы принимаются до 30 июня включительно."), std::string::npos) << m.body;
    EXPECT_NE(m.body.find("Положение изменено в пункте 5.5."), std::string::npos) << m.body;
    EXPECT_NE(m.body.find("пункт 3.2.1 положения"), std::string::npos) << m.body;
  }
  EXPECT_EQ(to, (std::set<std::string>{"anna@dom.ru", "boris@dom.ru"}));

  ASSERT_EQ(people_->organiser().post(kAnnouncements, {{"title", "Ссылка на комнату секции 2"}, {"text", "Новая ссылка."}}).status,
            201);
  HttpClient anonymous(server_->port());
  auto list = anonymous.get(kAnnouncements);
  ASSERT_EQ(list.status, 200) << list.body;
  json items = list.json()["announcements"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["title"], "Ссылка на комнату секции 2");
  EXPECT_EQ(items[1]["title"], "Срок приёма материалов продлён");
  EXPECT_FALSE(items[1]["published_at"].get<std::string>().empty());
}

TEST_F(Announcements, OnlyTheOrganiserPublishesAndAnEmptyOneIsRefused) {
  register_person("anna@dom.ru", "Анна");
  auto& anna = people_->person("anna@dom.ru");
  EXPECT_EQ(anna.post(kAnnouncements, {{"title", "Заголовок"}, {"text", "Текст"}}).status, 403);
  HttpClient anonymous(server_->port());
  EXPECT_EQ(anonymous.post(kAnnouncements, {{"title", "Заголовок"}, {"text", "Текст"}}).status, 401);
  auto empty = people_->organiser().post(kAnnouncements, {{"title", "Заголовок"}, {"text", "  "}});
  EXPECT_EQ(empty.status, 422);
  EXPECT_EQ(empty.error_code(), "invalid_field");
  EXPECT_TRUE(anonymous.get(kAnnouncements).json()["announcements"].empty());
}

}  // namespace
}  // namespace praktika::test
