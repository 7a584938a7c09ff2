#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/bytes.h"
#include "support/client.h"
#include "support/docx_builder.h"
#include "support/media_fixtures.h"
#include "support/redis_server.h"
#include "support/scenario.h"
#include "support/server_process.h"
#include "support/shared_redis.h"

namespace praktika::test {
namespace {

using nlohmann::json;
namespace docx = praktika::documents::testing;

const std::string kDuringGallery = "2020-07-06T12:00:00+08:00";
const std::string kAfterGallery = "2020-07-08T12:00:00+08:00";

// The 17 fields without any form of «семья», so that only the words a test puts in are found.
json neutral_answers(const std::string& name, const std::string& content, const std::string& targets, int year) {
  json a = practice_answers(name, "ОГБУСО «Центр помощи детям»", year);
  a["relevance"]["problem"] = "Одиночество подростков";
  a["values"] = "Уважение к человеку";
  a["target_groups"] = targets;
  a["content"] = content;
  a["results"]["quantitative"] = "40 человек";
  a["cases"] = json::array({"Случай К."});
  if (year < 2019) a["beneficiary_reviews"] = "Отзывы участников";
  return a;
}

std::vector<int> ids_of(const HttpResult& r) {
  std::vector<int> ids;
  json body = r.json();
  for (const auto& p : body["practices"]) ids.push_back(p["id"].get<int>());
  return ids;
}

// Practices submitted during the intake, decided during the review:
// family (section 1, present), club (section 2, gallery), rejected (section 1), undecided.
class Gallery : public ::testing::Test {
 protected:
  void start(const std::string& clock) {
    server_.reset();
    auto started = ServerProcess::start({.data_dir = data_.path(), .clock = clock, .redis = redis_url_});
    ASSERT_TRUE(started) << started.status().message();
    server_ = std::move(*started);
    if (people_) people_->reconnect(server_->port());
    else people_ = std::make_unique<People>(server_->port());
  }

  int practice(const std::string& email, int section, const std::string& type, const json& answers,
               const std::string& document = "") {
    int id = submit_practice(*people_, {.author_email = email,
                                        .section = section,
                                        .name = answers["name"].get<std::string>(),
                                        .type = type,
                                        .started_year = answers["relevance"]["started_year"].get<int>(),
                                        .document = document});
    auto r = people_->person(email).request("PATCH", kEventApi + "/practices/" + std::to_string(id),
                                            json{{"answers", answers}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return id;
  }

  void decide(int id, const std::string& outcome) {
    auto r = people_->organiser().request("PUT", kEventApi + "/review/practices/" + std::to_string(id) + "/outcome",
                                          json{{"outcome", outcome}, {"reason", "Решение экспертов"}}.dump());
    ASSERT_EQ(r.status, 200) << r.body;
  }

  void SetUp() override {
    std::string output;
    ASSERT_TRUE(create_organiser(data_.path(), &output)) << output;
    start(kDuringIntake);
    // Its Word description, one paragraph set in Arial: a clause 6.5 finding for its author.
    auto arial = docx::Docx::compliant();
    arial.body[docx::kBody] = docx::para("Основной текст набран другим шрифтом.", "",
                                         "<w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:cs=\"Arial\"/>");
    const auto bytes = arial.bytes();
    family_ = practice("anna@dom.ru", 1, "pilot",
                       neutral_answers("Школа наставников",
                                       "Каждая семья получает наставника. Мать и дочь у огня: время сна, путь любви",
                                       "Дети-сироты", 2020),
                       std::string(bytes.begin(), bytes.end()));
    club_ = practice("boris@dom.ru", 2, "established",
                     neutral_answers("Клуб выходного дня", "Встречи по субботам", "Подростки группы риска", 2017));
    rejected_ = practice("vera@dom.ru", 1, "pilot",
                         neutral_answers("Семейный лагерь", "Летом семья отдыхает вместе", "Дети", 2020));
    undecided_ = practice("gleb@dom.ru", 1, "pilot",
                          neutral_answers("Семейная мастерская", "Семья мастерит", "Дети", 2020));
    // A video sent with the family practice (flashmob material, accepted during the intake).
    media::testing::TempDir work;
    ASSERT_TRUE(media::testing::make_cheap_video(work.path() / "show.mp4", 5));
    video_ = read_file(work.path() / "show.mp4");
    auto& anna = people_->person("anna@dom.ru");
    auto created = anna.request("POST", kEventApi + "/uploads?purpose=flashmob", "",
                                {{"Tus-Resumable", "1.0.0"},
                                 {"Upload-Length", std::to_string(video_.size())},
                                 {"Upload-Metadata", "filename " + base64("show.mp4") + ",practice " +
                                                         base64(std::to_string(family_))}});
    ASSERT_EQ(created.status, 201) << created.body;
    video_url_ = created.headers["location"] + "/file";
    auto sent = anna.request("PATCH", created.headers["location"], video_,
                             {{"Tus-Resumable", "1.0.0"},
                              {"Content-Type", "application/offset+octet-stream"},
                              {"Upload-Offset", "0"}});
    ASSERT_EQ(sent.status, 204) << sent.body;

    start(kDuringReview);
    decide(family_, "present");
    decide(club_, "gallery");
    decide(rejected_, "rejected");
    people_->grant("moderator@minsoc.ru", "moderator", 1);
    people_->person("stranger@dom.ru");
  }

  std::string practice_url(int id) { return kEventApi + "/practices/" + std::to_string(id); }

  std::unique_ptr<WsClient> connect(const std::string& email) {
    WsClient::Options options;
    options.cookie = people_->person(email).cookie_header();
    return WsClient::connect(server_->port(), options);
  }

  std::string redis_url_;
  TempDir data_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<People> people_;
  int family_ = 0, club_ = 0, rejected_ = 0, undecided_ = 0;
  std::string video_, video_url_;
};

TEST_F(Gallery, SearchFindsAPracticeByAnotherFormOfARussianWord) {
  start(kDuringGallery);
  auto& boris = people_->person("boris@dom.ru");
  // The text says «семья»; the query «семьям». The rejected and the undecided practice say it too.
  auto found = boris.get(kEventApi + "/practices?q=" + "%D1%81%D0%B5%D0%BC%D1%8C%D1%8F%D0%BC");  // семьям
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(ids_of(found), std::vector<int>{family_});
  EXPECT_EQ(found.json()["total"], 1);
  EXPECT_EQ(ids_of(boris.get(kEventApi + "/practices?q=%D0%BD%D0%B0%D1%81%D1%82%D0%B0%D0%B2%D0%BD%D0%B8%D0%BA%D0%BE%D0%BC")),
            std::vector<int>{family_});  // наставником
  EXPECT_TRUE(ids_of(boris.get(kEventApi + "/practices?q=%D0%BB%D0%B0%D0%B3%D0%B5%D1%80%D1%8C")).empty());  // лагерь
  // Without a query: the admitted ones, by section.
  EXPECT_EQ(ids_of(boris.get(kEventApi + "/practices")), (std::vector<int>{family_, club_}));
  EXPECT_EQ(ids_of(boris.get(kEventApi + "/practices?section=2")), std::vector<int>{club_});
  EXPECT_EQ(ids_of(boris.get(kEventApi + "/practices?type=established")), std::vector<int>{club_});
  EXPECT_EQ(ids_of(boris.get(kEventApi + "/practices?year=2017")), std::vector<int>{club_});
  // Target groups: «подростков» finds «Подростки» in field 7 only.
  EXPECT_EQ(ids_of(boris.get(kEventApi + "/practices?target=%D0%BF%D0%BE%D0%B4%D1%80%D0%BE%D1%81%D1%82%D0%BA%D0%BE%D0%B2")),
            std::vector<int>{club_});
  EXPECT_EQ(boris.get(kEventApi + "/practices?section=x").error_code(), "invalid_filter");
  auto page = boris.get(kEventApi + "/practices?page=2").json();
  EXPECT_TRUE(page["practices"].empty());
  EXPECT_EQ(page["total"], 2);
}

// The percent-encoded form of a UTF-8 query value.
std::string encoded(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

TEST_F(Gallery, EveryFormOfAWordWithAFleetingVowelFindsThePractice) {
  start(kDuringGallery);
  auto& boris = people_->person("boris@dom.ru");
  // The club's field 7 says «Подростки группы риска»; field 2 of every practice «Одиночество
  // подростков», and only the family and the club are admitted.
  for (std::string form : {"подросток", "подростка", "подростку", "подростком", "подростке", "подростков",
                           "подросткам", "подростками", "подростках"}) {
    EXPECT_EQ(ids_of(boris.get(kEventApi + "/practices?target=" + encoded(form))), std::vector<int>{club_}) << form;
    auto both = ids_of(boris.get(kEventApi + "/practices?q=" + encoded(form)));  // by relevance: sort
    std::sort(both.begin(), both.end());
    EXPECT_EQ(both, (std::vector<int>{family_, club_})) << form;
  }
  // The family's text: «Школа наставников», «Каждая семья получает наставника».
  for (std::string form : {"наставник", "наставнику", "наставниками", "семьёй", "семей", "семьях"})
    EXPECT_EQ(ids_of(boris.get(kEventApi + "/practices?q=" + encoded(form))), std::vector<int>{family_}) << form;
}

// Nouns whose stem changes inside the paradigm: the dictionary lists «сна», «огня», «матери» as
// words of their own. The family's text: «Мать и дочь у огня: время сна, путь любви».
TEST_F(Gallery, EveryFormOfANounWhoseStemChangesFindsThePractice) {
  start(kDuringGallery);
  auto& boris = people_->person("boris@dom.ru");
  for (std::string form : {"сон", "сна", "сну", "сном", "огонь", "огня", "огнём", "мать", "матери", "матерью", "дочь",
                           "дочери", "дочерьми", "время", "времени", "временем", "путь", "пути", "путём", "любовь",
                           "любви", "любовью"})
    EXPECT_EQ(ids_of(boris.get(kEventApi + "/practices?q=" + encoded(form))), std::vector<int>{family_}) << form;
}

// The document's clause 6.5 findings on the gallery page: its author's and the organiser's, not every reader's.
TEST_F(Gallery, OnlyTheAuthorAndTheOrganiserSeeTheDocumentsFindings) {
  start(kDuringGallery);
  auto document_of = [&](HttpClient& who) {
    auto page = who.get(kEventApi + "/gallery/practices/" + std::to_string(family_));
    EXPECT_EQ(page.status, 200) << page.body;
    const json body = page.json();  // kept: a loop over a member of a temporary would dangle
    for (const auto& f : body["files"])
      if (f["purpose"] == "document") return f;
    ADD_FAILURE() << "no document: " << page.body;
    return json();
  };
  auto own = document_of(people_->person("anna@dom.ru"));
  ASSERT_TRUE(own.contains("format")) << own;
  EXPECT_FALSE(own["format"]["findings"].empty()) << own;
  EXPECT_TRUE(document_of(people_->organiser()).contains("format"));
  auto other = document_of(people_->person("boris@dom.ru"));
  EXPECT_FALSE(other.contains("format")) << other;
  EXPECT_TRUE(other.contains("url"));  // the document itself stays readable
}

TEST_F(Gallery, TheIndexFollowsAChangedOutcome) {
  auto& organiser = people_->organiser();  // the organiser reads the gallery before it opens
  EXPECT_EQ(ids_of(organiser.get(kEventApi + "/practices?q=%D1%81%D0%B5%D0%BC%D1%8C%D1%8F%D0%BC")),
            std::vector<int>{family_});
  decide(family_, "rejected");
  decide(undecided_, "gallery");
  EXPECT_EQ(ids_of(organiser.get(kEventApi + "/practices?q=%D1%81%D0%B5%D0%BC%D1%8C%D1%8F%D0%BC")),
            std::vector<int>{undecided_});
}

TEST_F(Gallery, ThePracticePageShowsEveryFieldAndStreamsItsVideo) {
  start(kDuringGallery);
  auto& boris = people_->person("boris@dom.ru");
  auto page = boris.get(kEventApi + "/gallery/practices/" + std::to_string(family_));
  ASSERT_EQ(page.status, 200) << page.body;
  json p = page.json();
  EXPECT_EQ(p["title"], "Школа наставников");
  EXPECT_EQ(p["type_title"], "Пилотная практика");
  EXPECT_EQ(p["institution"], "ОГБУСО «Центр помощи детям»");
  EXPECT_EQ(p["answers"]["recommendations"], "Начинать с малого");
  EXPECT_EQ(p["outcome"], "present");
  // The Word description and the video, by purpose; never the payment scan.
  ASSERT_EQ(p["files"].size(), 2u) << page.body;
  EXPECT_EQ(p["files"][0]["purpose"], "document");
  EXPECT_EQ(p["files"][1]["purpose"], "flashmob");
  EXPECT_EQ(p["files"][1]["kind"], "video");
  auto slice = boris.request("GET", p["files"][1]["url"], "", {{"Range", "bytes=10-29"}});
  EXPECT_EQ(slice.status, 206);
  EXPECT_EQ(slice.body, video_.substr(10, 20));
  // Payment scans stay private; rejected practices are not in the gallery.
  auto mine = people_->person("anna@dom.ru").get(practice_url(family_)).json();
  std::string scan = "/api/uploads/" + mine["payment"]["upload"].get<std::string>() + "/file";
  EXPECT_EQ(boris.get(scan).status, 404);
  EXPECT_EQ(boris.get(kEventApi + "/gallery/practices/" + std::to_string(rejected_)).error_code(),
            "practice_not_found");
}

TEST_F(Gallery, OnlyParticipantsReadItAndOnlyOnceItOpens) {
  auto& boris = people_->person("boris@dom.ru");
  EXPECT_EQ(boris.get(kEventApi + "/practices").error_code(), "gallery_not_open");
  start(kDuringGallery);
  EXPECT_EQ(people_->person("boris@dom.ru").get(kEventApi + "/practices").status, 200);
  EXPECT_EQ(people_->person("moderator@minsoc.ru").get(kEventApi + "/practices").status, 200);
  EXPECT_EQ(people_->person("stranger@dom.ru").get(kEventApi + "/practices").error_code(), "not_a_participant");
  HttpClient anonymous(server_->port());
  EXPECT_EQ(anonymous.get(kEventApi + "/practices").status, 401);
  EXPECT_EQ(anonymous.get(video_url_).status, 401);
  auto stranger = connect("stranger@dom.ru");
  ASSERT_TRUE(stranger);
  auto refused = stranger->call({{"op", "subscribe"}, {"topic", "practice:irkutsk-2020:" + std::to_string(family_)}});
  EXPECT_EQ(refused["error"]["code"], "not_a_participant");
}

TEST_F(Gallery, TheCabinetShowsEachPracticeWithItsOutcome) {
  auto& anna = people_->person("anna@dom.ru");
  auto before = anna.get(kEventApi + "/cabinet").json();  // before the notice milestone
  ASSERT_EQ(before["practices"].size(), 1u);
  EXPECT_TRUE(before["practices"][0]["outcome"].is_null());
  start(kDuringGallery);
  auto& vera = people_->person("vera@dom.ru");
  auto cabinet = people_->person("anna@dom.ru").get(kEventApi + "/cabinet").json();
  ASSERT_EQ(cabinet["practices"].size(), 1u);
  EXPECT_EQ(cabinet["practices"][0]["outcome"]["outcome"], "present");
  EXPECT_EQ(cabinet["practices"][0]["in_gallery"], true);
  EXPECT_EQ(cabinet["practices"][0]["payment"]["state"], "confirmed");
  EXPECT_EQ(cabinet["practices"][0]["files"].size(), 2u);  // her Word description and her video
  EXPECT_EQ(cabinet["gallery"]["readable"], true);
  auto theirs = vera.get(kEventApi + "/cabinet").json();
  EXPECT_EQ(theirs["practices"][0]["outcome"]["outcome"], "rejected");
  EXPECT_EQ(theirs["practices"][0]["outcome"]["reason"], "Решение экспертов");
  EXPECT_EQ(theirs["practices"][0]["in_gallery"], false);
}

// The next "comment" event about comment `id` (a client also receives its own comments).
std::optional<json> next_comment(WsClient& ws, const std::string& topic, int id) {
  for (int i = 0; i < 10; ++i) {
    auto event = ws.next_event(topic, "comment");
    if (!event) return std::nullopt;
    if ((*event)["data"]["id"] == id) return event;
  }
  return std::nullopt;
}

TEST_F(Gallery, CommentsArePushedLiveToEveryoneOnThePage) {
  start(kDuringGallery);
  const std::string topic = "practice:irkutsk-2020:" + std::to_string(family_);
  auto anna_ws = connect("anna@dom.ru");
  auto boris_ws = connect("boris@dom.ru");
  ASSERT_TRUE(anna_ws && boris_ws);
  ASSERT_EQ(anna_ws->call({{"op", "subscribe"}, {"topic", topic}})["ok"], true);
  auto subscribed = boris_ws->call({{"op", "subscribe"}, {"topic", topic}});
  ASSERT_EQ(subscribed["ok"], true) << subscribed;
  EXPECT_TRUE(anna_ws->wait_presence(topic, 2));

  auto& boris = people_->person("boris@dom.ru");
  auto posted = boris.post(practice_url(family_) + "/comments", {{"text", "  Спасибо за опыт!  "}});
  ASSERT_EQ(posted.status, 201) << posted.body;
  int comment = posted.json()["id"];
  auto pushed = next_comment(*anna_ws, topic, comment);
  ASSERT_TRUE(pushed);
  EXPECT_EQ((*pushed)["data"]["text"], "Спасибо за опыт!");
  EXPECT_EQ((*pushed)["data"]["author"]["full_name"], "boris@dom.ru");

  auto& anna = people_->person("anna@dom.ru");
  auto answer = anna.post(practice_url(family_) + "/comments", {{"text", "Рады помочь"}, {"parent", comment}});
  ASSERT_EQ(answer.status, 201) << answer.body;
  auto reply = next_comment(*boris_ws, topic, answer.json()["id"]);
  ASSERT_TRUE(reply);
  EXPECT_EQ((*reply)["data"]["parent"], comment);
  // One level of replies.
  EXPECT_EQ(boris.post(practice_url(family_) + "/comments", {{"text", "И вам"}, {"parent", answer.json()["id"]}})
                .error_code(),
            "reply_too_deep");

  // The author edits; someone else may not.
  std::string one = practice_url(family_) + "/comments/" + std::to_string(comment);
  EXPECT_EQ(anna.request("PATCH", one, json{{"text", "Чужой текст"}}.dump()).error_code(), "not_author");
  ASSERT_EQ(boris.request("PATCH", one, json{{"text", "Спасибо за ценный опыт!"}}.dump()).status, 200);
  auto edited = next_comment(*anna_ws, topic, comment);
  ASSERT_TRUE(edited);
  EXPECT_EQ((*edited)["data"]["text"], "Спасибо за ценный опыт!");
  EXPECT_FALSE((*edited)["data"]["edited_at"].is_null());

  // A participant may not hide; the section's moderator may, and the text leaves every page.
  EXPECT_EQ(anna.post(one + "/hide", json::object()).status, 403);
  ASSERT_EQ(people_->person("moderator@minsoc.ru").post(one + "/hide", json::object()).status, 200);
  auto hidden = next_comment(*anna_ws, topic, comment);
  ASSERT_TRUE(hidden);
  EXPECT_EQ((*hidden)["data"]["hidden"], true);
  EXPECT_TRUE((*hidden)["data"]["text"].is_null());
  auto listed = anna.get(practice_url(family_) + "/comments").json();
  ASSERT_EQ(listed["comments"].size(), 2u);
  EXPECT_TRUE(listed["comments"][0]["text"].is_null());
  EXPECT_EQ(listed["comments"][1]["text"], "Рады помочь");
  // Its author still sees what was hidden.
  EXPECT_EQ(boris.get(practice_url(family_) + "/comments").json()["comments"][0]["text"], "Спасибо за ценный опыт!");

  ASSERT_EQ(anna.request("DELETE", practice_url(family_) + "/comments/" + std::to_string(answer.json()["id"].get<int>()))
                .status,
            200);
  auto deleted = next_comment(*boris_ws, topic, answer.json()["id"]);
  ASSERT_TRUE(deleted);
  EXPECT_EQ((*deleted)["data"]["deleted"], true);
}

TEST_F(Gallery, ParticipantsFlagAnAbusiveCommentOnceAndItsModeratorsSeeItFirst) {
  start(kDuringGallery);
  auto& boris = people_->person("boris@dom.ru");
  auto& anna = people_->person("anna@dom.ru");
  auto& vera = people_->person("vera@dom.ru");
  auto rude = boris.post(practice_url(family_) + "/comments", {{"text", "Грубый комментарий"}});
  auto kind = boris.post(practice_url(family_) + "/comments", {{"text", "Добрый комментарий"}});
  auto elsewhere = anna.post(practice_url(club_) + "/comments", {{"text", "О клубе"}});
  ASSERT_EQ(rude.status, 201);
  ASSERT_EQ(kind.status, 201);
  ASSERT_EQ(elsewhere.status, 201);
  const int rude_id = rude.json()["id"], kind_id = kind.json()["id"], elsewhere_id = elsewhere.json()["id"];
  const std::string rude_url = practice_url(family_) + "/comments/" + std::to_string(rude_id);

  // Anna flags with a reason of the agenda, Vera with none; each only once; nobody flags their own.
  EXPECT_EQ(anna.post(rude_url + "/flag", {{"reason", "insult"}}).status, 200);
  EXPECT_EQ(anna.post(rude_url + "/flag", {{"reason", "spam"}}).error_code(), "already_flagged");
  EXPECT_EQ(vera.post(rude_url + "/flag", json::object()).status, 200);
  EXPECT_EQ(boris.post(rude_url + "/flag", json::object()).error_code(), "own_comment");
  EXPECT_EQ(anna.post(practice_url(family_) + "/comments/" + std::to_string(kind_id) + "/flag",
                      {{"reason", "no_such_reason"}})
                .error_code(),
            "invalid_reason");
  EXPECT_EQ(people_->person("stranger@dom.ru").post(rude_url + "/flag", json::object()).error_code(),
            "not_a_participant");
  EXPECT_EQ(anna.post(practice_url(family_) + "/comments/999999/flag", json::object()).error_code(),
            "comment_not_found");
  ASSERT_EQ(boris.post(practice_url(club_) + "/comments/" + std::to_string(elsewhere_id) + "/flag",
                       {{"reason", "off_topic"}})
                .status,
            200);

  // Anna's page knows what she flagged; the author's never says who, nor that anyone did.
  auto annas = anna.get(practice_url(family_) + "/comments").json();
  EXPECT_EQ(annas["flagged"], json::array({rude_id}));
  EXPECT_EQ(annas["may_flag"], true);
  auto boris_view = boris.get(practice_url(family_) + "/comments");
  EXPECT_EQ(boris_view.json()["flagged"], json::array());
  EXPECT_EQ(boris_view.body.find("insult"), std::string::npos);

  // The organiser sees every comment, the flagged first with their counts.
  auto& organiser = people_->organiser();
  const std::string view = kEventApi + "/gallery/moderation";
  auto all = organiser.get(view);
  ASSERT_EQ(all.status, 200) << all.body;
  auto list = all.json()["comments"];
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0]["id"], rude_id);
  EXPECT_EQ(list[0]["flags"], 2);
  EXPECT_EQ(list[0]["reasons"], json({{"", 1}, {"insult", 1}}));
  EXPECT_EQ(list[0]["practice_title"], "Школа наставников");
  EXPECT_FALSE(list[0]["flagged_at"].is_null());
  EXPECT_EQ(list[1]["id"], elsewhere_id);
  EXPECT_EQ(list[1]["flags"], 1);
  EXPECT_EQ(list[2]["id"], kind_id);
  EXPECT_EQ(list[2]["flags"], 0);
  EXPECT_TRUE(list[2]["flagged_at"].is_null());

  // Section 1's moderator sees section 1's discussion only; a participant sees none of it.
  auto& moderator = people_->person("moderator@minsoc.ru");
  auto theirs = moderator.get(view).json()["comments"];
  ASSERT_EQ(theirs.size(), 2u);
  EXPECT_EQ(theirs[0]["id"], rude_id);
  EXPECT_EQ(theirs[1]["id"], kind_id);
  EXPECT_EQ(anna.get(view).error_code(), "forbidden");
  EXPECT_EQ(anna.request("DELETE", rude_url + "/flags").error_code(), "forbidden");
  EXPECT_EQ(moderator.request("DELETE", practice_url(club_) + "/comments/" + std::to_string(elsewhere_id) + "/flags")
                .error_code(),
            "forbidden");

  // Clearing keeps the comment; hiding resolves the flags too. A resolved flag is not raised again.
  ASSERT_EQ(organiser.request("DELETE", practice_url(club_) + "/comments/" + std::to_string(elsewhere_id) + "/flags")
                .status,
            200);
  ASSERT_EQ(moderator.post(rude_url + "/hide", json::object()).status, 200);
  auto after = organiser.get(view).json()["comments"];
  ASSERT_EQ(after.size(), 3u);
  for (const auto& c : after) EXPECT_EQ(c["flags"], 0) << c;
  EXPECT_EQ(after[0]["id"], elsewhere_id);  // the newest first once nothing is flagged
  EXPECT_EQ(after[2]["text"], "Грубый комментарий");  // moderators read a hidden comment
  EXPECT_EQ(after[2]["hidden"], true);
  EXPECT_EQ(anna.post(rude_url + "/flag", json::object()).error_code(), "already_flagged");
  EXPECT_EQ(people_->person("gleb@dom.ru").post(rude_url + "/flag", json::object()).status, 200);
  EXPECT_EQ(organiser.get(view).json()["comments"][0]["flags"], 1);
}

TEST_F(Gallery, CommentsMustHaveTextWithinTheLimit) {
  start(kDuringGallery);
  auto& boris = people_->person("boris@dom.ru");
  EXPECT_EQ(boris.post(practice_url(family_) + "/comments", {{"text", "   "}}).error_code(), "empty_comment");
  EXPECT_EQ(boris.post(practice_url(family_) + "/comments", json::object()).error_code(), "empty_comment");
  std::string longest;
  for (int i = 0; i < 2000; ++i) longest += "ж";
  EXPECT_EQ(boris.post(practice_url(family_) + "/comments", {{"text", longest}}).status, 201);
  EXPECT_EQ(boris.post(practice_url(family_) + "/comments", {{"text", longest + "ж"}}).error_code(),
            "comment_too_long");
  EXPECT_EQ(boris.post(practice_url(rejected_) + "/comments", {{"text", "Текст"}}).error_code(),
            "practice_not_found");
}

TEST_F(Gallery, WritingIsRefusedOutsideTheStageAndReadingGoesOn) {
  start(kDuringGallery);
  ASSERT_EQ(people_->person("boris@dom.ru").post(practice_url(family_) + "/comments", {{"text", "Отлично"}}).status,
            201);
  start(kAfterGallery);
  auto& boris = people_->person("boris@dom.ru");
  auto refused = boris.post(practice_url(family_) + "/comments", {{"text", "Ещё одно"}});
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.error_code(), "gallery_closed");
  auto listed = boris.get(practice_url(family_) + "/comments");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json()["comments"].size(), 1u);
  EXPECT_EQ(listed.json()["writable"], false);
  EXPECT_EQ(boris.get(kEventApi + "/practices").status, 200);
}

TEST_F(Gallery, ViewersAreCountedAcrossTwoServersSharingRedis) {
  SharedRedis redis;
  ASSERT_FALSE(redis.url().empty());
  redis_url_ = redis.url();
  start(kDuringGallery);
  // A second process on the same database, as behind a load balancer.
  auto second = ServerProcess::start({.data_dir = data_.path(), .clock = kDuringGallery, .redis = redis_url_});
  ASSERT_TRUE(second) << second.status().message();
  const std::string topic = "practice:irkutsk-2020:" + std::to_string(club_);
  auto a = connect("anna@dom.ru");
  WsClient::Options options;
  options.cookie = people_->person("boris@dom.ru").cookie_header();
  auto b = WsClient::connect((*second)->port(), options);
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->call({{"op", "subscribe"}, {"topic", topic}})["ok"], true);
  ASSERT_EQ(b->call({{"op", "subscribe"}, {"topic", topic}})["ok"], true);
  EXPECT_TRUE(a->wait_presence(topic, 2));
  EXPECT_TRUE(b->wait_presence(topic, 2));

  // The organiser's list of the busiest practices, from the first server.
  json busiest;
  for (int i = 0; i < 100; ++i) {
    busiest = people_->organiser().get(kEventApi + "/gallery/busiest").json();
    if (!busiest["practices"].empty() && busiest["practices"][0]["viewers"] == 2) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_FALSE(busiest["practices"].empty()) << busiest;
  EXPECT_EQ(busiest["practices"][0]["id"], club_);
  EXPECT_EQ(busiest["practices"][0]["viewers"], 2);
  EXPECT_EQ(people_->person("anna@dom.ru").get(kEventApi + "/gallery/busiest").status, 403);
  // The practice page carries the same count.
  EXPECT_EQ(people_->person("anna@dom.ru").get(kEventApi + "/gallery/practices/" + std::to_string(club_)).json()["viewers"],
            2);
  b.reset();
  EXPECT_TRUE(a->wait_presence(topic, 1));
}

// ---- Live events across instances, numbered and resumable -------------------------------------

// The next "comment" push on `topic`, whichever comment it is.
std::optional<json> next_comment_push(WsClient& ws, const std::string& topic) { return ws.next_event(topic, "comment"); }

json subscribe(WsClient& ws, const std::string& topic, std::optional<std::int64_t> since = {}) {
  json op = {{"op", "subscribe"}, {"topic", topic}};
  if (since) op["since"] = *since;
  return ws.call(op);
}

// Until /api/health says the live fan-out reaches Redis (or a minute passed).
bool live_healthy(int port) {
  HttpClient http(port);
  for (int i = 0; i < 600; ++i) {
    if (http.get("/api/health").json()["live"]["healthy"] == true) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

TEST_F(Gallery, ACommentPostedThroughOneServerReachesASubscriberOfAnother) {
  auto redis = RedisServer::start();
  ASSERT_TRUE(redis);
  redis_url_ = (*redis)->url();
  start(kDuringGallery);
  auto second = ServerProcess::start({.data_dir = data_.path(), .clock = kDuringGallery, .redis = redis_url_});
  ASSERT_TRUE(second) << second.status().message();
  ASSERT_TRUE(live_healthy(server_->port()) && live_healthy((*second)->port()));
  const std::string topic = "practice:irkutsk-2020:" + std::to_string(family_);
  WsClient::Options options;
  options.cookie = people_->person("anna@dom.ru").cookie_header();
  auto anna_ws = WsClient::connect((*second)->port(), options);
  ASSERT_TRUE(anna_ws);
  ASSERT_EQ(subscribe(*anna_ws, topic)["ok"], true);

  auto posted = people_->person("boris@dom.ru").post(practice_url(family_) + "/comments", {{"text", "Спасибо!"}});
  ASSERT_EQ(posted.status, 201) << posted.body;
  auto pushed = next_comment_push(*anna_ws, topic);
  ASSERT_TRUE(pushed);
  EXPECT_EQ((*pushed)["data"]["id"], posted.json()["id"]);
  EXPECT_EQ((*pushed)["data"]["text"], "Спасибо!");
  EXPECT_EQ((*pushed)["seq"], 1);
}

TEST_F(Gallery, AClientResubscribingToAnyServerWithItsSequenceGetsTheMissedCommentsOnce) {
  auto redis = RedisServer::start();
  ASSERT_TRUE(redis);
  redis_url_ = (*redis)->url();
  start(kDuringGallery);
  auto second = ServerProcess::start({.data_dir = data_.path(), .clock = kDuringGallery, .redis = redis_url_});
  ASSERT_TRUE(second) << second.status().message();
  ASSERT_TRUE(live_healthy(server_->port()) && live_healthy((*second)->port()));
  const std::string topic = "practice:irkutsk-2020:" + std::to_string(family_);
  auto& boris = people_->person("boris@dom.ru");
  auto comment = [&](const std::string& text) {
    auto posted = boris.post(practice_url(family_) + "/comments", {{"text", text}});
    EXPECT_EQ(posted.status, 201) << posted.body;
    return posted.json()["id"].get<int>();
  };
  WsClient::Options options;
  options.cookie = people_->person("anna@dom.ru").cookie_header();

  // Anna follows the page through the second server and then loses her connection.
  auto anna_ws = WsClient::connect((*second)->port(), options);
  ASSERT_TRUE(anna_ws);
  ASSERT_EQ(subscribe(*anna_ws, topic)["ok"], true);
  comment("Первый");
  auto first = next_comment_push(*anna_ws, topic);
  ASSERT_TRUE(first);
  const std::int64_t seen = (*first)["seq"];
  anna_ws.reset();
  std::vector<int> missed = {comment("Второй"), comment("Третий")};

  // Back through the first server, which kept them: each once, in order, then the live ones.
  auto again = WsClient::connect(server_->port(), options);
  ASSERT_TRUE(again);
  auto resumed = subscribe(*again, topic, seen);
  ASSERT_EQ(resumed["ok"], true) << resumed;
  EXPECT_EQ(resumed["data"]["resumed"], true);
  for (std::size_t i = 0; i < missed.size(); ++i) {
    auto pushed = next_comment_push(*again, topic);
    ASSERT_TRUE(pushed) << i;
    EXPECT_EQ((*pushed)["data"]["id"], missed[i]);
    EXPECT_EQ((*pushed)["seq"], seen + 1 + static_cast<std::int64_t>(i));
  }
  int live = comment("Четвёртый");
  missed.push_back(live);
  auto next = next_comment_push(*again, topic);
  ASSERT_TRUE(next);
  EXPECT_EQ((*next)["data"]["id"], live) << "a missed comment came twice";

  // A server started after them has none of its own: they come from the topic's Redis Stream.
  auto third = ServerProcess::start({.data_dir = data_.path(), .clock = kDuringGallery, .redis = redis_url_});
  ASSERT_TRUE(third) << third.status().message();
  ASSERT_TRUE(live_healthy((*third)->port()));
  auto late = WsClient::connect((*third)->port(), options);
  ASSERT_TRUE(late);
  ASSERT_EQ(subscribe(*late, topic, seen)["data"]["resumed"], true);
  for (int id : missed) {
    auto pushed = next_comment_push(*late, topic);
    ASSERT_TRUE(pushed);
    EXPECT_EQ((*pushed)["data"]["id"], id);
  }
  int after = comment("Пятый");
  auto fifth = next_comment_push(*late, topic);
  ASSERT_TRUE(fifth);
  EXPECT_EQ((*fifth)["data"]["id"], after) << "a comment came twice";
}

TEST_F(Gallery, AResubscribeWhoseCommentsAreNoLongerKeptGetsAResyncWithThePageState) {
  auto redis = RedisServer::start();
  ASSERT_TRUE(redis);
  redis_url_ = (*redis)->url();
  start(kDuringGallery);
  ASSERT_TRUE(live_healthy(server_->port()));
  const std::string topic = "practice:irkutsk-2020:" + std::to_string(family_);
  auto& boris = people_->person("boris@dom.ru");
  for (std::string text : {"Один", "Два", "Три"})
    ASSERT_EQ(boris.post(practice_url(family_) + "/comments", {{"text", text}}).status, 201);
  // The Stream trimmed to nothing, and a server that never saw the comments.
  ASSERT_TRUE((*redis)->query("XTRIM praktika:live:log:" + topic + " MAXLEN 0"));
  auto second = ServerProcess::start({.data_dir = data_.path(), .clock = kDuringGallery, .redis = redis_url_});
  ASSERT_TRUE(second) << second.status().message();
  ASSERT_TRUE(live_healthy((*second)->port()));
  WsClient::Options options;
  options.cookie = people_->person("anna@dom.ru").cookie_header();
  auto anna_ws = WsClient::connect((*second)->port(), options);
  ASSERT_TRUE(anna_ws);
  ASSERT_EQ(subscribe(*anna_ws, topic, 1)["data"]["resumed"], true);
  auto resync = anna_ws->next_event(topic, "resync");
  ASSERT_TRUE(resync);
  EXPECT_EQ((*resync)["seq"], 3);
  EXPECT_EQ((*resync)["data"]["practice"], family_);
  auto posted = boris.post(practice_url(family_) + "/comments", {{"text", "Четыре"}});
  auto next = next_comment_push(*anna_ws, topic);
  ASSERT_TRUE(next);
  EXPECT_EQ((*next)["seq"], 4);
  EXPECT_EQ((*next)["data"]["id"], posted.json()["id"]);
}

TEST_F(Gallery, CommentsReachTheOtherServerAgainOnceRedisIsBack) {
  auto redis = RedisServer::start();
  ASSERT_TRUE(redis);
  redis_url_ = (*redis)->url();
  start(kDuringGallery);
  auto second = ServerProcess::start({.data_dir = data_.path(), .clock = kDuringGallery, .redis = redis_url_});
  ASSERT_TRUE(second) << second.status().message();
  ASSERT_TRUE(live_healthy(server_->port()) && live_healthy((*second)->port()));
  const std::string topic = "practice:irkutsk-2020:" + std::to_string(family_);
  WsClient::Options options;
  options.cookie = people_->person("anna@dom.ru").cookie_header();
  auto anna_ws = WsClient::connect((*second)->port(), options);
  ASSERT_TRUE(anna_ws);
  ASSERT_EQ(subscribe(*anna_ws, topic)["ok"], true);

  (*redis)->stop();
  ASSERT_TRUE((*redis)->restart());
  ASSERT_TRUE(live_healthy(server_->port()) && live_healthy((*second)->port()));
  auto posted = people_->person("boris@dom.ru").post(practice_url(family_) + "/comments", {{"text", "Снова здесь"}});
  ASSERT_EQ(posted.status, 201);
  auto pushed = next_comment_push(*anna_ws, topic);
  ASSERT_TRUE(pushed);
  EXPECT_EQ((*pushed)["data"]["id"], posted.json()["id"]);
}

TEST_F(Gallery, WithoutRedisAResubscribeGetsTheMissedCommentsOnceOrAResync) {
  start(kDuringGallery);
  const std::string topic = "practice:irkutsk-2020:" + std::to_string(family_);
  auto& boris = people_->person("boris@dom.ru");
  auto anna_ws = connect("anna@dom.ru");
  ASSERT_TRUE(anna_ws);
  auto fresh = subscribe(*anna_ws, topic);
  ASSERT_EQ(fresh["data"]["seq"], 0);
  ASSERT_EQ(boris.post(practice_url(family_) + "/comments", {{"text", "Один"}}).status, 201);
  ASSERT_TRUE(next_comment_push(*anna_ws, topic));
  anna_ws.reset();
  auto missed = boris.post(practice_url(family_) + "/comments", {{"text", "Два"}});

  auto again = connect("anna@dom.ru");
  ASSERT_EQ(subscribe(*again, topic, 1)["data"]["resumed"], true);
  auto pushed = next_comment_push(*again, topic);
  ASSERT_TRUE(pushed);
  EXPECT_EQ((*pushed)["seq"], 2);
  EXPECT_EQ((*pushed)["data"]["id"], missed.json()["id"]);

  // A number past the topic's (the server restarted since) gets the page's state instead.
  auto stale = connect("anna@dom.ru");
  ASSERT_EQ(subscribe(*stale, topic, 40)["data"]["resumed"], true);
  auto resync = stale->next_event(topic, "resync");
  ASSERT_TRUE(resync);
  EXPECT_EQ((*resync)["seq"], 2);
  EXPECT_EQ((*resync)["data"]["practice"], family_);
}

}  // namespace
}  // namespace praktika::test
