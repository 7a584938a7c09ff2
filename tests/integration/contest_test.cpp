#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/bytes.h"
#include "support/media_fixtures.h"
#include "support/pdf_upload.h"
#include "support/scenario.h"
#include "support/server_process.h"
#include "support/smtp_server.h"

// The national contest on the same server as the conference (agenda/contest-2025.json): the
// application of 14 items, the subscription proof required at submission, the eligibility of past
// laureates (agenda/contest-2025/past-results.json), the jury, the laureates named by the
// organiser and their public list, published from its instant on.
namespace praktika::test {
namespace {

using nlohmann::json;

const std::string kContest = "contest-2025";
const std::string kApi = "/api/events/contest-2025";
const std::string kDuringApplications = "2024-12-10T10:00:00+03:00";
const std::string kAfterPublication = "2025-02-02T10:00:00+03:00";
// The post's deadline is 1 March 2025 (milestone diplomas_by), warned of 7 days before.
const std::string kBeforePostWarning = "2025-02-20T10:00:00+03:00";
const std::string kPostWarning = "2025-02-24T10:00:00+03:00";
const std::string kJuryChair = "chair@association.ru";
const std::string kJuryChairPassword = "пароль председателя";

HttpResult put(HttpClient& http, const std::string& url, const json& body) {
  return http.request("PUT", url, body.dump());
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

json applicant_registration(const std::string& institution) {
  return {{"institution", institution},
          {"full_name", "Ирина Соколова"},
          {"position", "Заместитель директора"},
          {"phone", "(495) 000-00-00"},
          {"consent_regulations", true},
          {"consent_personal_data", true}};
}

// Items 1-14 of the application, complete as text (item 14's scan is a separate upload).
json application(const std::string& institution, const std::string& region, const std::string& inn = "") {
  json a = {{"name", institution},
            {"head_name", "Петров Пётр Петрович"},
            {"postal_address", {{"region", region}, {"address", "123456, г. Примерный, ул. Мира, 1"}}},
            {"email", "centre@example.ru"},
            {"website", "centre.example.ru"},
            {"innovative_technologies", "Технология «Семейная мастерская», внедрена в 2022 году"},
            {"programmes_and_projects", "Проект «Серебряный возраст»"},
            {"staff_training", "Методическое объединение; разбор статей журнала «Социальное обслуживание»"},
            {"conferences", "Всероссийская конференция 2023 года, доклад о наставничестве"},
            {"external_training", "Курсы повышения квалификации, 72 часа"},
            {"publications", "Статья в журнале «Работник социальной службы», 2024"},
            {"subscription", {{"social_service", true}, {"social_worker", true}, {"agency", "Почта России"}}}};
  if (!inn.empty()) a["inn"] = inn;
  return a;
}

class Contest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Both events on one server: the conference's organiser and the contest's jury chair.
    std::string output;
    ASSERT_TRUE(create_organiser(data_.path(), &output)) << output;
    auto chair = run_binary({"admin", "create-user", "--data", data_.path().string(), "--email", kJuryChair, "--role",
                             "organiser", "--event", kContest, "--name", "Председатель жюри"},
                            kJuryChairPassword + "\n");
    ASSERT_EQ(chair.status.code, 0) << chair.output;
  }

  void start(const std::string& clock, const std::string& smtp_url = "") {
    if (server_) server_->stop();
    server_.reset();
    ServerOptions options{.data_dir = data_.path(), .clock = clock};
    options.agendas = {"agenda/irkutsk-2020.json", "agenda/contest-2025.json"};
    if (!smtp_url.empty()) options.extra_args = {"--smtp", smtp_url};
    auto started = ServerProcess::start(options);
    ASSERT_TRUE(started) << started.status().message();
    server_ = std::move(*started);
    if (people_) people_->reconnect(server_->port());
    else people_ = std::make_unique<People>(server_->port());
    chair_ = std::make_unique<HttpClient>(server_->port());
    auto login = chair_->post("/api/auth/login", {{"email", kJuryChair}, {"password", kJuryChairPassword}});
    ASSERT_EQ(login.status, 200) << login.body;
  }

  // An applicant registered for the contest creates an application with `answers`.
  HttpResult create(const std::string& email, const json& answers) {
    auto& http = people_->person(email);
    auto reg = put(http, kApi + "/registration", {{"answers", applicant_registration(answers["name"])}});
    EXPECT_EQ(reg.status, 200) << reg.body;
    // No section and no type: the contest's agenda has neither.
    return http.post(kApi + "/practices", {{"answers", answers}});
  }

  // The same, expected to succeed: the draft's id.
  int draft(const std::string& email, const json& answers) {
    auto created = create(email, answers);
    EXPECT_EQ(created.status, 201) << created.body;
    return created.status == 201 ? created.json()["id"].get<int>() : 0;
  }

  // The files every application needs: the signed letter and the subscription scan.
  void attach_required(const std::string& email, int practice) {
    attach(email, practice, "letter");
    attach(email, practice, "subscription");
  }

  // A PDF uploaded for the application with tus, as `purpose` (and answering `field` if given).
  void attach(const std::string& email, int practice, const std::string& purpose, const std::string& field = "") {
    media::testing::TempDir work;
    media::testing::write_pdf(work.path() / "scan.pdf", 3);
    std::ifstream in(work.path() / "scan.pdf", std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    std::string pdf = bytes.str();
    std::string metadata = "filename " + base64(purpose + ".pdf") + ",practice " + base64(std::to_string(practice));
    if (!field.empty()) metadata += ",field " + base64(field);
    auto& http = people_->person(email);
    auto created = send_by_tus(http, kApi + "/uploads?purpose=" + purpose, pdf, metadata);
    ASSERT_EQ(created.status, 201) << created.body;
  }

  HttpResult submit(const std::string& email, int practice) {
    return people_->person(email).post(kApi + "/practices/" + std::to_string(practice) + "/submit", json::object());
  }

  // A submitted application; with an outcome, the jury chair's decision on it.
  int decided(const std::string& email, const std::string& institution, const std::string& outcome) {
    int id = draft(email, application(institution, "irk"));
    EXPECT_GT(id, 0);
    attach_required(email, id);
    EXPECT_EQ(submit(email, id).status, 200);
    if (!outcome.empty()) {
      auto named = put(*chair_, kApi + "/review/practices/" + std::to_string(id) + "/outcome", {{"outcome", outcome}});
      EXPECT_EQ(named.status, 200) << named.body;
    }
    return id;
  }

  std::string post_url(int practice) { return kApi + "/post/" + std::to_string(practice); }

  TempDir data_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<People> people_;
  std::unique_ptr<HttpClient> chair_;
};

TEST_F(Contest, ApplicationsAreCheckedJuryScoresLaureatesArePublishedFromTheirInstant) {
  start(kDuringApplications);
  // The conference is still there, unchanged, beside the contest.
  auto events = people_->person("guest@example.ru").get("/api/events").json()["events"];
  ASSERT_EQ(events.size(), 2u) << events.dump();
  EXPECT_EQ(people_->person("guest@example.ru").get(kEventApi + "/timeline").status, 200);
  EXPECT_EQ(people_->person("guest@example.ru").get(kApi).json()["kind"], "contest");

  // A first-time applicant: without the signed letter and the subscription scan the application is refused.
  const std::string kNew = "ГБУ СО «Центр социального обслуживания «Новый»";
  int fresh = draft("new@centre.ru", application(kNew, "irk"));
  ASSERT_GT(fresh, 0);
  auto no_scan = submit("new@centre.ru", fresh);
  EXPECT_EQ(no_scan.status, 422) << no_scan.body;
  EXPECT_EQ(no_scan.error_code(), "required_file_missing");
  EXPECT_TRUE(contains(no_scan.json()["error"]["message"], "договора о подписке")) << no_scan.body;
  EXPECT_TRUE(contains(no_scan.json()["error"]["message"], "за подписью руководителя")) << no_scan.body;
  EXPECT_EQ(no_scan.json()["error"]["details"].size(), 2u) << no_scan.body;
  attach("new@centre.ru", fresh, "subscription");
  auto no_letter = submit("new@centre.ru", fresh);
  EXPECT_EQ(no_letter.error_code(), "required_file_missing") << no_letter.body;
  EXPECT_EQ(no_letter.json()["error"]["details"][0]["purpose"], "letter") << no_letter.body;
  attach("new@centre.ru", fresh, "letter");
  auto accepted = submit("new@centre.ru", fresh);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.json()["state"], "submitted");
  EXPECT_EQ(accepted.json()["payment"]["state"], "not_required");  // the contest has no fee

  // Items 6-13 may be attachments: item 6 left empty holds once a file answers it.
  const std::string kFiles = "МБУ «Комплексный центр «Гармония»";
  json by_files = application(kFiles, "sve");
  by_files.erase("innovative_technologies");
  int with_files = draft("files@garmonia.ru", by_files);
  ASSERT_GT(with_files, 0);
  attach_required("files@garmonia.ru", with_files);
  auto item6_missing = submit("files@garmonia.ru", with_files);
  EXPECT_EQ(item6_missing.error_code(), "invalid_fields") << item6_missing.body;
  EXPECT_EQ(item6_missing.json()["error"]["details"][0]["path"], "innovative_technologies") << item6_missing.body;
  attach("files@garmonia.ru", with_files, "attachment", "innovative_technologies");
  auto files_accepted = submit("files@garmonia.ru", with_files);
  ASSERT_EQ(files_accepted.status, 200) << files_accepted.body;

  // A laureate of the first contest (2022) may take part again; so may a 2023 participant.
  int first = draft("nadezhda@mos.ru",
                    application("ГБУ СО «Комплексный центр социального обслуживания населения «Надежда»", "mow"));
  attach_required("nadezhda@mos.ru", first);
  auto first_ok = submit("nadezhda@mos.ru", first);
  ASSERT_EQ(first_ok.status, 200) << first_ok.body;
  int again = draft("doverie@ural.ru", application("МБУ «Центр социального обслуживания «Доверие»", "sve", "6600000005"));
  attach_required("doverie@ural.ru", again);
  ASSERT_EQ(submit("doverie@ural.ru", again).status, 200);

  // The jury: members of the whole event, assigned to every submitted application.
  for (const char* member : {"jury1@association.ru", "jury2@association.ru"}) {
    people_->person(member);
    auto granted = chair_->post(kApi + "/roles", {{"email", member}, {"role", "expert"}});
    ASSERT_EQ(granted.status, 201) << granted.body;
  }
  auto assigned = chair_->post(kApi + "/review/assign", json::object());
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  EXPECT_EQ(assigned.json()["assigned"].size(), 8u) << assigned.body;  // 4 applications x 2 members
  auto& jury1 = people_->person("jury1@association.ru");
  auto queue = jury1.get(kApi + "/review/queue").json();
  EXPECT_EQ(queue["practices"].size(), 4u) << queue.dump();
  EXPECT_EQ(queue["criteria"].size(), 4u);
  const std::string review_url = kApi + "/review/practices/";
  // The contest's decisions are the agenda's: the conference's are not among them.
  auto wrong = put(jury1, review_url + std::to_string(fresh) + "/review", {{"decision", "present"}});
  EXPECT_EQ(wrong.error_code(), "invalid_decision");
  // Named as the agenda words them, never by their ids.
  EXPECT_TRUE(contains(wrong.json()["error"]["message"], "Лауреат Третьего Всероссийского")) << wrong.body;
  EXPECT_FALSE(contains(wrong.json()["error"]["message"], "laureate")) << wrong.body;
  auto scored = put(jury1, review_url + std::to_string(fresh) + "/review",
                    {{"decision", "laureate"}, {"scores", {{"innovation", 9}, {"own_developments", 8}}}});
  ASSERT_EQ(scored.status, 200) << scored.body;
  EXPECT_EQ(scored.json()["scores"]["innovation"], 9);
  EXPECT_EQ(put(jury1, review_url + std::to_string(with_files) + "/review", {{"decision", "participant"}}).status, 200);
  EXPECT_EQ(put(jury1, review_url + std::to_string(fresh) + "/review",
                {{"decision", "laureate"}, {"scores", {{"innovation", 11}}}})
                .error_code(),
            "invalid_scores");

  // The organiser names the laureates: outcomes in practice_outcomes with the agenda's values.
  const std::string outcome_url = kApi + "/review/practices/";
  for (auto [id, outcome] : std::vector<std::pair<int, std::string>>{
           {fresh, "laureate"}, {first, "laureate"}, {with_files, "participant"}, {again, "participant"}}) {
    auto named = put(*chair_, outcome_url + std::to_string(id) + "/outcome", {{"outcome", outcome}});
    ASSERT_EQ(named.status, 200) << named.body;
    EXPECT_EQ(named.json()["outcome"], outcome);
  }
  EXPECT_EQ(put(jury1, outcome_url + std::to_string(again) + "/outcome", {{"outcome", "laureate"}}).status, 403);
  EXPECT_EQ(chair_->get(kApi + "/review/outcomes").json()["outcomes"].size(), 4u);

  // Before the publication instant the public sees no names; the organiser sees the preview.
  HttpClient anonymous(server_->port());
  auto early = anonymous.get(kApi + "/laureates");
  ASSERT_EQ(early.status, 200) << early.body;
  EXPECT_EQ(early.json()["published"], false);
  EXPECT_TRUE(early.json()["laureates"].empty()) << early.body;
  EXPECT_EQ(early.json()["public_from"], "2025-02-01T18:00:00+03:00");
  auto preview = chair_->get(kApi + "/laureates").json();
  EXPECT_EQ(preview["laureates"].size(), 2u) << preview.dump();
  EXPECT_EQ(anonymous.get(kApi + "/laureates/export").status, 401);
  EXPECT_EQ(jury1.get(kApi + "/laureates/export").status, 403);
  // The conference has no laureate list.
  EXPECT_EQ(anonymous.get(kEventApi + "/laureates").error_code(), "no_laureates");

  // After it: everyone sees the laureates, by region, and not the participants.
  start(kAfterPublication);
  HttpClient visitor(server_->port());
  auto list = visitor.get(kApi + "/laureates");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json()["published"], true);
  auto laureates = list.json()["laureates"];
  ASSERT_EQ(laureates.size(), 2u) << list.body;
  EXPECT_EQ(laureates[0]["region"], "Иркутская область");  // sorted by region
  EXPECT_EQ(laureates[0]["values"]["name"], kNew);
  EXPECT_EQ(laureates[0]["values"]["head_name"], "Петров Пётр Петрович");
  EXPECT_EQ(laureates[1]["region"], "Москва");
  EXPECT_TRUE(contains(laureates[1]["outcome_title"], "Лауреат")) << list.body;
  EXPECT_FALSE(contains(list.body, kFiles));
  EXPECT_EQ(list.json()["columns"][0]["label"], "Полное наименование учреждения");

  // The export for the regional authorities, grouped by region.
  auto csv = chair_->get(kApi + "/laureates/export?format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_TRUE(contains(csv.headers["content-type"], "text/csv")) << csv.headers["content-type"];
  auto irkutsk = csv.body.find("Иркутская область");
  auto moscow = csv.body.find("Москва");
  ASSERT_NE(irkutsk, std::string::npos) << csv.body;
  ASSERT_NE(moscow, std::string::npos) << csv.body;
  EXPECT_LT(irkutsk, moscow);
  EXPECT_TRUE(contains(csv.body, "Субъект Российской Федерации")) << csv.body;
  EXPECT_FALSE(contains(csv.body, kFiles));
  auto xlsx = chair_->get(kApi + "/laureates/export?format=xlsx");
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");  // a zip package: the workbook
}

TEST_F(Contest, PastLaureateIsRefusedWhenTheApplicationIsCreatedAndAgainAtSubmission) {
  start(kDuringApplications);
  // A laureate of the second contest (2023), its name written differently: not before 2026.
  auto refused = create("semya@krai.ru", application("КГБУ СО \"Краевой центр социальной помощи Семья\"", "kya"));
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.error_code(), "not_eligible");
  EXPECT_TRUE(contains(refused.json()["error"]["message"], "не ранее 2026 года")) << refused.body;
  EXPECT_EQ(refused.json()["error"]["details"]["edition"], 2023);
  EXPECT_EQ(refused.json()["error"]["details"]["matched_by"], "name");
  EXPECT_TRUE(people_->person("semya@krai.ru").get(kApi + "/cabinet").json()["practices"].empty());

  // Another 2023 laureate under a new name, found by its INN.
  auto by_inn = create("zabota@mo.ru", application("ГАУ СО «Центр «Забота и участие»", "mos", "5000000004"));
  EXPECT_EQ(by_inn.error_code(), "not_eligible") << by_inn.body;
  EXPECT_EQ(by_inn.json()["error"]["details"]["matched_by"], "inn");

  // An INN changed to a past laureate's after creation: refused at submission, still a draft.
  int changed = draft("later@mo.ru", application("ГАУ СО «Центр «Забота и участие»", "mos"));
  ASSERT_GT(changed, 0);
  attach_required("later@mo.ru", changed);
  const std::string url = kApi + "/practices/" + std::to_string(changed);
  auto& later = people_->person("later@mo.ru");
  ASSERT_EQ(later.request("PATCH", url, json{{"answers", {{"inn", "5000000004"}}}}.dump()).status, 200);
  auto at_submission = submit("later@mo.ru", changed);
  EXPECT_EQ(at_submission.status, 422) << at_submission.body;
  EXPECT_EQ(at_submission.error_code(), "not_eligible");
  EXPECT_EQ(later.get(url).json()["state"], "draft");
}

// The organiser loads the real lists of earlier editions (CSV here; XLSX reads the same, see
// tests/unit/export/table_reader_test.cpp): a preview with each bad row named, then saved; from
// then on they, not the agenda's example file, decide. Names are compared after the normalisation
// of legal forms and quotes; an unsure match waits on the organiser's word instead of refusing.
TEST_F(Contest, PastResultsLoadedByTheOrganiserDecideEligibilityAndUnsureMatchesWaitForThem) {
  start(kDuringApplications);
  const std::string kCsv =
      "Учреждение;ИНН;Регион;Год конкурса;Итог\r\n"
      "ГБУ «Центр «Новый путь»;7700000100;Москва;2023;Лауреат\r\n"
      "Областное государственное бюджетное учреждение социального обслуживания «Центр помощи детям «Маяк»;;"
      "Иркутская область;2023;лауреат\r\n"
      "ОГБУСО «Комплексный центр «Рассвет»;3800000300;Иркутская область;2023;лауреат\r\n"
      "Центр «Ошибка»;12;;2023;призёр\r\n";
  const std::map<std::string, std::string> kBinary = {{"Content-Type", "application/octet-stream"}};
  const std::string preview_url = kApi + "/contest/past-results/preview?format=csv";
  const std::string save_url = kApi + "/contest/past-results?format=csv";

  // Only the organiser.
  EXPECT_EQ(HttpClient(server_->port()).request("POST", preview_url, kCsv, kBinary).status, 401);
  EXPECT_EQ(people_->person("stranger@mo.ru").request("POST", save_url, kCsv, kBinary).status, 403);
  EXPECT_EQ(people_->person("stranger@mo.ru").get(kApi + "/contest/matches").status, 403);
  EXPECT_EQ(chair_->get(kApi + "/contest/past-results").json()["source"], "file");

  auto preview = chair_->request("POST", preview_url, kCsv, kBinary);
  ASSERT_EQ(preview.status, 200) << preview.body;
  auto read = preview.json();
  EXPECT_EQ(read["rows"].size(), 3u) << preview.body;
  ASSERT_EQ(read["errors"].size(), 1u) << preview.body;
  EXPECT_EQ(read["errors"][0]["row"], 5);
  EXPECT_TRUE(contains(read["errors"][0]["message"], "Строка 5: ИНН «12» — нужно 10 или 12 цифр")) << preview.body;
  EXPECT_TRUE(contains(read["errors"][0]["message"], "итог «призёр» не распознан")) << preview.body;
  EXPECT_EQ(read["rows"][0]["outcome"], "laureate");
  EXPECT_EQ(chair_->get(kApi + "/contest/past-results").json()["source"], "file") << "a preview stores nothing";

  auto saved = chair_->request("POST", save_url, kCsv, kBinary);
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(saved.json()["saved"], 3);
  EXPECT_EQ(saved.json()["skipped"], 1);
  EXPECT_EQ(saved.json()["source"], "loaded");
  EXPECT_EQ(saved.json()["editions"], json::parse(R"([{"edition": 2023, "count": 3}])"));

  // Sure matches are refused: by the name written another way, by the INN under another name.
  auto by_name = create("mayak@irk.ru", application("ОГБУСО \"Центр помощи детям \"Маяк\"", "irk"));
  EXPECT_EQ(by_name.error_code(), "not_eligible") << by_name.body;
  EXPECT_EQ(by_name.json()["error"]["details"]["matched_by"], "name");
  auto by_inn = create("put@msk.ru", application("Центр социального обслуживания «Новый путь»", "mow", "7700000100"));
  EXPECT_EQ(by_inn.error_code(), "not_eligible") << by_inn.body;
  EXPECT_EQ(by_inn.json()["error"]["details"]["matched_by"], "inn");
  // The example file no longer counts: its 2023 laureate may apply.
  EXPECT_GT(draft("semya@krai.ru", application("КГБУ СО «Краевой центр социальной помощи «Семья»", "kya")), 0);

  // Unsure: the same name under another INN, and a name close to a past one. Both may go on.
  int other_inn = draft("rassvet@irk.ru", application("ОГБУСО «Комплексный центр «Рассвет»", "irk", "3800000399"));
  int similar = draft("mayachok@irk.ru", application("Центр помощи детям «Маячок»", "irk"));
  ASSERT_GT(other_inn, 0);
  ASSERT_GT(similar, 0);
  auto listed = chair_->get(kApi + "/contest/matches");
  ASSERT_EQ(listed.status, 200) << listed.body;
  auto matches = listed.json()["matches"];
  ASSERT_EQ(matches.size(), 2u) << listed.body;
  std::map<int, json> by_practice;
  for (const auto& m : matches) by_practice[m["practice"].get<int>()] = m;
  EXPECT_EQ(by_practice[other_inn]["kind"], "name_other_inn");
  EXPECT_EQ(by_practice[similar]["kind"], "similar_name");
  EXPECT_TRUE(by_practice[similar]["decision"].is_null());
  EXPECT_EQ(by_practice[similar]["past"]["edition"], 2023);

  const std::string decide = kApi + "/contest/matches/";
  auto put_decision = [&](int practice, const std::string& key, const std::string& decision) {
    return chair_->request("PUT", decide + std::to_string(practice), json{{"past_key", key}, {"decision", decision}}.dump());
  };
  EXPECT_EQ(put_decision(other_inn, "2023|laureate||нет", "confirmed").status, 404);
  EXPECT_EQ(put_decision(other_inn, by_practice[other_inn]["past_key"], "maybe").status, 422);
  EXPECT_EQ(people_->person("rassvet@irk.ru")
                .request("PUT", decide + std::to_string(other_inn),
                         json{{"past_key", by_practice[other_inn]["past_key"]}, {"decision", "dismissed"}}.dump())
                .status,
            403);
  auto confirmed = put_decision(other_inn, by_practice[other_inn]["past_key"], "confirmed");
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.json()["decision"], "confirmed");
  ASSERT_EQ(put_decision(similar, by_practice[similar]["past_key"], "dismissed").status, 200);

  // Confirmed: the rule applies at submission. Dismissed: another institution, submitted.
  attach_required("rassvet@irk.ru", other_inn);
  auto refused = submit("rassvet@irk.ru", other_inn);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.error_code(), "not_eligible");
  EXPECT_EQ(refused.json()["error"]["details"]["matched_by"], "confirmed");
  attach_required("mayachok@irk.ru", similar);
  auto accepted = submit("mayachok@irk.ru", similar);
  EXPECT_EQ(accepted.status, 200) << accepted.body;
  auto after = chair_->get(kApi + "/contest/matches").json()["matches"];
  for (const auto& m : after) EXPECT_FALSE(m["decision"].is_null()) << m.dump();
}

TEST_F(Contest, BadPastResultUploadsAreRefusedWithAReason) {
  start(kDuringApplications);
  const std::map<std::string, std::string> kBinary = {{"Content-Type", "application/octet-stream"}};
  const std::string preview = kApi + "/contest/past-results/preview";
  // A quote left open.
  auto malformed = chair_->request("POST", preview + "?format=csv", "Учреждение;Год\n\"Центр;2023\n", kBinary);
  EXPECT_EQ(malformed.status, 422) << malformed.body;
  EXPECT_EQ(malformed.error_code(), "invalid_csv");
  // Called .xlsx but not a ZIP.
  auto not_zip = chair_->request("POST", preview + "?format=xlsx", "Учреждение;Год\nЦентр;2023\n", kBinary);
  EXPECT_EQ(not_zip.status, 422) << not_zip.body;
  EXPECT_EQ(not_zip.error_code(), "not_xlsx");
  // A ZIP's signature and nothing of a ZIP after it.
  auto broken = chair_->request("POST", preview, std::string("PK\x03\x04", 4) + std::string(200, 'x'), kBinary);
  EXPECT_EQ(broken.status, 422) << broken.body;
  EXPECT_EQ(broken.error_code(), "damaged_xlsx");
  // Far more than any list: refused before it is read.
  auto huge = chair_->request("POST", preview + "?format=csv", std::string(5u << 20, 'a'), kBinary);
  EXPECT_EQ(huge.status, 413) << huge.body.substr(0, 300);
  EXPECT_EQ(chair_->request("POST", preview + "?format=pdf", "a;b\n", kBinary).status, 400);
  // Nothing valid: nothing saved, the example file still decides.
  auto nothing = chair_->request("POST", kApi + "/contest/past-results?format=csv", "Центр;;;;\n", kBinary);
  EXPECT_EQ(nothing.status, 422) << nothing.body;
  EXPECT_EQ(nothing.error_code(), "no_valid_rows");
  EXPECT_EQ(chair_->get(kApi + "/contest/past-results").json()["source"], "file");
  // The conference has no such rules.
  EXPECT_EQ(people_->organiser().get(kEventApi + "/contest/past-results").status, 404);
}

TEST_F(Contest, SecondApplicationOfTheSameInstitutionIsRefused) {
  start(kDuringApplications);
  int first = draft("one@centre.ru", application("МБУ «Центр «Радуга»", "irk", "3800000111"));
  ASSERT_GT(first, 0);
  // The same INN under another name, then the same name (normalised) without an INN.
  auto same_inn = create("two@centre.ru", application("Муниципальное бюджетное учреждение «Радуга»", "irk", "38 0000 0111"));
  EXPECT_EQ(same_inn.status, 409) << same_inn.body;
  EXPECT_EQ(same_inn.error_code(), "already_applied");
  EXPECT_TRUE(contains(same_inn.json()["error"]["message"], "№ " + std::to_string(first))) << same_inn.body;
  EXPECT_EQ(same_inn.json()["error"]["details"]["matched_by"], "inn");
  auto same_name = create("three@centre.ru", application("МБУ \"Центр \"Радуга\"", "irk"));
  EXPECT_EQ(same_name.error_code(), "already_applied") << same_name.body;
  // Another institution of a similar name but its own INN is welcome.
  EXPECT_GT(draft("four@centre.ru", application("МБУ «Центр «Радуга»", "irk", "3800000222")), 0);
}

TEST_F(Contest, ApplicantSeesTheDecisionOnlyFromThePublicationInstant) {
  start(kDuringApplications);
  int id = draft("wait@centre.ru", application("ГБУ СО «Центр «Ожидание»", "irk"));
  ASSERT_GT(id, 0);
  attach_required("wait@centre.ru", id);
  ASSERT_EQ(submit("wait@centre.ru", id).status, 200);
  auto named = put(*chair_, kApi + "/review/practices/" + std::to_string(id) + "/outcome", {{"outcome", "laureate"}});
  ASSERT_EQ(named.status, 200) << named.body;

  auto& applicant = people_->person("wait@centre.ru");
  const std::string url = kApi + "/practices/" + std::to_string(id);
  auto cabinet = applicant.get(kApi + "/cabinet").json();
  ASSERT_EQ(cabinet["practices"].size(), 1u) << cabinet.dump();
  EXPECT_TRUE(cabinet["practices"][0]["outcome"].is_null()) << cabinet.dump();
  EXPECT_FALSE(contains(applicant.get(kApi + "/cabinet").body, "laureate"));
  EXPECT_FALSE(contains(applicant.get(url).body, "laureate"));
  // Nor do the letters tell it early.
  auto letters = chair_->post(kApi + "/review/notifications", json::object());
  EXPECT_EQ(letters.status, 409) << letters.body;
  EXPECT_EQ(letters.error_code(), "outcomes_not_public");

  start(kAfterPublication);
  auto& after = people_->person("wait@centre.ru");
  EXPECT_EQ(after.get(kApi + "/cabinet").json()["practices"][0]["outcome"]["outcome"], "laureate");
  EXPECT_EQ(chair_->post(kApi + "/review/notifications", json::object()).status, 200);
  EXPECT_EQ(after.get(url).json()["outcome"]["outcome"], "laureate");
}

// Clause 5: diplomas to laureates and certificates to the others by post by 1 March. The address
// list names every decided application with its document, the organiser marks each sent with its
// day (and undoes it), and the list downloads as CSV with Russian column titles.
TEST_F(Contest, PostListsEveryRecipientWithItsDocumentAndTheOrganiserMarksEachSent) {
  start(kDuringApplications);
  const std::string kLaureate = "ГБУ СО «Центр «Почта-Лауреат»";
  const std::string kParticipant = "ГБУ СО «Центр «Почта-Участник»";
  int laureate = decided("laureate@post.ru", kLaureate, "laureate");
  int participant = decided("participant@post.ru", kParticipant, "participant");
  int undecided = decided("undecided@post.ru", "ГБУ СО «Центр «Без решения»", "");

  start(kPostWarning);
  auto list = chair_->get(kApi + "/post");
  ASSERT_EQ(list.status, 200) << list.body;
  auto body = list.json();
  EXPECT_EQ(body["deadline"]["text"], "до 1 марта 2025 г.");
  EXPECT_EQ(body["deadline"]["at"], "2025-03-01T00:00:00+03:00");
  EXPECT_EQ(body["deadline"]["warn_from"], "2025-02-22T00:00:00+03:00");
  EXPECT_EQ(body["to_send"], 2);
  ASSERT_EQ(body["recipients"].size(), 2u) << list.body;
  std::map<int, json> by_id;
  for (const auto& r : body["recipients"]) by_id[r["practice"].get<int>()] = r;
  EXPECT_EQ(by_id[laureate]["document"], "Именной диплом лауреата");
  EXPECT_EQ(by_id[laureate]["institution"], kLaureate);
  EXPECT_EQ(by_id[laureate]["head"], "Петров Пётр Петрович");
  EXPECT_EQ(by_id[laureate]["address"], "123456, г. Примерный, ул. Мира, 1, Иркутская область");
  EXPECT_EQ(by_id[participant]["document"], "Сертификат участника");
  EXPECT_FALSE(by_id.contains(undecided));

  auto marked = put(*chair_, post_url(laureate), {{"sent_on", "2025-02-23"}});
  ASSERT_EQ(marked.status, 200) << marked.body;
  EXPECT_EQ(marked.json()["sent_on"], "2025-02-23");
  EXPECT_EQ(chair_->get(kApi + "/post").json()["to_send"], 1);
  // Marking again moves the day; undoing puts it back on the list to send.
  EXPECT_EQ(put(*chair_, post_url(laureate), {{"sent_on", "2025-02-24"}}).json()["sent_on"], "2025-02-24");
  auto undone = chair_->request("DELETE", post_url(participant), "");
  ASSERT_EQ(undone.status, 200) << undone.body;
  EXPECT_TRUE(undone.json()["sent_on"].is_null());

  // The mark outlives a restart; the CSV is the address list with the day sent.
  start(kPostWarning);
  EXPECT_EQ(chair_->get(kApi + "/post").json()["to_send"], 1);
  auto csv = chair_->get(kApi + "/post/export?format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_TRUE(contains(csv.headers["content-type"], "text/csv")) << csv.headers["content-type"];
  for (const char* title : {"№ заявки", "Учреждение", "Руководитель", "Почтовый адрес", "Документ", "Отправлен"})
    EXPECT_TRUE(contains(csv.body, title)) << title << "\n" << csv.body;
  EXPECT_TRUE(contains(csv.body, "2025-02-24")) << csv.body;
  EXPECT_TRUE(contains(csv.body, "Сертификат участника")) << csv.body;
  EXPECT_EQ(chair_->get(kApi + "/post/export?format=xlsx").body.substr(0, 2), "PK");

  auto undone_again = chair_->request("DELETE", post_url(laureate), "");
  ASSERT_EQ(undone_again.status, 200) << undone_again.body;
  EXPECT_EQ(chair_->get(kApi + "/post").json()["to_send"], 2);
}

TEST_F(Contest, PostRefusesBadDaysStrangersAndApplicationsWithoutDecision) {
  start(kDuringApplications);
  int laureate = decided("laureate@bad.ru", "ГБУ СО «Центр «Проверка»", "laureate");
  int undecided = decided("undecided@bad.ru", "ГБУ СО «Центр «Без решения»", "");
  start(kPostWarning);

  auto invalid = [&](const json& body, int status, const std::string& code) {
    auto r = chair_->request("PUT", post_url(laureate), body.dump());
    EXPECT_EQ(r.status, status) << body.dump() << " " << r.body;
    EXPECT_EQ(r.error_code(), code) << body.dump() << " " << r.body;
    return r;
  };
  auto day = invalid({{"sent_on", "2025-02-30"}}, 422, "invalid_date");
  EXPECT_TRUE(contains(day.json()["error"]["message"], "ГГГГ-ММ-ДД")) << day.body;
  invalid({{"sent_on", "24.02.2025"}}, 422, "invalid_date");
  auto future = invalid({{"sent_on", "2025-02-25"}}, 422, "date_in_future");
  EXPECT_TRUE(contains(future.json()["error"]["message"], "ещё не наступил")) << future.body;
  invalid(json::object(), 422, "invalid_field");
  invalid({{"sent_on", 20250224}}, 422, "invalid_field");
  auto not_json = chair_->request("PUT", post_url(laureate), "{");
  EXPECT_EQ(not_json.status, 400) << not_json.body;

  auto no_decision = chair_->request("PUT", post_url(undecided), json{{"sent_on", "2025-02-24"}}.dump());
  EXPECT_EQ(no_decision.status, 404) << no_decision.body;
  EXPECT_EQ(no_decision.error_code(), "not_a_recipient");
  EXPECT_EQ(chair_->request("DELETE", post_url(undecided), "").error_code(), "not_a_recipient");
  EXPECT_EQ(chair_->request("PUT", kApi + "/post/abc", json{{"sent_on", "2025-02-24"}}.dump()).error_code(),
            "practice_not_found");
  EXPECT_EQ(chair_->get(kApi + "/post").json()["to_send"], 1);

  // Only the contest's organiser: strangers 401, the applicant 403, the conference has no post.
  HttpClient anonymous(server_->port());
  EXPECT_EQ(anonymous.get(kApi + "/post").status, 401);
  EXPECT_EQ(anonymous.request("PUT", post_url(laureate), json{{"sent_on", "2025-02-24"}}.dump()).status, 401);
  auto& applicant = people_->person("laureate@bad.ru");
  EXPECT_EQ(applicant.get(kApi + "/post").status, 403);
  EXPECT_EQ(applicant.get(kApi + "/post/export").status, 403);
  EXPECT_EQ(applicant.request("PUT", post_url(laureate), json{{"sent_on", "2025-02-24"}}.dump()).status, 403);
  EXPECT_EQ(applicant.request("DELETE", post_url(laureate), "").status, 403);
  EXPECT_EQ(applicant.get(kApi + "/reminders").status, 403);
  HttpClient conference(server_->port());
  ASSERT_EQ(conference.post("/api/auth/login", {{"email", kOrganiserEmail}, {"password", kOrganiserPassword}}).status, 200);
  EXPECT_EQ(conference.get(kEventApi + "/post").error_code(), "no_post");
  EXPECT_EQ(conference.get(kApi + "/post").status, 403);
  EXPECT_EQ(chair_->get(kApi + "/post/export?format=json").error_code(), "invalid_format");
  EXPECT_EQ(chair_->get(kApi + "/post").json()["to_send"], 1);
}

// Issue 16: from warn_days_before (7) days before diplomas_by the desk says what is left and the
// organiser gets one letter through the outbox, whether the window opens while the server runs
// (the timeline ticker's alarm) or while it was down (caught up at start), never twice.
TEST_F(Contest, OrganiserIsWarnedOnceBeforeThePostDeadline) {
  TempDir mail_dir;
  auto smtp = SmtpServer::start(mail_dir.path());
  ASSERT_TRUE(smtp) << smtp.status().message();
  start(kDuringApplications, (*smtp)->url());
  int laureate = decided("laureate@warn.ru", "ГБУ СО «Центр «Напоминание»", "laureate");
  decided("participant@warn.ru", "ГБУ СО «Центр «Участие»", "participant");

  // Before the window: no notice on the desk.
  start(kBeforePostWarning, (*smtp)->url());
  auto quiet = chair_->get(kApi + "/reminders");
  ASSERT_EQ(quiet.status, 200) << quiet.body;
  EXPECT_TRUE(quiet.json()["warnings"].empty()) << quiet.body;

  // The window opens two seconds after the start: the ticker wakes there and the letter goes.
  start("2025-02-21T23:59:58+03:00", (*smtp)->url());
  auto mails = (*smtp)->wait_for(1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].rcpt_to, std::vector<std::string>{kJuryChair});
  EXPECT_TRUE(contains(mails[0].subject, "до 1 марта 2025 г.")) << mails[0].subject;
  EXPECT_TRUE(contains(mails[0].body, "документы, не отправленные по почте: 2")) << mails[0].body;
  auto desk = chair_->get(kApi + "/reminders").json()["warnings"];
  ASSERT_EQ(desk.size(), 1u) << desk.dump();
  EXPECT_EQ(desk[0]["milestone"], "diplomas_by");
  EXPECT_EQ(desk[0]["deadline_text"], "до 1 марта 2025 г.");
  EXPECT_EQ(desk[0]["passed"], false);
  EXPECT_EQ(desk[0]["left"][0]["count"], 2);

  // Restarted inside the window: the catch-up at start finds the letter already queued.
  start(kPostWarning, (*smtp)->url());
  auto health = chair_->get("/api/health").json();
  EXPECT_EQ(health["mail"]["pending"].get<int>() + health["mail"]["sent"].get<int>(), 1) << health.dump();
  ASSERT_EQ(put(*chair_, post_url(laureate), {{"sent_on", "2025-02-24"}}).status, 200);
  EXPECT_EQ(chair_->get(kApi + "/reminders").json()["warnings"][0]["left"][0]["count"], 1);
  EXPECT_EQ((*smtp)->messages().size(), 1u);
}

}  // namespace
}  // namespace praktika::test

namespace praktika::test {
namespace {

// Each event names its own thing, in its gender, where one is not there: the conference a
// practice, the contest an application, the seminar of tests/fixtures a (masculine) report.
TEST(EventWords, ANumberThatIsNoneIsRefusedInEachEventsOwnWord) {
  TempDir data;
  ServerOptions options{.data_dir = data.path(), .clock = kDuringApplications};
  options.agendas = {"agenda/irkutsk-2020.json", "agenda/contest-2025.json", "tests/fixtures/agenda/seminar-2021.json"};
  auto started = ServerProcess::start(options);
  ASSERT_TRUE(started) << started.status().message();
  People people((*started)->port());
  auto& reader = people.person("reader@words.ru", "Читатель Слов");
  auto refusal = [&](const std::string& event) {
    auto r = reader.get("/api/events/" + event + "/practices/999");
    EXPECT_EQ(r.status, 404) << r.body;
    return r.json()["error"]["message"].get<std::string>();
  };
  EXPECT_EQ(refusal("irkutsk-2020"), "Практика не найдена.");
  EXPECT_EQ(refusal("contest-2025"), "Заявка не найдена.");
  EXPECT_EQ(refusal("seminar-2021"), "Доклад не найден.");
  EXPECT_EQ(reader.get("/api/events/seminar-2021/practices/x").json()["error"]["message"], "Под таким номером ничего не найдено.");
}

}  // namespace
}  // namespace praktika::test
