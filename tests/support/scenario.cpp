#include "support/scenario.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/bytes.h"
#include "support/docx_builder.h"
#include "support/media_fixtures.h"
#include "support/pdf_upload.h"
#include "support/server_process.h"

namespace praktika::test {

using nlohmann::json;

json registration_answers(const std::string& full_name, const std::string& email, const std::string& institution,
                          int section) {
  return {{"institution", institution},
          {"author", full_name},
          {"position", "Специалист по социальной работе"},
          {"work_phone", "(3952) 24-00-00"},
          {"mobile_phone", "+7 914 000-00-00"},
          {"email", email},
          {"section", section},
          {"payment_form", "legal_entity"},
          // What a legal entity's contract needs (asked only for that payment form).
          {"payer_organisation", institution},
          {"payer_inn", kPayerInn},
          {"payer_kpp", "380801001"},
          {"payer_address", "664003, г. Иркутск, ул. Ленина, д. 1"},
          {"consent_regulations", true},
          {"consent_personal_data", true}};
}

json practice_answers(const std::string& name, const std::string& institution, int started_year) {
  json answers = {{"name", name},
          {"organisation",
           {{"name", institution}, {"website", "center.ru"}, {"phone", "(3952) 24-00-00"},
            {"email", "center@dom.ru"}, {"contact_person", "Анна Петрова"}}},
          {"implementers", json::array({{{"full_name", "Анна Петрова"}, {"position", "Специалист"}}})},
          {"relevance", {{"problem", "Семьи в трудной жизненной ситуации"}, {"started_year", started_year}}},
          {"values", "Уважение к семье"},
          {"target_groups", "Семьи с детьми"},
          {"goal_and_tasks", "Цель и задачи"},
          {"content", "Встречи раз в неделю"},
          {"mechanism", {{"steps", "Шаги"}, {"regulations", "Положение"}}},
          {"management", "Рабочая группа"},
          {"resources",
           {{"methodical", "Пособия"}, {"material", "Помещение"}, {"staff", "3 специалиста"}, {"partners", "Школа"}}},
          {"results",
           {{"quantitative", "40 семей"}, {"qualitative", "Улучшение"}, {"methodical", "Статья"},
            {"socio_economic", "Экономия"}}},
          {"cases", json::array({"Случай семьи К."})},
          {"recommendations", "Начинать с малого"}};
  // Item 14 is asked of a practice that has run more than a year by the conference (2020).
  if (started_year < 2019) answers["beneficiary_reviews"] = "Отзывы семей и специалистов";
  return answers;
}

std::filesystem::path agenda_with_requisites(const std::filesystem::path& dir) {
  std::ifstream in(source_dir() / "agenda" / "irkutsk-2020.json");
  json agenda = json::parse(in);
  agenda["fees"]["contract"] = {{"recipient", kOrganiserRecipient},
                                {"inn", kOrganiserInn},
                                {"kpp", "381101001"},
                                {"bank", "Отделение Иркутск Банка России"},
                                {"bik", "042520001"},
                                {"account", "40601810000003000001"},
                                {"correspondent_account", "30101810000000000607"},
                                {"payment_purpose", "Организационный взнос за участие в интернет-конференции"}};
  auto path = dir / "irkutsk-2020-requisites.json";
  std::ofstream(path) << agenda.dump(2);
  return path;
}

bool create_organiser(const std::filesystem::path& data_dir, std::string* output) {
  auto created = run_binary({"admin", "create-user", "--data", data_dir.string(), "--email", kOrganiserEmail, "--role",
                             "organiser", "--event", kEventId, "--name", "Организатор"},
                            kOrganiserPassword + "\n");
  if (output) *output = created.output;
  return created.status.code == 0;
}

HttpClient& People::organiser() {
  auto& slot = clients_[kOrganiserEmail];
  if (!slot) {
    slot = std::make_unique<HttpClient>(port_);
    slot->post("/api/auth/login", {{"email", kOrganiserEmail}, {"password", kOrganiserPassword}});
  }
  return *slot;
}

HttpClient& People::person(const std::string& email, const std::string& full_name) {
  auto& slot = clients_[email];
  if (!slot) {
    slot = std::make_unique<HttpClient>(port_);
    names_[email] = full_name.empty() ? email : full_name;
    auto r = slot->post("/api/auth/register", {{"email", email}, {"password", kPassword}, {"full_name", names_[email]}});
    if (r.status != 201) slot->post("/api/auth/login", {{"email", email}, {"password", kPassword}});
  }
  return *slot;
}

bool People::grant(const std::string& email, const std::string& role, std::optional<int> section) {
  person(email);
  json body = {{"email", email}, {"role", role}};
  if (section) body["section"] = *section;
  auto r = organiser().post(kEventApi + "/roles", body);
  EXPECT_EQ(r.status, 201) << r.body;
  return r.status == 201;
}

void People::reconnect(int port) {
  port_ = port;
  std::map<std::string, std::unique_ptr<HttpClient>> old;
  old.swap(clients_);
  for (const auto& [email, client] : old) {
    if (email == kOrganiserEmail) organiser();
    else person(email, names_[email]);
  }
}

namespace {

std::string compliant_docx() {
  auto bytes = praktika::documents::testing::Docx::compliant().bytes();
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace

std::string upload_payment_scan(HttpClient& http) {
  media::testing::TempDir work;
  media::testing::write_pdf(work.path() / "scan.pdf", 1);
  std::ifstream in(work.path() / "scan.pdf", std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::string scan = bytes.str();
  auto created = send_by_tus(http, kEventApi + "/uploads?purpose=payment", scan);
  return created.json()["id"];
}

std::string attach_document(HttpClient& author, int id, const std::string& given, const std::string& filename) {
  const std::string docx = given.empty() ? compliant_docx() : given;
  auto created = author.request("POST", kEventApi + "/uploads?purpose=document", "",
                                {{"Tus-Resumable", "1.0.0"},
                                 {"Upload-Length", std::to_string(docx.size())},
                                 {"Upload-Metadata", "filename " + base64(filename) + ",practice " +
                                                         base64(std::to_string(id))}});
  EXPECT_EQ(created.status, 201) << created.body;
  if (created.status != 201) return "";
  auto sent = author.request("PATCH", created.headers["location"], docx,
                             {{"Tus-Resumable", "1.0.0"},
                              {"Content-Type", "application/offset+octet-stream"},
                              {"Upload-Offset", "0"}});
  EXPECT_EQ(sent.status, 204) << sent.body;
  return created.json()["id"];
}

int submit_practice(People& people, const PracticeSpec& spec, std::string* document_upload) {
  auto& author = people.person(spec.author_email);
  auto reg = author.request(
      "PUT", kEventApi + "/registration",
      json{{"answers", registration_answers(spec.author_email, spec.author_email, spec.institution, spec.section)}}
          .dump());
  EXPECT_EQ(reg.status, 200) << reg.body;
  auto created = author.post(kEventApi + "/practices", {{"section", spec.section},
                                                        {"type", spec.type},
                                                        {"answers", practice_answers(spec.name, spec.institution, spec.started_year)}});
  EXPECT_EQ(created.status, 201) << created.body;
  if (created.status != 201) return 0;
  int id = created.json()["id"].get<int>();
  std::string url = kEventApi + "/practices/" + std::to_string(id);
  std::string upload = attach_document(author, id, spec.document);
  if (document_upload) *document_upload = upload;
  auto submitted = author.post(url + "/submit", json::object());
  EXPECT_EQ(submitted.status, 200) << submitted.body;
  if (spec.paid) {
    auto sent = author.post(url + "/payment", {{"upload", upload_payment_scan(author)}});
    EXPECT_EQ(sent.status, 200) << sent.body;
    auto confirmed = people.organiser().post(kEventApi + "/intake/practices/" + std::to_string(id) + "/payment",
                                             {{"decision", "confirm"}});
    EXPECT_EQ(confirmed.status, 200) << confirmed.body;
  }
  return id;
}

}  // namespace praktika::test
