#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <thread>

#include "support/bytes.h"
#include "support/media_fixtures.h"
#include "support/pdf_upload.h"
#include "support/scenario.h"
#include "support/server_process.h"
#include "support/smtp_server.h"

namespace praktika::test {
namespace {

using nlohmann::json;

const std::string kReview = kEventApi + "/review";
const std::string kCentre = "ОГБУСО «Центр помощи детям»";
const std::string kFamily = "МБУ «Семья»";
const std::string kAfterReview = "2020-07-05T10:00:00+08:00";

std::string practice_url(int id) { return kReview + "/practices/" + std::to_string(id); }

HttpResult put(HttpClient& http, const std::string& url, const json& body) {
  return http.request("PUT", url, body.dump());
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::set<std::string> sorted(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

// An expert of section 1 who filled the registration form with their institution.
void make_expert(People& people, const std::string& email, const std::string& institution) {
  auto& http = people.person(email);
  auto reg = put(http, kEventApi + "/registration", {{"answers", registration_answers(email, email, institution, 1)}});
  ASSERT_EQ(reg.status, 200) << reg.body;
  ASSERT_TRUE(people.grant(email, "expert", 1));
}

std::set<std::string> assigned_emails(const json& board, int practice) {
  std::set<std::string> out;
  for (const auto& p : board["practices"])
    if (p["id"] == practice)
      for (const auto& e : p["experts"]) out.insert(e["user"]["email"].get<std::string>());
  return out;
}

class Review : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string output;
    ASSERT_TRUE(create_organiser(data_.path(), &output)) << output;
    auto smtp = SmtpServer::start(mail_dir_.path());
    ASSERT_TRUE(smtp) << smtp.status().message();
    smtp_ = std::move(*smtp);
  }

  void start(const std::string& clock, bool with_smtp = true, std::vector<std::string> agendas = {}) {
    if (server_) server_->stop();
    server_.reset();
    ServerOptions options{.data_dir = data_.path(), .clock = clock};
    if (!agendas.empty()) options.agendas = std::move(agendas);
    if (with_smtp) options.extra_args = {"--smtp", smtp_->url()};
    auto started = ServerProcess::start(options);
    ASSERT_TRUE(started) << started.status().message();
    server_ = std::move(*started);
    if (people_) people_->reconnect(server_->port());
    else people_ = std::make_unique<People>(server_->port());
  }

  TempDir data_;
  TempDir mail_dir_;
  std::unique_ptr<SmtpServer> smtp_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<People> people_;
};

// The conference's agenda with every expert capped at `cap` practices unless the organiser says otherwise.
std::string agenda_with_cap(const TempDir& dir, int cap) {
  std::ifstream in(source_dir() / "agenda/irkutsk-2020.json");
  json agenda = json::parse(in);
  agenda["review"]["max_practices_per_expert"] = cap;
  auto file = dir.path() / "capped.json";
  std::ofstream(file) << agenda.dump(2);
  return file.string();
}

std::int64_t user_id(People& people, const std::string& email) {
  return people.person(email).get("/api/me").json()["user"]["id"];
}

json board_expert(People& people, const std::string& email) {
  json board = people.organiser().get(kReview + "/board").json();
  for (const auto& e : board["experts"])
    if (e["user"]["email"] == email) return e;
  return nullptr;
}

// Issue 21 item 8: the organiser's cap on one expert holds for the automatic assignment (which
// passes them over and says which practices were left short) and for one made by hand (refused).
TEST_F(Review, AnExpertAtTheirCapIsPassedOverByTheAutomaticAssignmentAndRefusedByHand) {
  start(kDuringIntake);
  People& people = *people_;
  std::vector<int> ids;
  for (const char* who : {"anna", "boris", "vera"})
    ids.push_back(submit_practice(people, {.author_email = std::string(who) + "@dom.ru", .institution = kFamily,
                                           .name = std::string("Практика ") + who}));
  for (int id : ids) ASSERT_GT(id, 0);
  make_expert(people, "e1@umc.ru", "ГАУ ДПО «УМЦ»");
  make_expert(people, "e2@umc.ru", "Министерство социального развития");
  std::int64_t e1 = user_id(people, "e1@umc.ru");

  start(kDuringReview);
  auto capped = put(people.organiser(), kReview + "/experts/" + std::to_string(e1) + "/cap", {{"max_practices", 1}});
  ASSERT_EQ(capped.status, 200) << capped.body;
  EXPECT_EQ(board_expert(people, "e1@umc.ru")["cap"], 1);
  EXPECT_EQ(board_expert(people, "e1@umc.ru")["cap_set"], 1);

  auto assigned = people.organiser().post(kReview + "/assign", json::object());
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  // Two experts per practice: e1 takes one, so two practices are left with e2 alone.
  EXPECT_EQ(assigned.json()["assigned"].size(), 4u) << assigned.body;
  ASSERT_EQ(assigned.json()["refused"].size(), 2u) << assigned.body;
  const json refused = assigned.json()["refused"];  // kept: the loop must not walk a temporary's member
  for (const auto& r : refused) {
    EXPECT_EQ(r["code"], "expert_load_cap");
    EXPECT_EQ(r["missing"], 1);
  }
  EXPECT_EQ(assigned.json()["warning"]["code"], "expert_load_cap");
  EXPECT_EQ(board_expert(people, "e1@umc.ru")["load"], 1);

  int short_practice = assigned.json()["refused"][0]["practice"];
  auto by_hand = people.organiser().post(practice_url(short_practice) + "/experts", {{"expert", e1}});
  EXPECT_EQ(by_hand.status, 409);
  EXPECT_EQ(by_hand.error_code(), "expert_load_cap");
  EXPECT_TRUE(contains(by_hand.body, "достигла предела (1)")) << by_hand.body;

  // Lifted (back to the agenda's: no limit), the same assignment by hand goes through.
  ASSERT_EQ(put(people.organiser(), kReview + "/experts/" + std::to_string(e1) + "/cap", {{"max_practices", nullptr}}).status, 200);
  EXPECT_TRUE(board_expert(people, "e1@umc.ru")["cap"].is_null());
  EXPECT_EQ(people.organiser().post(practice_url(short_practice) + "/experts", {{"expert", e1}}).status, 201);

  // Only the organiser sets caps, only on an expert, only to a whole number.
  EXPECT_EQ(put(people.person("e2@umc.ru"), kReview + "/experts/" + std::to_string(e1) + "/cap", {{"max_practices", 9}}).status, 403);
  EXPECT_EQ(put(people.organiser(), kReview + "/experts/" + std::to_string(user_id(people, "anna@dom.ru")) + "/cap",
                {{"max_practices", 1}})
                .error_code(),
            "not_an_expert");
  EXPECT_EQ(put(people.organiser(), kReview + "/experts/" + std::to_string(e1) + "/cap", {{"max_practices", "два"}}).status, 422);
}

TEST_F(Review, TheAgendasCapHoldsForEveryExpertTheOrganiserDidNotSetOne) {
  TempDir agenda_dir;
  auto agenda = agenda_with_cap(agenda_dir, 1);
  start(kDuringIntake, true, {agenda});
  People& people = *people_;
  int a = submit_practice(people, {.author_email = "anna@dom.ru", .institution = kFamily, .name = "Семейная гостиная"});
  int b = submit_practice(people, {.author_email = "boris@dom.ru", .institution = kFamily, .name = "Школа приёмных родителей"});
  ASSERT_GT(a, 0);
  ASSERT_GT(b, 0);
  make_expert(people, "e1@umc.ru", "ГАУ ДПО «УМЦ»");
  std::int64_t e1 = user_id(people, "e1@umc.ru");

  start(kDuringReview, true, {agenda});
  EXPECT_EQ(people.organiser().get(kReview + "/board").json()["default_cap"], 1);
  EXPECT_EQ(board_expert(people, "e1@umc.ru")["cap"], 1);
  EXPECT_TRUE(board_expert(people, "e1@umc.ru")["cap_set"].is_null());
  ASSERT_EQ(people.organiser().post(practice_url(a) + "/experts", {{"expert", e1}}).status, 201);
  // Assigning the same expert again is no new load.
  EXPECT_EQ(people.organiser().post(practice_url(a) + "/experts", {{"expert", e1}}).status, 201);
  EXPECT_EQ(people.organiser().post(practice_url(b) + "/experts", {{"expert", e1}}).error_code(), "expert_load_cap");
  // The organiser's own cap wins over the agenda's.
  ASSERT_EQ(put(people.organiser(), kReview + "/experts/" + std::to_string(e1) + "/cap", {{"max_practices", 2}}).status, 200);
  EXPECT_EQ(people.organiser().post(practice_url(b) + "/experts", {{"expert", e1}}).status, 201);
}

// «Проверить конфликты»: every conflict of interest on the board, assigned or not, and nothing assigned.
TEST_F(Review, TheConflictCheckListsConflictsOfInterestWithoutAssigning) {
  start(kDuringIntake);
  People& people = *people_;
  int a = submit_practice(people, {.author_email = "anna@dom.ru", .institution = kCentre, .name = "Семейная гостиная"});
  int c = submit_practice(people, {.author_email = "vera@dom.ru", .institution = kFamily, .name = "Клуб выходного дня"});
  ASSERT_GT(a, 0);
  ASSERT_GT(c, 0);
  make_expert(people, "e1@umc.ru", "огбусо \"Центр  помощи детям\"");
  make_expert(people, "e2@umc.ru", "ГАУ ДПО «УМЦ»");

  start(kDuringReview);
  EXPECT_EQ(people.person("e2@umc.ru").get(kReview + "/conflicts").status, 403);
  auto checked = people.organiser().get(kReview + "/conflicts");
  ASSERT_EQ(checked.status, 200) << checked.body;
  auto list = checked.json()["conflicts"];
  ASSERT_EQ(list.size(), 1u) << checked.body;
  EXPECT_EQ(list[0]["practice"]["id"], a);
  EXPECT_EQ(list[0]["practice"]["title"], "Семейная гостиная");
  EXPECT_EQ(list[0]["expert"]["email"], "e1@umc.ru");
  EXPECT_EQ(list[0]["expert"]["institution"], "огбусо \"Центр  помощи детям\"");
  EXPECT_EQ(list[0]["assigned"], false);
  auto board = people.organiser().get(kReview + "/board").json();
  EXPECT_TRUE(assigned_emails(board, a).empty());
  EXPECT_TRUE(assigned_emails(board, c).empty());
}

// The whole stage through the API: assignment around a conflict of interest, expert decisions,
// the organiser's outcomes, one e-mail per institution, nothing sent twice across a restart.
TEST_F(Review, ExpertsDecideTheOrganiserFixesOutcomesAndEachInstitutionGetsOneLetter) {
  start(kDuringIntake);
  People& people = *people_;
  int a = submit_practice(people, {.author_email = "anna@dom.ru", .institution = kCentre, .name = "Семейная гостиная"});
  int b = submit_practice(people, {.author_email = "boris@dom.ru", .institution = kCentre, .name = "Школа приёмных родителей"});
  int c = submit_practice(people, {.author_email = "vera@dom.ru", .institution = kFamily, .name = "Клуб выходного дня"});
  ASSERT_GT(a, 0);
  ASSERT_GT(b, 0);
  ASSERT_GT(c, 0);
  // The same institution written differently: still a conflict with practices a and b.
  make_expert(people, "e1@umc.ru", "огбусо \"Центр  помощи детям\"");
  make_expert(people, "e2@umc.ru", "ГАУ ДПО «УМЦ»");
  make_expert(people, "e3@umc.ru", "Министерство социального развития");

  // Before the review stage: neither outcomes nor decisions.
  auto early = put(people.organiser(), practice_url(a) + "/outcome", {{"outcome", "present"}});
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(early.error_code(), "review_not_open");
  auto early_review = put(people.person("e2@umc.ru"), practice_url(a) + "/review", {{"decision", "present"}});
  EXPECT_EQ(early_review.error_code(), "review_not_open");

  start(kDuringReview);
  auto assigned = people.organiser().post(kReview + "/assign", json::object());
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  auto board = people.organiser().get(kReview + "/board").json();
  EXPECT_EQ(assigned_emails(board, a), (std::set<std::string>{"e2@umc.ru", "e3@umc.ru"}));
  EXPECT_EQ(assigned_emails(board, b), (std::set<std::string>{"e2@umc.ru", "e3@umc.ru"}));
  // Balanced: the least loaded expert first, ties to the lower id.
  EXPECT_EQ(assigned_emails(board, c), (std::set<std::string>{"e1@umc.ru", "e2@umc.ru"}));
  for (const auto& p : board["practices"]) {
    if (p["id"] == c) continue;
    ASSERT_EQ(p["conflicts"].size(), 1u) << p.dump();
    EXPECT_EQ(p["conflicts"][0]["email"], "e1@umc.ru");
  }

  // The conflicted expert never sees practice a, and cannot be put on it by hand.
  auto& e1 = people.person("e1@umc.ru");
  auto queue = e1.get(kReview + "/queue").json()["practices"];
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0]["id"], c);
  EXPECT_EQ(e1.get(practice_url(a)).status, 404);
  EXPECT_EQ(put(e1, practice_url(a) + "/review", {{"decision", "present"}}).status, 404);
  std::int64_t e1_id = people.person("e1@umc.ru").get("/api/me").json()["user"]["id"];
  auto by_hand = people.organiser().post(practice_url(a) + "/experts", {{"expert", e1_id}});
  EXPECT_EQ(by_hand.status, 409);
  EXPECT_EQ(by_hand.error_code(), "conflict_of_interest");

  // An assigned expert reads the whole practice.
  auto& e2 = people.person("e2@umc.ru");
  auto view = e2.get(practice_url(a));
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_EQ(view.json()["practice"]["answers"]["name"], "Семейная гостиная");
  EXPECT_EQ(view.json()["criteria"].size(), 4u);

  auto& e3 = people.person("e3@umc.ru");
  EXPECT_EQ(put(e2, practice_url(a) + "/review", {{"decision", "present"}, {"scores", {{"relevance", 5}}}}).status, 200);
  EXPECT_EQ(put(e3, practice_url(a) + "/review", {{"decision", "gallery"}}).status, 200);
  auto no_reason = put(e2, practice_url(b) + "/review", {{"decision", "rejected"}});
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_EQ(no_reason.error_code(), "reason_required");
  EXPECT_EQ(put(e2, practice_url(b) + "/review", {{"decision", "rejected"}, {"reason", "Не по теме секции"}}).status, 200);
  EXPECT_EQ(put(e2, practice_url(b) + "/review", {{"decision", "gallery"}}).status, 200);  // changed
  auto bad_score = put(e3, practice_url(b) + "/review", {{"decision", "present"}, {"scores", {{"relevance", 9}}}});
  EXPECT_EQ(bad_score.error_code(), "invalid_scores");

  // Side by side on the organiser's board.
  board = people.organiser().get(kReview + "/board").json();
  for (const auto& p : board["practices"])
    if (p["id"] == a) {
      std::set<std::string> decisions;
      for (const auto& e : p["experts"]) decisions.insert(e["review"]["decision"].get<std::string>());
      EXPECT_EQ(decisions, (std::set<std::string>{"present", "gallery"}));
    }

  auto outcome_a = put(people.organiser(), practice_url(a) + "/outcome", {{"outcome", "present"}});
  ASSERT_EQ(outcome_a.status, 200) << outcome_a.body;
  EXPECT_EQ(outcome_a.json()["outcome"], "present");
  EXPECT_EQ(outcome_a.json()["practice"], a);
  auto reject_without = put(people.organiser(), practice_url(b) + "/outcome", {{"outcome", "rejected"}});
  EXPECT_EQ(reject_without.status, 422);
  EXPECT_EQ(reject_without.error_code(), "reason_required");
  const std::string reason = "Практика не соответствует теме секции";
  EXPECT_EQ(put(people.organiser(), practice_url(b) + "/outcome", {{"outcome", "rejected"}, {"reason", reason}}).status, 200);
  EXPECT_EQ(put(people.organiser(), practice_url(c) + "/outcome", {{"outcome", "gallery"}}).status, 200);
  EXPECT_EQ(put(e2, practice_url(a) + "/outcome", {{"outcome", "rejected"}, {"reason", "x"}}).status, 403);
  EXPECT_EQ(people.organiser().get(kReview + "/outcomes").json()["outcomes"].size(), 3u);

  // Not told yet: the author does not see it.
  auto& anna = people.person("anna@dom.ru");
  EXPECT_TRUE(anna.get(kEventApi + "/practices/" + std::to_string(a)).json()["outcome"].is_null());

  auto sent = people.organiser().post(kReview + "/notifications", json::object());
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(sent.json()["queued"], 2);
  auto mails = smtp_->wait_for(2);
  ASSERT_EQ(mails.size(), 2u);
  std::sort(mails.begin(), mails.end(), [](const auto& x, const auto& y) { return x.subject < y.subject; });
  const ReceivedMail& family = mails[0];   // «МБУ «Семья»» sorts before «ОГБУСО …»
  const ReceivedMail& centre = mails[1];
  EXPECT_EQ(centre.subject, "Решение экспертной группы: " + kCentre);
  EXPECT_TRUE(contains(centre.body, "«Семейная гостиная»")) << centre.body;
  EXPECT_TRUE(contains(centre.body, "допущена к трансляции на тематической секции 8 июля")) << centre.body;
  EXPECT_TRUE(contains(centre.body, "«Школа приёмных родителей»")) << centre.body;
  EXPECT_TRUE(contains(centre.body, "Причина: " + reason)) << centre.body;
  EXPECT_EQ(sorted(centre.rcpt_to), (std::set<std::string>{"anna@dom.ru", "boris@dom.ru", "center@dom.ru"}));
  EXPECT_TRUE(contains(centre.content_type, "text/plain")) << centre.content_type;
  EXPECT_TRUE(contains(centre.content_type, "utf-8")) << centre.content_type;
  EXPECT_EQ(centre.mail_from, "noreply@praktika.local");
  EXPECT_EQ(family.subject, "Решение экспертной группы: " + kFamily);
  EXPECT_TRUE(contains(family.body, "«Клуб выходного дня»")) << family.body;
  EXPECT_TRUE(contains(family.body, "галерее")) << family.body;
  EXPECT_FALSE(contains(family.body, "Причина")) << family.body;
  // Admitted to present: the letter lists what a presenter needs at home, the agenda's figure filled in.
  EXPECT_TRUE(contains(centre.body, "Технические требования к трансляции")) << centre.body;
  EXPECT_TRUE(contains(centre.body, "не менее 30 Мбит/с")) << centre.body;
  EXPECT_FALSE(contains(family.body, "Технические требования")) << family.body;
  // When the sections run is the agenda's sections session, with its time zone in words, and only
  // a practice admitted to present is told it: the gallery's one hears of no day.
  EXPECT_TRUE(contains(centre.body, "выступают на тематических секциях 8 июля 2020 г. с 10:00 до 12:00 по иркутскому "
                                    "времени (UTC+8)")) << centre.body;
  EXPECT_FALSE(contains(family.body, "8 июля")) << family.body;
  EXPECT_FALSE(contains(family.body, "выступают")) << family.body;
  EXPECT_EQ(sorted(family.rcpt_to), (std::set<std::string>{"center@dom.ru", "vera@dom.ru"}));

  // Told: the author sees the decision in the practice.
  auto mine = people.person("boris@dom.ru").get(kEventApi + "/practices/" + std::to_string(b)).json();
  EXPECT_EQ(mine["outcome"]["outcome"], "rejected");
  EXPECT_EQ(mine["outcome"]["reason"], reason);

  // Asking again queues nothing.
  EXPECT_EQ(people.organiser().post(kReview + "/notifications", json::object()).json()["queued"], 0);

  // Every decision and change is in the log, with who made it.
  auto log = people.organiser().get(kReview + "/log").json()["entries"];
  int reviews = 0, outcomes = 0, changes = 0;
  for (const auto& entry : log) {
    if (entry["action"] == "review") ++reviews;
    if (entry["action"] == "outcome") ++outcomes;
    if (entry["detail"].contains("previous")) ++changes;
  }
  EXPECT_EQ(reviews, 4);
  EXPECT_EQ(outcomes, 3);
  EXPECT_EQ(changes, 1);  // e2 changed the decision on b
  EXPECT_EQ(people.person("e2@umc.ru").get(kReview + "/log").status, 403);

  // After a restart nothing is sent again: a changed decision makes the only new letter.
  start(kDuringReview);
  EXPECT_EQ(put(people.organiser(), practice_url(c) + "/outcome", {{"outcome", "present"}}).status, 200);
  EXPECT_EQ(people.organiser().post(kReview + "/notifications", json::object()).json()["queued"], 1);
  mails = smtp_->wait_for(3);
  ASSERT_EQ(mails.size(), 3u);
  int to_family = 0;
  for (const auto& m : mails) to_family += m.subject == "Решение экспертной группы: " + kFamily;
  EXPECT_EQ(to_family, 2);
  // Marked sent right after the server accepted it: poll until the outbox agrees.
  json health;
  for (int i = 0; i < 200; ++i) {
    health = HttpClient(server_->port()).get("/api/health").json();
    if (health["mail"]["sent"] == 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(health["mail"]["configured"], true);
  EXPECT_EQ(health["mail"]["sent"], 3);
  EXPECT_EQ(health["mail"]["pending"], 0);

  // After the stage: experts can no longer change their decisions.
  start(kAfterReview);
  auto late = put(people.person("e2@umc.ru"), practice_url(a) + "/review", {{"decision", "gallery"}});
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.error_code(), "review_closed");
  EXPECT_EQ(smtp_->messages().size(), 3u);
}

// Without an SMTP server in the configuration, letters wait in the outbox and health says so.
TEST_F(Review, WithoutSmtpLettersStayQueuedAndHealthSaysSo) {
  start(kDuringIntake, false);
  int a = submit_practice(*people_, {.author_email = "anna@dom.ru", .institution = kCentre});
  ASSERT_GT(a, 0);
  start(kDuringReview, false);
  EXPECT_EQ(put(people_->organiser(), practice_url(a) + "/outcome", {{"outcome", "gallery"}}).status, 200);
  EXPECT_EQ(people_->organiser().post(kReview + "/notifications", json::object()).json()["queued"], 1);
  auto health = HttpClient(server_->port()).get("/api/health").json();
  EXPECT_EQ(health["mail"]["configured"], false);
  EXPECT_EQ(health["mail"]["pending"], 1);
  auto outbox = people_->organiser().get(kReview + "/mail").json()["messages"];
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0]["state"], "pending");
}

// The expert's page links the practice's materials: the assigned expert may open them, another
// expert may not, and nobody but the organiser sees or opens the author's payment scan.
TEST_F(Review, AnAssignedExpertOpensThePracticeMaterialsButNotThePaymentScan) {
  start(kDuringIntake);
  People& people = *people_;
  int a = submit_practice(people, {.author_email = "anna@dom.ru", .name = "Семейная гостиная", .paid = false});
  ASSERT_GT(a, 0);
  auto& anna = people.person("anna@dom.ru");
  std::string material = upload_pdf(anna, "flashmob", a);
  std::string scan = upload_pdf(anna, "payment", a);
  std::string practice = kEventApi + "/practices/" + std::to_string(a);
  ASSERT_EQ(anna.post(practice + "/payment", {{"upload", scan.substr(scan.rfind('/') + 1)}}).status, 200);
  ASSERT_EQ(people.organiser()
                .post(kEventApi + "/intake/practices/" + std::to_string(a) + "/payment", {{"decision", "confirm"}})
                .status,
            200);
  make_expert(people, "e1@umc.ru", "ГАУ ДПО «УМЦ»");
  people.person("e2@umc.ru");
  ASSERT_TRUE(people.grant("e2@umc.ru", "expert", 2));

  start(kDuringReview);
  ASSERT_EQ(people.organiser().post(kReview + "/assign", json::object()).status, 200);
  auto& expert = people.person("e1@umc.ru");
  auto view = expert.get(practice_url(a));
  ASSERT_EQ(view.status, 200) << view.body;
  json shown = view.json()["practice"];
  std::vector<std::string> purposes;
  for (const auto& f : shown["files"]) purposes.push_back(f["purpose"]);
  // The material and the Word description sent before submission (newest first); not the scan.
  EXPECT_EQ(purposes, (std::vector<std::string>{"flashmob", "document"}));
  EXPECT_FALSE(shown.contains("payment"));

  EXPECT_EQ(expert.get(material + "/file").status, 200);
  EXPECT_EQ(expert.get(scan + "/file").status, 404);
  EXPECT_EQ(people.person("e2@umc.ru").get(material + "/file").status, 404);
  EXPECT_EQ(people.organiser().get(scan + "/file").status, 200);
}

// Issue 16, clause 5.7: from 3 days before decision_notice_by the organiser is told by letter and
// on the desk how many practices still have no decision; once each is decided the notice goes.
TEST_F(Review, OrganiserIsWarnedOfPracticesWithoutDecisionBeforeTheNotices) {
  start(kDuringIntake);
  int a = submit_practice(*people_, {.author_email = "late@dom.ru", .institution = kCentre, .name = "Семейная гостиная"});
  ASSERT_GT(a, 0);
  start("2020-07-04T10:00:00+08:00");
  auto mails = smtp_->wait_for(1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].rcpt_to, std::vector<std::string>{kOrganiserEmail});
  EXPECT_TRUE(contains(mails[0].subject, "до 6 июля 2020 г.")) << mails[0].subject;
  EXPECT_TRUE(contains(mails[0].body, "практики без решения: 1")) << mails[0].body;
  auto warnings = people_->organiser().get(kEventApi + "/reminders").json()["warnings"];
  ASSERT_EQ(warnings.size(), 1u) << warnings.dump();
  EXPECT_EQ(warnings[0]["milestone"], "decision_notice_by");
  EXPECT_EQ(warnings[0]["at"], "2020-07-06T00:00:00+08:00");

  ASSERT_EQ(put(people_->organiser(), practice_url(a) + "/outcome", {{"outcome", "gallery"}}).status, 200);
  EXPECT_TRUE(people_->organiser().get(kEventApi + "/reminders").json()["warnings"].empty());
  EXPECT_EQ(smtp_->messages().size(), 1u);
}

}  // namespace
}  // namespace praktika::test
