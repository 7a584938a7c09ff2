#include "certificates/content.h"

#include <gtest/gtest.h>

#include <fstream>

namespace praktika::certificates {
namespace {

using nlohmann::json;

timeline::Agenda shipped_agenda() {
  std::ifstream in(std::string(PRAKTIKA_SOURCE_DIR) + "/agenda/irkutsk-2020.json");
  auto agenda = timeline::parse_agenda(json::parse(in).dump(), "irkutsk-2020.json");
  return std::get<timeline::Agenda>(agenda);
}

class CertificateContent : public ::testing::Test {
 protected:
  timeline::Agenda agenda = shipped_agenda();
  Settings settings = std::get<Settings>(read_settings(agenda));

  static Recipient author(std::string outcome, int section = 1) {
    Recipient r;
    r.user_id = 7;
    r.full_name = "Иванова Анна Петровна";
    r.account_email = "anna@example.org";
    r.roles = {"author"};
    r.practices.push_back({12, section, std::move(outcome),
                           json{{"name", "Семейная гостиная"}, {"organisation", {{"name", "Центр «Радуга»"}}}}});
    return r;
  }
};

TEST_F(CertificateContent, APresentedPracticeChoosesTheSpeakersTemplate) {
  Content c = content_for(settings, agenda, author("present"));
  ASSERT_TRUE(c.tmpl);
  EXPECT_EQ(c.tmpl->id, "speaker");
  EXPECT_EQ(c.data["template"], "speaker");
  EXPECT_EQ(c.data["practices"], json::array({12}));
  EXPECT_EQ(c.data["roles"], json::array({"author"}));
}

TEST_F(CertificateContent, ARejectedPracticeFallsThroughToTheParticipantsTemplate) {
  Content c = content_for(settings, agenda, author("rejected"));
  ASSERT_TRUE(c.tmpl);
  EXPECT_EQ(c.tmpl->id, "participant");
  // No line for "rejected": the practice's general line.
  ASSERT_EQ(c.data["took_part"].size(), 1u);
  EXPECT_NE(c.data["took_part"][0].get<std::string>().find("представленная на экспертизу"), std::string::npos);
}

TEST_F(CertificateContent, SomeoneWithoutAFittingRoleGetsNoDocument) {
  Recipient r = author("present");
  r.roles = {"moderator"};
  EXPECT_FALSE(content_for(settings, agenda, r).tmpl);
}

TEST_F(CertificateContent, NamedValuesTakeTheFirstNonEmptySource) {
  Recipient r = author("present");
  Content c = content_for(settings, agenda, r);
  EXPECT_EQ(c.data["values"]["full_name"], "Иванова Анна Петровна");  // no registration: the account's name
  EXPECT_EQ(c.data["values"]["institution"], "Центр «Радуга»");       // from the practice's form
  EXPECT_EQ(c.data["values"]["position"], "");

  r.registration = {{"author", "Иванова А. П."}, {"institution", "ОГБУСО «Центр»"}, {"position", "психолог"}};
  c = content_for(settings, agenda, r);
  EXPECT_EQ(c.data["values"]["full_name"], "Иванова А. П.");
  EXPECT_EQ(c.data["values"]["institution"], "ОГБУСО «Центр»");
  EXPECT_EQ(c.data["values"]["position"], "психолог");
}

TEST_F(CertificateContent, TookPartNamesThePracticeAndOnlyTheSectionsFollowedWithoutOne) {
  Recipient r = author("present", 1);
  r.roles.insert("attendee");
  r.attended = {{1, 90}, {2, 40}};
  Content c = content_for(settings, agenda, r);
  ASSERT_EQ(c.data["took_part"].size(), 2u);
  EXPECT_EQ(c.data["took_part"][0],
            "выступление с практикой «Семейная гостиная» на секции 1 «" + agenda.find_section(1)->title + "»");
  EXPECT_EQ(c.data["took_part"][1], "участие в работе секции 2 «" + agenda.find_section(2)->title + "»");
  EXPECT_EQ(c.data["sections"], json::array({1, 2}));
  EXPECT_EQ(c.data["practice_titles"][0], (json{{"title", "Семейная гостиная"}, {"section", 1}, {"outcome", "present"}}));
}

TEST_F(CertificateContent, AnAttendeeWithoutPracticesGetsTheParticipantsTemplate) {
  Recipient r;
  r.user_id = 3;
  r.full_name = "Петров Пётр";
  r.roles = {"attendee"};
  r.attended = {{3, 45}};
  Content c = content_for(settings, agenda, r);
  ASSERT_TRUE(c.tmpl);
  EXPECT_EQ(c.tmpl->id, "participant");
  EXPECT_EQ(c.data["values"]["institution"], "");
  EXPECT_EQ(c.data["practices"], json::array());
}

TEST_F(CertificateContent, APracticeWithoutANameIsCalledByItsNumber) {
  EXPECT_EQ(practice_title(agenda.words, 5, json::object()), capitalised(agenda.words.one) + " № 5");
  EXPECT_EQ(practice_title(agenda.words, 5, json{{"name", "Мост"}}), "Мост");
}

TEST_F(CertificateContent, LettersGoToTheApplicationsAddressElseTheAccounts) {
  Recipient r = author("present");
  EXPECT_EQ(r.email(), "anna@example.org");
  r.registration = {{"email", "work@example.org"}};
  EXPECT_EQ(r.email(), "work@example.org");
}

TEST_F(CertificateContent, TheDateIsWrittenInRussianWords) {
  EXPECT_EQ(russian_date(settings, "2020-08-08T10:00:00+08:00"), "8 августа 2020 г.");
  EXPECT_EQ(russian_date(settings, "garbage"), "garbage");
}

TEST_F(CertificateContent, TheLetterCarriesTheDocumentUnderItsTemplatesFileName) {
  Content c = content_for(settings, agenda, author("present"));
  auto values = document_values(agenda, settings, c.data, "ABCD-EFGH-JKMN-PQRS", "8 августа 2020 г.");
  EXPECT_EQ(values["verify_url"], settings.site_url + "/verify/ABCD-EFGH-JKMN-PQRS");
  EXPECT_EQ(values["full_name"], "Иванова Анна Петровна");
  EXPECT_EQ(values["took_part"], c.data["took_part"][0].get<std::string>());
  mail::Template letter{"Сертификат: {event_title}", "Здравствуйте, {full_name}! № {number}"};
  auto m = certificate_letter(letter, *c.tmpl, agenda.id, 7, "anna@example.org", values, "/tmp/x/ABCD.pdf");
  EXPECT_EQ(m.idempotency_key, "certificate:" + agenda.id + ":7");
  EXPECT_EQ(m.recipients, std::vector<std::string>{"anna@example.org"});
  EXPECT_EQ(m.subject, "Сертификат: " + agenda.title);
  EXPECT_EQ(m.body, "Здравствуйте, Иванова Анна Петровна! № ABCD-EFGH-JKMN-PQRS");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].path, "/tmp/x/ABCD.pdf");
  EXPECT_EQ(m.attachments[0].name, "Сертификат ABCD-EFGH-JKMN-PQRS.pdf");
  EXPECT_EQ(m.attachments[0].content_type, "application/pdf");
}

}  // namespace
}  // namespace praktika::certificates
