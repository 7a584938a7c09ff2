// After the event: certificates and diplomas chosen by the agenda's rules, read back with poppler;
// their public verification; the bulk job with progress over the WebSocket and exactly one letter
// per recipient at a real SMTP server, across a restart; the proceedings' table of contents.
#include <gtest/gtest.h>
#include <poppler-document.h>
#include <poppler-page.h>

#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "support/scenario.h"
#include "support/server_process.h"
#include "support/stage_server.h"
#include "support/test_store.h"
#include "support/smtp_server.h"

namespace praktika::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const std::string kAfterEvent = "2020-07-20T10:00:00+08:00";
const std::string kTopic = "certificates:" + kEventId;

std::string pdf_text(const std::string& bytes, int first_page = 0, int last_page = 1000) {
  std::vector<char> data(bytes.begin(), bytes.end());
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_data(&data));
  if (!doc) return {};
  std::string out;
  for (int i = first_page; i < doc->pages() && i <= last_page; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    auto utf8 = page->text().to_utf8();
    out.append(utf8.begin(), utf8.end());
    out += "\n";
  }
  return out;
}

int pdf_pages(const std::string& bytes) {
  std::vector<char> data(bytes.begin(), bytes.end());
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_data(&data));
  return doc ? doc->pages() : 0;
}

// poppler breaks lines where the PDF does; compare with all white space removed.
std::string squeeze(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') out += c;
  return out;
}

bool has(const std::string& text, const std::string& part) { return squeeze(text).find(squeeze(part)) != std::string::npos; }

// The laureate test agenda: agenda/irkutsk-2020.json with tests/fixtures/agenda/certificates-laureate.patch.json.
std::filesystem::path laureate_agenda(const TempDir& dir) {
  std::ifstream base(source_dir() / "agenda/irkutsk-2020.json");
  std::ifstream patch(source_dir() / "tests/fixtures/agenda/certificates-laureate.patch.json");
  json agenda = json::parse(base);
  agenda.merge_patch(json::parse(patch));
  auto file = dir / "laureate.json";
  std::ofstream(file) << agenda.dump(2);
  return file;
}

class Certificates : public StageServerTest {
 protected:
  void start(const std::string& clock, std::vector<std::string> agendas = {"agenda/irkutsk-2020.json"},
             bool with_smtp = true) {
    start_server({.clock = clock, .agendas = std::move(agendas)}, with_smtp);
  }

  // Polls the organiser's view of the job until it is done.
  json wait_job_done(std::chrono::seconds timeout = 60s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    json job;
    while (std::chrono::steady_clock::now() < deadline) {
      job = people_->organiser().get(kEventApi + "/certificates/jobs/current").json()["job"];
      if (job.is_object() && job["state"] == "done") return job;
      std::this_thread::sleep_for(200ms);
    }
    return job;
  }

  // The organiser's outcomes for three practices, in order: present, gallery, rejected.
  void decide_present_gallery_rejected(const std::vector<int>& ids) {
    const std::vector<std::string> outcomes = {"present", "gallery", "rejected"};
    for (size_t i = 0; i < ids.size() && i < outcomes.size(); ++i) {
      json body = {{"outcome", outcomes[i]}};
      if (outcomes[i] == "rejected") body["reason"] = "Не по теме секции";
      auto r = people_->organiser().request(
          "PUT", kEventApi + "/review/practices/" + std::to_string(ids[i]) + "/outcome", body.dump());
      ASSERT_EQ(r.status, 200) << r.body;
    }
  }

  std::unique_ptr<WsClient> organiser_socket() {
    WsClient::Options o;
    o.cookie = people_->organiser().cookie_header();
    return WsClient::connect(server_->port(), o);
  }

  TempDir agenda_dir_;
};

// Three authors: one whose outcome the test agenda treats as a laureate's (a named diploma with
// the institution and its head), one admitted to the gallery and one rejected (participant
// certificates). Each PDF says the right Cyrillic name, its number verifies in public, each
// letter carries its PDF once, the proceedings list exactly the admitted practices.
TEST_F(Certificates, DocumentsFollowTheAgendasRulesVerifyAndTheProceedingsListTheAdmitted) {
  auto agenda = laureate_agenda(agenda_dir_).string();
  start(kDuringIntake, {agenda});
  People& people = *people_;
  struct Author {
    std::string email, name, institution, practice;
  };
  const std::vector<Author> authors = {
      {"anna@dom.ru", "Анна Сергеевна Иванова", "ОГБУСО «Центр помощи детям»", "Семейная гостиная"},
      {"boris@dom.ru", "Борис Петрович Ёлкин", "МБУ «Семья»", "Школа приёмных родителей"},
      {"vera@dom.ru", "Вера Ильинична Щукина", "ОГКУ «Социальный приют»", "Клуб выходного дня"}};
  std::vector<int> ids;
  for (const auto& a : authors) {
    int id = submit_practice(people, {.author_email = a.email, .institution = a.institution, .name = a.practice});
    ASSERT_GT(id, 0);
    ids.push_back(id);
    // The name as the author wrote it in the application (the scenario put the e-mail there).
    auto reg = people.person(a.email).request(
        "PUT", kEventApi + "/registration",
        json{{"answers", registration_answers(a.name, a.email, a.institution, 1)}}.dump());
    ASSERT_EQ(reg.status, 200) << reg.body;
  }
  people.person("nobody@dom.ru", "Посторонний Человек");

  start(kDuringReview, {agenda});
  ASSERT_NO_FATAL_FAILURE(decide_present_gallery_rejected(ids));

  start(kAfterEvent, {agenda});
  // Only the organiser may follow the job.
  auto stranger_ws = WsClient::connect(server_->port(), {.cookie = people.person("nobody@dom.ru").cookie_header()});
  ASSERT_TRUE(stranger_ws);
  EXPECT_EQ(stranger_ws->call({{"op", "subscribe"}, {"topic", kTopic}})["error"]["code"], "forbidden");
  EXPECT_EQ(people.person("nobody@dom.ru").post(kEventApi + "/certificates/jobs", json::object()).status, 403);

  auto ws = organiser_socket();
  ASSERT_TRUE(ws);
  auto sub = ws->call({{"op", "subscribe"}, {"topic", kTopic}});
  ASSERT_TRUE(sub.value("ok", false)) << sub.dump();
  EXPECT_TRUE(sub["data"]["job"].is_null());
  auto started = people.organiser().post(kEventApi + "/certificates/jobs", {{"send_mail", true}});
  ASSERT_EQ(started.status, 202) << started.body;
  EXPECT_EQ(started.json()["job"]["total"], 3);
  auto job = wait_job_done();
  ASSERT_EQ(job["state"], "done") << job.dump();
  EXPECT_EQ(job["done"], 3);
  EXPECT_EQ(job["failed"], 0);
  bool saw_done = false;
  while (auto e = ws->next_event(kTopic, "progress", 2s))
    if ((*e)["data"]["state"] == "done") saw_done = true;
  EXPECT_TRUE(saw_done);

  std::map<std::string, std::string> number_of;
  for (size_t i = 0; i < authors.size(); ++i) {
    auto& http = people.person(authors[i].email);
    auto mine = http.get(kEventApi + "/certificates/mine");
    ASSERT_EQ(mine.status, 200) << mine.body;
    auto list = mine.json()["certificates"];
    ASSERT_EQ(list.size(), 1u) << mine.body;
    std::string number = list[0]["number"];
    number_of[authors[i].email] = number;
    EXPECT_EQ(number.size(), 19u);  // XXXX-XXXX-XXXX-XXXX

    auto pdf = http.get(list[0]["url"].get<std::string>());
    ASSERT_EQ(pdf.status, 200);
    ASSERT_EQ(pdf.body.substr(0, 5), "%PDF-");
    std::string text = pdf_text(pdf.body);
    EXPECT_TRUE(has(text, number)) << text;

    auto verified = HttpClient(server_->port()).get("/api/certificates/" + number);
    ASSERT_EQ(verified.status, 200) << verified.body;
    auto v = verified.json();
    EXPECT_EQ(v["valid"], true);
    EXPECT_EQ(v["full_name"], authors[i].name);
    EXPECT_EQ(v["institution"], authors[i].institution);
    // What the number certifies, as issued: the role and the practice with its section.
    EXPECT_EQ(v["role"], "автор практики");
    ASSERT_EQ(v["practices"].size(), 1u) << v.dump();
    EXPECT_EQ(v["practices"][0]["title"], authors[i].practice);
    EXPECT_EQ(v["practices"][0]["section"], 1);
    EXPECT_FALSE(v["practices"][0]["section_title"].get<std::string>().empty()) << v.dump();
    if (i == 0) {
      // The laureate: a diploma naming the institution and its head, not the person.
      EXPECT_EQ(v["template"], "diploma");
      EXPECT_EQ(v["document"], "Диплом лауреата");
      EXPECT_TRUE(has(text, "ДИПЛОМ ЛАУРЕАТА")) << text;
      EXPECT_TRUE(has(text, authors[i].institution)) << text;
      EXPECT_TRUE(has(text, "руководитель — Анна Петрова")) << text;
      // The title in the genitive, as the regulations word the diploma, not the nominative title quoted.
      EXPECT_TRUE(has(text, "лауреат Третьего Всероссийского отраслевого конкурса «Учреждение устойчивого инновационного развития»"))
          << text;
    } else {
      EXPECT_EQ(v["template"], "participant");
      EXPECT_TRUE(has(text, "СЕРТИФИКАТ")) << text;
      EXPECT_TRUE(has(text, authors[i].name)) << text;
      EXPECT_TRUE(has(text, authors[i].practice)) << text;
    }
    // The QR code's page is the web app's, served for any such path.
    auto page = HttpClient(server_->port()).get("/verify/" + number);
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("<div id=\"app\""), std::string::npos) << page.body.substr(0, 300);
    // Typed in lower case and without dashes, the number still verifies.
    std::string typed;
    for (char c : number)
      if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(HttpClient(server_->port()).get("/api/certificates/" + typed).status, 200);
  }
  EXPECT_EQ(HttpClient(server_->port()).get("/api/certificates/0000-0000-0000-0000").error_code(), "certificate_not_found");
  EXPECT_EQ(HttpClient(server_->port()).get("/api/certificates/nonsense").status, 404);
  // Someone else's document is not there for a stranger; the organiser may fetch any.
  EXPECT_EQ(people.person("nobody@dom.ru").get("/api/certificates/" + number_of["anna@dom.ru"] + "/file").status, 404);
  EXPECT_EQ(people.organiser().get("/api/certificates/" + number_of["anna@dom.ru"] + "/file").status, 200);
  EXPECT_TRUE(people.person("nobody@dom.ru").get(kEventApi + "/certificates/mine").json()["certificates"].empty());

  // One letter each, to the e-mail of the application, with the PDF attached.
  auto mails = smtp_->wait_for(3);
  ASSERT_EQ(mails.size(), 3u);
  std::set<std::string> to;
  for (const auto& m : mails) {
    ASSERT_EQ(m.rcpt_to.size(), 1u);
    to.insert(m.rcpt_to[0]);
    ASSERT_EQ(m.attachments.size(), 1u) << m.content_type;
    EXPECT_EQ(m.attachments[0].content_type, "application/pdf");
    EXPECT_EQ(m.attachments[0].head, "%PDF-");
    EXPECT_GT(m.attachments[0].size, 1000u);
    EXPECT_NE(m.content_type.find("multipart/mixed"), std::string::npos);
    EXPECT_NE(m.body.find("/verify/"), std::string::npos) << m.body;
  }
  EXPECT_EQ(to, (std::set<std::string>{"anna@dom.ru", "boris@dom.ru", "vera@dom.ru"}));
  const std::string diploma_number = number_of["anna@dom.ru"];
  bool diploma_named = false;
  for (const auto& m : mails)
    if (m.rcpt_to[0] == "anna@dom.ru") diploma_named = m.attachments[0].name == "Диплом " + diploma_number + ".pdf";
  EXPECT_TRUE(diploma_named);

  // A second run changes nothing and sends nothing.
  ASSERT_EQ(people.organiser().post(kEventApi + "/certificates/jobs", json::object()).status, 202);
  EXPECT_EQ(wait_job_done()["total"], 0);
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(smtp_->messages().size(), 3u);

  // The organiser's ZIP holds every document.
  auto zip = people.organiser().get(kEventApi + "/certificates/archive");
  ASSERT_EQ(zip.status, 200);
  EXPECT_EQ(zip.body.substr(0, 2), "PK");
  EXPECT_EQ(people.person("anna@dom.ru").get(kEventApi + "/certificates/archive").status, 403);

  // The proceedings: the admitted two in the contents (page 2), the rejected one nowhere.
  auto proceedings = people.person("boris@dom.ru").get(kEventApi + "/proceedings");
  ASSERT_EQ(proceedings.status, 200) << proceedings.body;
  ASSERT_EQ(proceedings.body.substr(0, 5), "%PDF-");
  std::string contents = pdf_text(proceedings.body, 1, 1);
  EXPECT_TRUE(has(contents, "Содержание")) << contents;
  EXPECT_TRUE(has(contents, "Семейная гостиная")) << contents;
  EXPECT_TRUE(has(contents, "Школа приёмных родителей")) << contents;
  EXPECT_FALSE(has(pdf_text(proceedings.body), "Клуб выходного дня"));
  // The title page: «в рамках» asks the genitive.
  EXPECT_TRUE(has(pdf_text(proceedings.body, 0, 0), "в рамках Областной выставки-форума")) << pdf_text(proceedings.body, 0, 0);
  EXPECT_TRUE(has(pdf_text(proceedings.body), "Рекомендации для организаций, желающих реализовать данную практику"));
  EXPECT_EQ(people.person("nobody@dom.ru").get(kEventApi + "/proceedings").status, 403);
  int pages_before = pdf_pages(proceedings.body);

  // An outcome changes: the collection is built again with the newly admitted practice.
  auto changed = people.organiser().request(
      "PUT", kEventApi + "/review/practices/" + std::to_string(ids[2]) + "/outcome", json{{"outcome", "gallery"}}.dump());
  ASSERT_EQ(changed.status, 200) << changed.body;
  auto rebuilt = people.person("boris@dom.ru").get(kEventApi + "/proceedings");
  ASSERT_EQ(rebuilt.status, 200);
  EXPECT_TRUE(has(pdf_text(rebuilt.body, 1, 1), "Клуб выходного дня"));
  EXPECT_GT(pdf_pages(rebuilt.body), pages_before);

  // The proceedings' letters: one per participant, with the link, never twice.
  auto sent = people.organiser().post(kEventApi + "/proceedings/mail", json::object());
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(sent.json()["queued"], 3);
  EXPECT_EQ(people.organiser().post(kEventApi + "/proceedings/mail", json::object()).json()["queued"], 0);
  mails = smtp_->wait_for(6);
  EXPECT_EQ(mails.size(), 6u);

  // Exports: decisions with their reasons, the certificates issued.
  auto decisions = people.organiser().get(kEventApi + "/exports/decisions?format=csv");
  ASSERT_EQ(decisions.status, 200);
  EXPECT_NE(decisions.body.find("Семейная гостиная"), std::string::npos);
  // Russian words and dates, not the stored ids and ISO instants.
  EXPECT_NE(decisions.body.find("\"допущена"), std::string::npos) << decisions.body;
  EXPECT_EQ(decisions.body.find("\"present\""), std::string::npos) << decisions.body;
  EXPECT_EQ(decisions.body.find("+08:00"), std::string::npos) << decisions.body;
  auto issued = people.organiser().get(kEventApi + "/exports/certificates?format=json").json();
  EXPECT_EQ(issued["rows"].size(), 3u);
  EXPECT_EQ(people.organiser().get(kEventApi + "/exports/attendance").status, 200);
  auto spreadsheet = people.organiser().get(kEventApi + "/exports/decisions?format=xlsx");
  ASSERT_EQ(spreadsheet.status, 200);
  EXPECT_EQ(spreadsheet.body.substr(0, 2), "PK");  // a zip of XML, as every .xlsx
  EXPECT_EQ(people.organiser().get(kEventApi + "/exports/decisions?format=pdf").status, 400);
  EXPECT_EQ(people.organiser().get(kEventApi + "/exports/nothing").status, 404);
}

// The organiser's order on the results (clause 3.1): the admitted practices under their sections
// with their authors and institutions, from the final decisions; a rejected practice is not in it.
TEST_F(Certificates, TheOrderListsTheAdmittedPracticesBySectionWithTheirAuthors) {
  start(kDuringIntake);
  People& people = *people_;
  struct Author {
    std::string email, name, institution, practice;
    int section;
  };
  const std::vector<Author> authors = {
      {"anna@dom.ru", "Анна Сергеевна Иванова", "ОГБУСО «Центр помощи детям»", "Семейная гостиная", 1},
      {"boris@dom.ru", "Борис Петрович Ёлкин", "МБУ «Семья»", "Школа приёмных родителей", 3},
      {"vera@dom.ru", "Вера Ильинична Щукина", "ОГКУ «Социальный приют»", "Клуб выходного дня", 1}};
  std::vector<int> ids;
  for (const auto& a : authors) {
    int id = submit_practice(people, {.author_email = a.email, .institution = a.institution, .section = a.section,
                                      .name = a.practice});
    ASSERT_GT(id, 0);
    ids.push_back(id);
    auto reg = people.person(a.email).request(
        "PUT", kEventApi + "/registration",
        json{{"answers", registration_answers(a.name, a.email, a.institution, a.section)}}.dump());
    ASSERT_EQ(reg.status, 200) << reg.body;
  }
  people.person("nobody@dom.ru", "Посторонний Человек");

  start(kDuringReview);
  ASSERT_NO_FATAL_FAILURE(decide_present_gallery_rejected(ids));

  start(kAfterEvent);
  EXPECT_EQ(HttpClient(server_->port()).get(kEventApi + "/order").status, 401);
  EXPECT_EQ(people.person("anna@dom.ru").get(kEventApi + "/order").status, 403);
  auto order = people.organiser().get(kEventApi + "/order");
  ASSERT_EQ(order.status, 200) << order.body;
  EXPECT_EQ(order.headers["content-type"], "application/pdf");
  ASSERT_EQ(order.body.substr(0, 5), "%PDF-");
  std::string text = pdf_text(order.body);
  EXPECT_TRUE(has(text, "ПРИКАЗ")) << text;
  EXPECT_TRUE(has(text, "Секция 1. «Эффективные практики семейного жизнеустройства»")) << text;
  EXPECT_TRUE(has(text, "Секция 3. «Проблемы воспитания и социализации детей-сирот")) << text;
  EXPECT_TRUE(has(text, "«Семейная гостиная»")) << text;
  EXPECT_TRUE(has(text, "Анна Сергеевна Иванова (ОГБУСО «Центр помощи детям»)")) << text;
  EXPECT_TRUE(has(text, "«Школа приёмных родителей» — Борис Петрович Ёлкин (МБУ «Семья»)")) << text;
  EXPECT_FALSE(has(text, "Клуб выходного дня")) << text;
  EXPECT_FALSE(has(text, "Вера Ильинична Щукина")) << text;
  // Section 1 lists before section 3, and the rejected one does not take a number.
  EXPECT_LT(squeeze(text).find(squeeze("Семейная гостиная")), squeeze(text).find(squeeze("Школа приёмных родителей")));
  EXPECT_TRUE(has(text, "2. «Школа приёмных родителей»")) << text;
}

// A name typed with a right-to-left override (and, in the application, a NUL) is cleaned where
// it enters, so the certificate and the organiser's CSV show it as typed, not reversed.
TEST_F(Certificates, ANameTypedWithABidiOverrideAppearsAsTypedInTheCertificateAndTheCsv) {
  const std::string rlo = "\xE2\x80\xAE";
  const std::string typed = "Анна " + rlo + "Иванова";
  const std::string clean = "Анна Иванова";
  start(kDuringIntake);
  People& people = *people_;
  people.person("anna@dom.ru", typed);
  ASSERT_GT(submit_practice(people, {.author_email = "anna@dom.ru"}), 0);
  auto reg = people.person("anna@dom.ru")
                 .request("PUT", kEventApi + "/registration",
                          json{{"answers", registration_answers(typed + std::string(1, '\0'), "anna@dom.ru",
                                                                "МБУ «Семья»", 1)}}
                              .dump());
  ASSERT_EQ(reg.status, 200) << reg.body;

  auto csv = people.organiser().get(kEventApi + "/intake/participants?format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body.find(clean), std::string::npos) << csv.body;
  EXPECT_EQ(csv.body.find(rlo), std::string::npos) << "a bidi override in the CSV";

  start(kAfterEvent);
  ASSERT_EQ(people.organiser().post(kEventApi + "/certificates/jobs", json::object()).status, 202);
  ASSERT_EQ(wait_job_done()["state"], "done");
  auto& anna = people.person("anna@dom.ru");
  auto list = anna.get(kEventApi + "/certificates/mine").json()["certificates"];
  ASSERT_EQ(list.size(), 1u) << list.dump();
  auto verified = HttpClient(server_->port()).get("/api/certificates/" + list[0]["number"].get<std::string>());
  EXPECT_EQ(verified.json()["full_name"], clean);
  auto pdf = anna.get(list[0]["url"].get<std::string>());
  ASSERT_EQ(pdf.status, 200);
  std::string text = pdf_text(pdf.body);
  EXPECT_TRUE(has(text, clean)) << text;
  EXPECT_FALSE(has(text, "авонавИ")) << text;
  EXPECT_EQ(text.find(rlo), std::string::npos) << text;
}

// 500 participants made straight in the database (registering 500 accounts through the API
// would spend minutes on argon2id alone; the job reads the same tables either way).
void add_participants(const std::filesystem::path& data_dir, int count) {
  auto db = open_data_dir_store(data_dir);
  ASSERT_TRUE(db.ok()) << db.status().message();
  Status s = (*db)->transaction([&](store::Tx& tx) -> Status {
    for (int i = 0; i < count; ++i) {
      std::string email = "p" + std::to_string(i) + "@dom.ru";
      std::string name = "Участник Номер " + std::to_string(i);
      auto user = tx.prepare("INSERT INTO users (email, password_hash, full_name, created_at) VALUES (?1, 'none', ?2, 0)");
      if (Status e = user.bind_text(1, email).bind_text(2, name).run(); !e) return e;
      const std::int64_t id = tx.last_insert_id();
      std::string answers = registration_answers(name, email, "Учреждение " + std::to_string(i % 40), 1).dump();
      auto reg = tx.prepare(
          "INSERT INTO registrations (event_id, user_id, answers, consents, created_at, updated_at) "
          "VALUES ('irkutsk-2020', ?1, ?2, '{}', 0, 0)");
      if (Status e = reg.bind_int(1, id).bind_text(2, answers).run(); !e) return e;
      std::string practice_json = practice_answers("Практика " + std::to_string(i), "Учреждение").dump();
      auto practice = tx.prepare(
          "INSERT INTO practices (event_id, owner_id, section, type, answers, state, revision, created_at, "
          "updated_at, submitted_at) VALUES ('irkutsk-2020', ?1, ?2, 'pilot', ?3, 'submitted', 1, 0, 0, 0)");
      if (Status e = practice.bind_int(1, id).bind_int(2, 1 + i % 4).bind_text(3, practice_json).run(); !e) return e;
    }
    return Status::ok();
  });
  ASSERT_TRUE(s.is_ok()) << s.message();
}

TEST_F(Certificates, FiveHundredParticipantsGetOneLetterEachWithProgressPushedAcrossARestart) {
  const int kCount = 500;
  add_participants(data_.path(), kCount);
  // The first run has no SMTP server configured: its letters wait in the outbox, so the stop
  // below cannot cut a delivery in half (mail is at-least-once at that instant, see the
  // architecture's known limits); what is tested is that the job's restart queues none twice.
  start(kAfterEvent, {"agenda/irkutsk-2020.json"}, false);
  auto ws = organiser_socket();
  ASSERT_TRUE(ws);
  ASSERT_TRUE(ws->call({{"op", "subscribe"}, {"topic", kTopic}}).value("ok", false));
  auto started = people_->organiser().post(kEventApi + "/certificates/jobs", json::object());
  ASSERT_EQ(started.status, 202) << started.body;
  ASSERT_EQ(started.json()["job"]["total"], kCount);

  // Progress arrives as the documents are made; the server is stopped partway.
  long seen = -1;
  int events = 0;
  while (seen < 60) {
    auto e = ws->next_event(kTopic, "progress", 30s);
    ASSERT_TRUE(e) << "no progress after " << seen;
    long done = (*e)["data"]["done"];
    EXPECT_GE(done, seen);
    seen = done;
    ++events;
  }
  ws.reset();
  start(kAfterEvent);  // SIGTERM, then the same data directory again

  ws = organiser_socket();
  ASSERT_TRUE(ws);
  auto sub = ws->call({{"op", "subscribe"}, {"topic", kTopic}});
  ASSERT_TRUE(sub.value("ok", false)) << sub.dump();
  EXPECT_GE(sub["data"]["job"]["done"].get<long>(), seen);
  json last = sub["data"]["job"];
  while (last["state"] != "done") {
    auto e = ws->next_event(kTopic, "progress", 30s);
    ASSERT_TRUE(e) << "stuck at " << last.dump();
    last = (*e)["data"];
    ++events;
  }
  EXPECT_EQ(last["done"], kCount);
  EXPECT_EQ(last["failed"], 0);
  EXPECT_GT(events, 100);

  auto mails = smtp_->wait_for(kCount, 90s);
  ASSERT_EQ(mails.size(), static_cast<size_t>(kCount));
  std::map<std::string, int> per_recipient;
  for (const auto& m : mails) {
    for (const auto& r : m.rcpt_to) ++per_recipient[r];
    EXPECT_EQ(m.attachments.size(), 1u);
  }
  EXPECT_EQ(per_recipient.size(), static_cast<size_t>(kCount));
  for (const auto& [recipient, n] : per_recipient) EXPECT_EQ(n, 1) << recipient;
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(smtp_->messages().size(), static_cast<size_t>(kCount));
}

// Issue 16, clause 5.12: from 7 days before certificates_by the organiser is told by letter and on
// the desk how many participants have no certificate yet; once the job made them the notice goes.
TEST_F(Certificates, OrganiserIsWarnedOfParticipantsWithoutCertificateBeforeCertificatesBy) {
  start(kDuringIntake);
  int id = submit_practice(*people_, {.author_email = "anna@dom.ru", .name = "Семейная гостиная"});
  ASSERT_GT(id, 0);
  start(kDuringReview);
  ASSERT_EQ(people_->organiser()
                .request("PUT", kEventApi + "/review/practices/" + std::to_string(id) + "/outcome",
                         json{{"outcome", "gallery"}}.dump())
                .status,
            200);

  start("2020-08-02T10:00:00+08:00");
  auto mails = smtp_->wait_for(1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].rcpt_to, std::vector<std::string>{kOrganiserEmail});
  EXPECT_NE(mails[0].subject.find("до 8 августа 2020 г. 13:00"), std::string::npos) << mails[0].subject;
  EXPECT_NE(mails[0].body.find("участники без выпущенного сертификата: 1"), std::string::npos) << mails[0].body;
  auto warnings = people_->organiser().get(kEventApi + "/reminders").json()["warnings"];
  ASSERT_EQ(warnings.size(), 1u) << warnings.dump();
  EXPECT_EQ(warnings[0]["milestone"], "certificates_by");

  ASSERT_EQ(people_->organiser().post(kEventApi + "/certificates/jobs", {{"send_mail", false}}).status, 202);
  EXPECT_EQ(wait_job_done()["state"], "done");
  EXPECT_TRUE(people_->organiser().get(kEventApi + "/reminders").json()["warnings"].empty());
  // Issue 21, item 2: the certificate was not mailed, so its owner is told it is ready, once
  // (the participants' reminder «certificate»), also after a restart.
  mails = smtp_->wait_for(2);
  ASSERT_EQ(mails.size(), 2u);
  const auto& ready = mails[0].rcpt_to == std::vector<std::string>{kOrganiserEmail} ? mails[1] : mails[0];
  EXPECT_EQ(ready.rcpt_to, std::vector<std::string>{"anna@dom.ru"});
  EXPECT_EQ(ready.subject, "Ваш документ готов: «Сертификат участника»");
  EXPECT_NE(ready.body.find("/events/irkutsk-2020/cabinet"), std::string::npos) << ready.body;
  start("2020-08-03T10:00:00+08:00");
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(smtp_->messages().size(), 2u);
  auto row = people_->organiser().get(kEventApi + "/reminders/participants").json()["kinds"][3];
  EXPECT_EQ(row["kind"], "certificate");
  EXPECT_EQ(row["sent"], 1);
  EXPECT_EQ(row["people"], 0);
}

}  // namespace
}  // namespace praktika::test
