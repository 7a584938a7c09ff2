#include "certificates/certificates.h"

#include <gtest/gtest.h>
#include <poppler-document.h>
#include <poppler-page.h>

#include <fstream>

#include "certificates/typeset.h"

namespace praktika::certificates {
namespace {

using nlohmann::json;

json shipped() {
  std::ifstream in(std::string(PRAKTIKA_SOURCE_DIR) + "/agenda/irkutsk-2020.json");
  return json::parse(in);
}

std::variant<timeline::Agenda, timeline::AgendaError> parse(const json& j) {
  return timeline::parse_agenda(j.dump(), "test.json");
}

TEST(CertificatesAgenda, TheShippedPartsReadAndNameTheirMailTemplates) {
  auto agenda = parse(shipped());
  ASSERT_TRUE(std::holds_alternative<timeline::Agenda>(agenda));
  EXPECT_FALSE(check_agenda(std::get<timeline::Agenda>(agenda)));
  auto s = std::get<Settings>(read_settings(std::get<timeline::Agenda>(agenda)));
  EXPECT_TRUE(s.enabled);
  EXPECT_EQ(s.months.size(), 12u);
  EXPECT_TRUE(s.find_template(s.rules.front().template_id));
}

TEST(CertificatesAgenda, MistakesAreNamedByTheirJsonPath) {
  auto j = shipped();
  j["certificates"]["rules"][0]["template"] = "nonexistent";
  auto agenda = parse(j);
  ASSERT_TRUE(std::holds_alternative<timeline::Agenda>(agenda));
  auto error = check_agenda(std::get<timeline::Agenda>(agenda));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->json_path, "/certificates/rules/0/template");

  j = shipped();
  j["certificates"]["mail_template"] = "missing";
  error = check_agenda(std::get<timeline::Agenda>(parse(j)));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->json_path, "/certificates/mail_template");

  j = shipped();
  j["certificates"]["values"]["institution"] = json::array({"somewhere.else"});
  error = check_agenda(std::get<timeline::Agenda>(parse(j)));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->json_path, "/certificates/values/institution/0");

  j = shipped();
  j["certificates"]["templates"][0]["blocks"][0]["colour"] = "red";
  error = check_agenda(std::get<timeline::Agenda>(parse(j)));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->json_path, "/certificates/templates/0/blocks/0/colour");
}

TEST(CertificatesAgenda, AnEventWithoutThePartsHasNoCertificates) {
  auto j = shipped();
  j.erase("certificates");
  j.erase("proceedings");
  auto agenda = std::get<timeline::Agenda>(parse(j));
  EXPECT_FALSE(check_agenda(agenda));
  EXPECT_FALSE(std::get<Settings>(read_settings(agenda)).enabled);
}

TEST(Typeset, ACertificateCarriesItsCyrillicTextAndFitsOnePage) {
  auto agenda = std::get<timeline::Agenda>(parse(shipped()));
  auto s = std::get<Settings>(read_settings(agenda));
  auto file = std::filesystem::temp_directory_path() / ("praktika-cert-" + std::to_string(::getpid()) + ".pdf");
  std::map<std::string, std::string> values{{"full_name", "Ёлкина Юлия Щербаковна"},
                                            {"institution", "ОГБУСО «Центр помощи детям»"},
                                            {"took_part", "выступление с практикой «Семейная гостиная»"},
                                            {"number", "ABCD-EFGH-JKMN-PQRS"},
                                            {"verify_url", "https://praktika.example.org/verify/ABCD-EFGH-JKMN-PQRS"},
                                            {"event_title", agenda.title},
                                            {"forum", agenda.forum},
                                            {"date", "8 августа 2020 г."}};
  ASSERT_TRUE(typeset_certificate(*s.find_template("speaker"), values, values["verify_url"], file));
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(file.string()));
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->pages(), 1);
  std::unique_ptr<poppler::page> page(doc->create_page(0));
  auto bytes = page->text().to_utf8();
  std::string text(bytes.begin(), bytes.end());
  EXPECT_NE(text.find("Ёлкина Юлия Щербаковна"), std::string::npos) << text;
  EXPECT_NE(text.find("СЕРТИФИКАТ"), std::string::npos);
  EXPECT_NE(text.find("ABCD-EFGH-JKMN-PQRS"), std::string::npos);
  EXPECT_NE(text.find("8 августа 2020 г."), std::string::npos);
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace praktika::certificates
