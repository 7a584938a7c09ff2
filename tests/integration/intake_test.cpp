#include <gtest/gtest.h>

#include "support/client.h"
#include "support/scenario.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

using nlohmann::json;

const std::string kIntakeOpen = "2020-06-20T10:00:00+08:00";
const std::string kIntakeClosed = "2020-06-29T00:00:00+08:00";
const std::string kBase = "/api/events/irkutsk-2020";

json full_registration() {
  return {{"institution", "ОГБУСО «Центр помощи детям»"},
          {"author", "Анна Петрова"},
          {"position", "Специалист по социальной работе"},
          {"work_phone", "(3952) 24-00-00"},
          {"mobile_phone", "+7 914 000-00-00"},
          {"email", "anna@dom.ru"},
          {"section", 2},
          {"payment_form", "legal_entity"},
          {"payer_organisation", "ОГБУСО «Центр помощи детям»"},
          {"payer_inn", "7707083893"},
          {"payer_kpp", "773601001"},
          {"payer_address", "664003, г. Иркутск, ул. Ленина, д. 1"},
          {"consent_regulations", true},
          {"consent_personal_data", true}};
}

// scenario.h's complete answers without item 14 (beneficiary reviews), which `started_year` decides
// whether the form requires: the tests here check that rule.
json complete_practice(int started_year) {
  json answers = practice_answers("Семейная гостиная", "ОГБУСО «Центр помощи детям»", started_year);
  answers.erase("beneficiary_reviews");
  return answers;
}

std::vector<std::string> error_paths(const HttpResult& r) {
  std::vector<std::string> paths;
  json body = r.json();  // a range-for over a member of a temporary would dangle
  for (const auto& d : body["error"]["details"]) paths.push_back(d["path"]);
  return paths;
}

class Intake : public ::testing::Test {
 protected:
  void start(const std::string& clock) {
    server_.reset();
    auto started = ServerProcess::start({.data_dir = data_.path(), .clock = clock});
    ASSERT_TRUE(started) << started.status().message();
    server_ = std::move(*started);
  }
  void SetUp() override { start(kIntakeOpen); }
  std::unique_ptr<HttpClient> user(const std::string& email) {
    auto http = std::make_unique<HttpClient>(server_->port());
    auto r = http->post("/api/auth/register", {{"email", email}, {"password", "пароль участника"}, {"full_name", email}});
    if (r.status != 201) http->post("/api/auth/login", {{"email", email}, {"password", "пароль участника"}});
    return http;
  }
  std::unique_ptr<HttpClient> login(const std::string& email) {
    auto http = std::make_unique<HttpClient>(server_->port());
    http->post("/api/auth/login", {{"email", email}, {"password", "пароль участника"}});
    return http;
  }

  TempDir data_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(Intake, TheRegistrationFormEnforcesRequiredFieldsOneByOne) {
  auto anna = user("anna@dom.ru");
  json partial = full_registration();
  partial.erase("position");
  partial["mobile_phone"] = "позвоните";
  partial["consent_personal_data"] = false;
  auto r = anna->request("PUT", kBase + "/registration", json{{"answers", partial}}.dump());
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.error_code(), "invalid_fields");
  auto paths = error_paths(r);
  EXPECT_EQ(paths, (std::vector<std::string>{"position", "mobile_phone", "consent_personal_data"})) << r.body;

  auto ok = anna->request("PUT", kBase + "/registration", json{{"answers", full_registration()}}.dump());
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto reg = ok.json()["registration"];
  EXPECT_EQ(reg["answers"]["section"], 2);
  EXPECT_EQ(reg["consents"]["consent_personal_data"].get<std::string>().substr(0, 16), "2020-06-20T10:00");
  EXPECT_EQ(anna->get(kBase + "/registration").json()["registration"]["answers"]["position"],
            "Специалист по социальной работе");
}

TEST_F(Intake, ADraftKeepsEveryValidAnswerWhenAnotherFieldHoldsAnError) {
  auto anna = user("anna@dom.ru");
  auto created = anna->post(kBase + "/practices", {{"section", 2}, {"type", "pilot"}, {"answers", {{"name", "Черновик"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string url = kBase + "/practices/" + std::to_string(created.json()["id"].get<int>());
  ASSERT_EQ(anna->request("PATCH", url, json{{"answers", {{"co_implementers", json::array({{{"name", "Центр"}}})}}}}.dump())
                .status,
            200);

  // A long description and a co-implementer's phone «нет» in one edit: the description is kept.
  const std::string description = std::string(3000, 'x');
  json edit = {{"content", description},
               {"values", "Уважение"},
               {"co_implementers", json::array({{{"name", "Центр"}, {"phone", "нет"}}})}};
  auto saved = anna->request("PATCH", url, json{{"answers", edit}}.dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  auto unsaved = saved.json()["unsaved"];
  ASSERT_EQ(unsaved.size(), 1u) << saved.body;
  EXPECT_EQ(unsaved[0]["path"].get<std::string>().rfind("co_implementers", 0), 0u) << saved.body;
  EXPECT_NE(unsaved[0]["message"].get<std::string>().find("Телефон учреждения"), std::string::npos) << saved.body;

  auto stored = anna->get(url).json();
  EXPECT_EQ(stored["answers"]["content"], description);
  EXPECT_EQ(stored["answers"]["values"], "Уважение");
  // The field with the error keeps what was stored before the edit.
  EXPECT_EQ(stored["answers"]["co_implementers"], json::array({{{"name", "Центр"}}}));
  EXPECT_FALSE(stored.contains("unsaved"));
}

TEST_F(Intake, APracticeIsDraftedSavedAsOneGoesAndSubmittedWhenComplete) {
  auto anna = user("anna@dom.ru");
  auto created = anna->post(kBase + "/practices", {{"section", 2}, {"type", "pilot"}, {"answers", {{"name", "Черновик"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto practice = created.json();
  EXPECT_EQ(practice["state"], "draft");
  EXPECT_EQ(practice["fee"], 2000);
  std::string url = kBase + "/practices/" + std::to_string(practice["id"].get<int>());

  auto saved = anna->request("PATCH", url, json{{"answers", {{"values", "Уважение"}}}, {"revision", 1}}.dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(saved.json()["revision"], 2);
  EXPECT_EQ(saved.json()["answers"]["name"], "Черновик");

  auto stale = anna->request("PATCH", url, json{{"answers", {{"values", "Другое"}}}, {"revision", 1}}.dump());
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.error_code(), "stale_revision");

  auto early = anna->post(url + "/submit", json::object());
  EXPECT_EQ(early.status, 422);
  EXPECT_GT(early.json()["error"]["details"].size(), 5u);

  ASSERT_EQ(anna->request("PATCH", url, json{{"answers", complete_practice(2020)}}.dump()).status, 200);
  auto no_registration = anna->post(url + "/submit", json::object());
  EXPECT_EQ(no_registration.error_code(), "registration_missing");
  ASSERT_EQ(anna->request("PUT", kBase + "/registration", json{{"answers", full_registration()}}.dump()).status, 200);
  attach_document(*anna, practice["id"].get<int>());
  auto submitted = anna->post(url + "/submit", json::object());
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(submitted.json()["state"], "submitted");
  EXPECT_TRUE(submitted.json()["missing"].empty());

  // A submitted practice can still be edited, but not into an incomplete one.
  auto broken = anna->request("PATCH", url, json{{"answers", {{"goal_and_tasks", nullptr}}}}.dump());
  EXPECT_EQ(broken.status, 422);
  EXPECT_EQ(anna->get(url).json()["answers"]["goal_and_tasks"], "Цель и задачи");
}

// Clause 5.3.1: the practice is sent as a formatted document, so the agenda requires its Word
// description at submission.
TEST_F(Intake, APracticeIsSubmittedOnlyWithItsWordDescription) {
  auto anna = user("anna@dom.ru");
  ASSERT_EQ(anna->request("PUT", kBase + "/registration", json{{"answers", full_registration()}}.dump()).status, 200);
  auto created = anna->post(kBase + "/practices", {{"section", 2}, {"type", "pilot"}, {"answers", complete_practice(2020)}});
  ASSERT_EQ(created.status, 201) << created.body;
  const int id = created.json()["id"].get<int>();
  const std::string url = kBase + "/practices/" + std::to_string(id);

  auto refused = anna->post(url + "/submit", json::object());
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.error_code(), "required_file_missing");
  EXPECT_NE(refused.json()["error"]["message"].get<std::string>().find("«Описание практики»"), std::string::npos)
      << refused.body;
  EXPECT_EQ(refused.json()["error"]["details"], json::array({{{"purpose", "document"}, {"title", "Описание практики"}}}));
  EXPECT_EQ(anna->get(url).json()["state"], "draft");

  attach_document(*anna, id);
  auto submitted = anna->post(url + "/submit", json::object());
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(submitted.json()["state"], "submitted");
}

TEST_F(Intake, BeneficiaryReviewsAreRequiredOnlyForAPracticeOlderThanAYear) {
  auto anna = user("anna@dom.ru");
  ASSERT_EQ(anna->request("PUT", kBase + "/registration", json{{"answers", full_registration()}}.dump()).status, 200);
  auto young = anna->post(kBase + "/practices", {{"section", 1}, {"type", "innovative"}, {"answers", complete_practice(2020)}});
  auto old = anna->post(kBase + "/practices", {{"section", 1}, {"type", "established"}, {"answers", complete_practice(2015)}});
  ASSERT_EQ(young.status, 201);
  ASSERT_EQ(old.status, 201);
  attach_document(*anna, young.json()["id"].get<int>());
  EXPECT_EQ(anna->post(kBase + "/practices/" + std::to_string(young.json()["id"].get<int>()) + "/submit", json::object()).status, 200);
  auto refused = anna->post(kBase + "/practices/" + std::to_string(old.json()["id"].get<int>()) + "/submit", json::object());
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(error_paths(refused), std::vector<std::string>{"beneficiary_reviews"});
}

TEST_F(Intake, TheRegistrationAsksThePayersRequisitesOfTheChosenPaymentForm) {
  auto anna = user("anna@dom.ru");
  json legal = full_registration();
  for (const char* key : {"payer_organisation", "payer_inn", "payer_kpp", "payer_address"}) legal.erase(key);
  auto missing = anna->request("PUT", kBase + "/registration", json{{"answers", legal}}.dump());
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(error_paths(missing),
            (std::vector<std::string>{"payer_organisation", "payer_inn", "payer_kpp", "payer_address"}))
      << missing.body;

  json wrong = full_registration();
  wrong["payer_inn"] = "7707083894";  // the check digit of 7707083893 changed
  wrong["payer_kpp"] = "77360100";
  auto refused = anna->request("PUT", kBase + "/registration", json{{"answers", wrong}}.dump());
  EXPECT_EQ(refused.status, 422);
  const json details = refused.json()["error"]["details"];
  ASSERT_EQ(details.size(), 2u) << refused.body;
  EXPECT_EQ(details[0]["code"], "invalid_inn");
  EXPECT_NE(details[0]["message"].get<std::string>().find("«ИНН плательщика»"), std::string::npos) << refused.body;
  EXPECT_EQ(details[1]["code"], "invalid_kpp");

  // A person: name and address, no company requisites.
  json person = full_registration();
  person["payment_form"] = "individual";
  auto person_missing = anna->request("PUT", kBase + "/registration", json{{"answers", person}}.dump());
  EXPECT_EQ(error_paths(person_missing), std::vector<std::string>{"payer_person"}) << person_missing.body;
  person["payer_person"] = "Петрова Анна Сергеевна";
  person["payer_inn"] = "500100732259";  // a person's twelve digits: valid, yet not asked of a person
  auto saved = anna->request("PUT", kBase + "/registration", json{{"answers", person}}.dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  const json answers = saved.json()["registration"]["answers"];
  EXPECT_EQ(answers["payer_person"], "Петрова Анна Сергеевна");
  EXPECT_EQ(answers["payer_address"], "664003, г. Иркутск, ул. Ленина, д. 1");
  EXPECT_FALSE(answers.contains("payer_inn"));
  EXPECT_FALSE(answers.contains("payer_kpp"));
}

TEST_F(Intake, AnEstablishedPracticeHasRunAtLeastTwoYears) {
  auto anna = user("anna@dom.ru");
  ASSERT_EQ(anna->request("PUT", kBase + "/registration", json{{"answers", full_registration()}}.dump()).status, 200);
  // The clock says 2020: a practice begun in 2019 has not run two years.
  auto young = anna->post(kBase + "/practices", {{"section", 1}, {"type", "established"}, {"answers", complete_practice(2019)}});
  EXPECT_EQ(young.status, 422);
  EXPECT_EQ(error_paths(young), std::vector<std::string>{"relevance.started_year"}) << young.body;
  const json detail = young.json()["error"]["details"][0];
  EXPECT_EQ(detail["code"], "too_recent_for_type");
  EXPECT_EQ(detail["message"],
            "«Устоявшаяся практика» реализуется не менее 2 лет: в поле «Год начала реализации практики» укажите год "
            "не позднее 2018 или выберите другой вид практики.");

  auto created = anna->post(kBase + "/practices", {{"section", 1}, {"type", "established"}, {"answers", complete_practice(2018)}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string url = kBase + "/practices/" + std::to_string(created.json()["id"].get<int>());
  // A draft's later start year is not saved, and said why; the rest of the edit is.
  json edit = complete_practice(2019);
  edit["values"] = "Уважение и доверие";
  edit["beneficiary_reviews"] = "Отзывы семей за два года";  // item 14: the practice runs longer than a year
  auto later = anna->request("PATCH", url, json{{"answers", edit}}.dump());
  ASSERT_EQ(later.status, 200) << later.body;
  ASSERT_EQ(later.json()["unsaved"].size(), 1u) << later.body;
  EXPECT_EQ(later.json()["unsaved"][0]["path"], "relevance.started_year");
  EXPECT_EQ(later.json()["answers"]["relevance"]["started_year"], 2018);
  EXPECT_EQ(later.json()["answers"]["values"], "Уважение и доверие");
  attach_document(*anna, created.json()["id"].get<int>());
  EXPECT_EQ(anna->post(url + "/submit", json::object()).status, 200);

  // Other types have no such rule; turning a young pilot practice into an established one is refused.
  auto pilot = anna->post(kBase + "/practices", {{"section", 1}, {"type", "pilot"}, {"answers", complete_practice(2020)}});
  ASSERT_EQ(pilot.status, 201) << pilot.body;
  auto retyped = anna->request("PATCH", kBase + "/practices/" + std::to_string(pilot.json()["id"].get<int>()),
                               json{{"type", "established"}}.dump());
  EXPECT_EQ(retyped.status, 422);
  EXPECT_EQ(error_paths(retyped), std::vector<std::string>{"relevance.started_year"}) << retyped.body;
}

TEST_F(Intake, CasesAreOneToThreeAndBadValuesAreNamed) {
  auto anna = user("anna@dom.ru");
  json answers = complete_practice(2020);
  answers["cases"] = json::array({"1", "2", "3", "4"});
  answers["relevance"]["started_year"] = "давно";
  answers["organisation"]["email"] = "нет почты";
  answers["colour"] = "blue";
  auto r = anna->post(kBase + "/practices", {{"section", 1}, {"type", "pilot"}, {"answers", answers}});
  EXPECT_EQ(r.status, 422);
  auto paths = error_paths(r);
  for (const char* p : {"colour", "organisation.email", "relevance.started_year", "cases"})
    EXPECT_NE(std::find(paths.begin(), paths.end(), p), paths.end()) << p << " in " << r.body;
  EXPECT_EQ(anna->post(kBase + "/practices", {{"section", 7}, {"type", "pilot"}}).error_code(), "invalid_section");
  auto magic = anna->post(kBase + "/practices", {{"section", 1}, {"type", "magic"}});
  EXPECT_EQ(magic.error_code(), "invalid_type");
  // The types are named as the agenda names them, so another event's refusal lists its own.
  EXPECT_EQ(magic.json()["error"]["message"].get<std::string>(),
            "Выберите вид: «Инновационная практика», «Пилотная практика» или «Устоявшаяся практика».");
}

TEST_F(Intake, OthersCannotSeeAPracticeButCoAuthorsAndTheOrganiserCan) {
  auto anna = user("anna@dom.ru");
  auto id = anna->post(kBase + "/practices", {{"section", 3}, {"type", "pilot"}}).json()["id"].get<int>();
  std::string url = kBase + "/practices/" + std::to_string(id);
  ASSERT_EQ(anna->request("PATCH", url, json{{"co_authors", {"Boris@Dom.ru"}}}.dump()).status, 200);

  auto boris = user("boris@dom.ru");
  EXPECT_EQ(boris->get(url).status, 200);
  EXPECT_EQ(boris->get(kBase + "/practices/mine").json()["practices"].size(), 1u);
  EXPECT_EQ(boris->request("PATCH", url, json{{"answers", {{"name", "Моё"}}}}.dump()).error_code(), "not_owner");

  auto eve = user("eve@dom.ru");
  EXPECT_EQ(eve->get(url).status, 404);
  EXPECT_EQ(eve->get(kBase + "/intake/practices").status, 403);
  HttpClient anonymous(server_->port());
  EXPECT_EQ(anonymous.get(url).status, 401);

  auto created = run_binary({"admin", "create-user", "--data", data_.path().string(), "--email", "org@umc.ru",
                             "--role", "organiser", "--event", "irkutsk-2020"},
                            "пароль участника\n");
  ASSERT_EQ(created.status.code, 0) << created.output;
  auto org = login("org@umc.ru");
  EXPECT_EQ(org->get(url).status, 200);
  auto list = org->get(kBase + "/intake/practices?section=3");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["practices"].size(), 1u);
  EXPECT_EQ(org->get(kBase + "/intake/practices?section=1").json()["practices"].size(), 0u);
  auto csv = org->get(kBase + "/intake/practices?format=csv");
  EXPECT_EQ(csv.headers["content-type"], "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.body.find("boris@dom.ru"), std::string::npos);
  auto xlsx = org->get(kBase + "/intake/practices?section=3&format=xlsx");
  EXPECT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.headers["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
  EXPECT_EQ(org->get(kBase + "/intake/participants?format=xlsx").status, 200);
  EXPECT_EQ(org->get(kBase + "/intake/practices?format=ods").error_code(), "invalid_format");
}

TEST_F(Intake, AfterTheClosingInstantEverythingIsFrozenAndNothingIsLost) {
  auto anna = user("anna@dom.ru");
  ASSERT_EQ(anna->request("PUT", kBase + "/registration", json{{"answers", full_registration()}}.dump()).status, 200);
  auto practice = anna->post(kBase + "/practices", {{"section", 2}, {"type", "pilot"}, {"answers", complete_practice(2020)}});
  ASSERT_EQ(practice.status, 201);
  std::string url = kBase + "/practices/" + std::to_string(practice.json()["id"].get<int>());
  std::string cookie = anna->cookie_header();

  start(kIntakeClosed);
  HttpClient late(server_->port());
  std::map<std::string, std::string> with_cookie = {{"Cookie", cookie}};
  auto patch = late.request("PATCH", url, json{{"answers", {{"name", "Поздно"}}}}.dump(), with_cookie);
  EXPECT_EQ(patch.status, 409);
  EXPECT_EQ(patch.error_code(), "deadline_passed");
  EXPECT_EQ(late.request("POST", url + "/submit", "{}", with_cookie).error_code(), "deadline_passed");
  EXPECT_EQ(late.request("POST", kBase + "/practices", json{{"section", 1}, {"type", "pilot"}}.dump(), with_cookie)
                .error_code(),
            "deadline_passed");
  EXPECT_EQ(late.request("PUT", kBase + "/registration", json{{"answers", full_registration()}}.dump(), with_cookie)
                .error_code(),
            "deadline_passed");
  auto kept = late.request("GET", url, "", with_cookie);
  ASSERT_EQ(kept.status, 200);
  EXPECT_EQ(kept.json()["answers"]["name"], "Семейная гостиная");
  EXPECT_EQ(kept.json()["editable"], false);
}

}  // namespace
}  // namespace praktika::test
