// The section day (8 July) against the real binary: running orders built from the practices
// admitted to present, a whole section run over the WebSocket by a moderator in front of an
// audience, the speaker timer under a sped-up clock, questions and hands, attendance and results.
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "common/time.h"
#include "support/bytes.h"
#include "support/media_fixtures.h"
#include "support/redis_server.h"
#include "support/scenario.h"
#include "support/pdf_upload.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

using nlohmann::json;

const std::string kSection1 = "section:irkutsk-2020:1";
const std::string kModeratorEmail = "moderator@minsoc.ru";
// Two minutes before the sections open; at 300x a ten-minute slot lasts two real seconds.
const std::string kSectionDay = "2020-07-08T09:58:00+08:00";
constexpr double kSpeed = 300;

std::string outcome_path(int practice) {
  return kEventApi + "/review/practices/" + std::to_string(practice) + "/outcome";
}

HttpResult put(HttpClient& http, const std::string& target, const json& body) {
  return http.request("PUT", target, body.dump());
}

// A data directory as it stands on the morning of 8 July: three practices of section 1 admitted to
// present (anna, boris, vera), one of section 1 for the gallery only (gleb), a moderator of
// section 1, and — when `publish` — section 1's running order of 10-minute slots published.
struct Day {
  TempDir data;
  std::vector<int> presenters;  // in submission order
  int gallery_only = 0;
};

void prepare(Day& day, bool publish) {
  std::string output;
  ASSERT_TRUE(create_organiser(day.data.path(), &output)) << output;
  {
    auto server = ServerProcess::start({.data_dir = day.data.path(), .clock = kDuringIntake});
    ASSERT_TRUE(server);
    People people((*server)->port());
    for (std::string who : {"anna", "boris", "vera"}) {
      int id = submit_practice(people, {.author_email = who + "@dom.ru", .section = 1, .name = "Практика " + who});
      ASSERT_GT(id, 0);
      day.presenters.push_back(id);
    }
    day.gallery_only = submit_practice(people, {.author_email = "gleb@dom.ru", .section = 1});
    ASSERT_GT(day.gallery_only, 0);
  }
  auto server = ServerProcess::start({.data_dir = day.data.path(), .clock = kDuringReview});
  ASSERT_TRUE(server);
  People people((*server)->port());
  for (int id : day.presenters)
    ASSERT_EQ(put(people.organiser(), outcome_path(id), {{"outcome", "present"}, {"reason", ""}}).status, 200);
  ASSERT_EQ(put(people.organiser(), outcome_path(day.gallery_only), {{"outcome", "gallery"}, {"reason", "Галерея"}}).status,
            200);
  ASSERT_TRUE(people.grant(kModeratorEmail, "moderator", 1));
  if (!publish) return;
  json slots = json::array();
  for (int id : day.presenters) slots.push_back({{"practice", id}, {"minutes", 10}});
  auto edited = put(people.organiser(), kEventApi + "/sections/1/schedule", {{"slots", slots}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  ASSERT_EQ(people.organiser().post(kEventApi + "/sections/1/schedule/publish", json::object()).status, 200);
}

std::unique_ptr<WsClient> connect_as(int port, HttpClient* http) {
  WsClient::Options options;
  if (http) options.cookie = http->cookie_header();
  return WsClient::connect(port, options);
}

json op(WsClient& ws, const std::string& name, json fields = json::object()) {
  fields["op"] = name;
  fields["event"] = kEventId;
  if (!fields.contains("section")) fields["section"] = 1;
  return ws.call(fields);
}

// The next "state" push with a version at least `version`.
std::optional<json> state_after(WsClient& ws, std::int64_t version) {
  for (;;) {
    auto e = ws.next_event(kSection1, "state");
    if (!e) return std::nullopt;
    if ((*e)["data"]["version"].get<std::int64_t>() >= version) return (*e)["data"];
  }
}

TimePoint instant(const json& j) { return *parse_instant(j.get<std::string>()); }

const std::string kModeration1 = "section-moderation:irkutsk-2020:1";

// The next push on `topic` from the section itself (presence is the hub's and has no version).
std::optional<json> next_push(WsClient& ws, const std::string& topic, std::chrono::milliseconds timeout = 5s) {
  for (;;) {
    auto e = ws.next_event(topic, "", timeout);
    if (!e || (*e)["event"] != "presence") return e;
  }
}

// Follows section 1 the way a client does that keeps the highest version it has seen: the audience
// on the public topic, a moderator on the moderators' topic, and two late-comers who subscribe
// afresh after every change. Each change must reach them all at a version above the last one.
class VersionWatch {
 public:
  VersionWatch(int port, HttpClient& viewer, HttpClient& moderator, std::int64_t last) : last_(last) {
    audience_ = connect_as(port, &viewer);
    moderators_ = connect_as(port, &moderator);
    late_viewer_ = connect_as(port, nullptr);
    late_moderator_ = connect_as(port, &moderator);
    EXPECT_EQ(subscribe(*audience_, kSection1)["state"]["version"], last);
    EXPECT_EQ(subscribe(*moderators_, kModeration1)["moderation"]["version"], last);
  }

  std::int64_t last() const { return last_; }

  // A section op done by `ws`: its reply and its pushes carry one new version. Run actions push the
  // public state; floor actions and a reset push the moderators' list too. Returns the reply's data.
  json change(WsClient& ws, const std::string& name, json fields = json::object()) {
    SCOPED_TRACE(name + " " + fields.dump());
    auto reply = op(ws, name, fields);
    if (reply["ok"] != true) {
      ADD_FAILURE() << reply;
      return nullptr;
    }
    const json& data = reply["data"];
    auto version = (data.contains("state") ? data["state"] : data)["version"].get<std::int64_t>();
    EXPECT_GT(version, last_);
    auto state = next_push(*audience_, kSection1);
    EXPECT_TRUE(state);
    if (state) {
      EXPECT_EQ((*state)["event"], "state");
      EXPECT_EQ((*state)["data"]["version"], version);
    }
    if (!kRunActions.contains(name) || name == "section.reset") {
      auto moderation = next_push(*moderators_, kModeration1);
      EXPECT_TRUE(moderation);
      if (moderation) {
        EXPECT_EQ((*moderation)["event"], "moderation");
        EXPECT_EQ((*moderation)["data"]["version"], version);
      }
    }
    expect_fresh_subscriptions_at_least(version);
    last_ = version;
    return data;
  }

  // A timer event the section pushes by itself, at a version of its own.
  json timer(const std::string& event) {
    SCOPED_TRACE(event);
    auto pushed = next_push(*audience_, kSection1, 10s);
    if (!pushed) {
      ADD_FAILURE() << "no " << event;
      return nullptr;
    }
    EXPECT_EQ((*pushed)["event"], event);
    auto version = (*pushed)["data"]["version"].get<std::int64_t>();
    EXPECT_GT(version, last_);
    expect_fresh_subscriptions_at_least(version);
    last_ = version;
    return (*pushed)["data"];
  }

 private:
  static inline const std::set<std::string> kRunActions = {"section.start",  "section.next",   "section.extend",
                                                           "section.absent", "section.reorder", "section.pause",
                                                           "section.resume", "section.close",  "section.reset"};

  static json subscribe(WsClient& ws, const std::string& topic) {
    auto reply = ws.call({{"op", "subscribe"}, {"topic", topic}});
    EXPECT_EQ(reply["ok"], true) << reply;
    return reply["data"];
  }

  // A timer may already have taken a later version by the time the late-comers ask.
  void expect_fresh_subscriptions_at_least(std::int64_t version) {
    EXPECT_GE(subscribe(*late_viewer_, kSection1)["state"]["version"].get<std::int64_t>(), version);
    EXPECT_GE(subscribe(*late_moderator_, kModeration1)["moderation"]["version"].get<std::int64_t>(), version);
    for (auto& [ws, topic] : {std::pair{late_viewer_.get(), kSection1}, std::pair{late_moderator_.get(), kModeration1}})
      EXPECT_EQ(ws->call({{"op", "unsubscribe"}, {"topic", topic}})["ok"], true);
  }

  std::unique_ptr<WsClient> audience_, moderators_, late_viewer_, late_moderator_;
  std::int64_t last_;
};

TEST(Sections, TheDraftFillsTheWindowWithAdmittedPresentersAndPublishingNotifiesTheirAuthors) {
  Day day;
  ASSERT_NO_FATAL_FAILURE(prepare(day, false));
  auto server = ServerProcess::start({.data_dir = day.data.path(), .clock = kDuringReview});
  ASSERT_TRUE(server);
  People people((*server)->port());
  auto& org = people.organiser();

  // Three presenters in 120 minutes with 2-minute gaps: 38 minutes each, held to the 20-minute maximum.
  auto draft = org.post(kEventApi + "/sections/1/schedule/draft", json::object());
  ASSERT_EQ(draft.status, 200) << draft.body;
  auto slots = draft.json()["draft"];
  ASSERT_EQ(slots.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(slots[i]["practice"], day.presenters[i]);
    EXPECT_EQ(slots[i]["seconds"], 20 * 60);
  }
  EXPECT_EQ(slots[0]["starts_at"], "2020-07-08T10:00:00+08:00");
  EXPECT_EQ(slots[1]["starts_at"], "2020-07-08T10:22:00+08:00");
  EXPECT_TRUE(draft.json()["fits"]);
  EXPECT_EQ(draft.json()["published"], nullptr);

  // Edited by hand: refused outside the bounds, for a practice not admitted, and when it overflows.
  int a = day.presenters[0], b = day.presenters[1], c = day.presenters[2];
  auto path = kEventApi + "/sections/1/schedule";
  EXPECT_EQ(put(org, path, {{"slots", {{{"practice", a}, {"minutes", 5}}}}}).error_code(), "invalid_slot_length");
  EXPECT_EQ(put(org, path, {{"slots", {{{"practice", day.gallery_only}, {"minutes", 10}}}}}).error_code(), "not_admitted");
  EXPECT_EQ(put(people.person("anna@dom.ru"), path, {{"slots", json::array()}}).error_code(), "forbidden");
  auto edited = put(org, path, {{"slots", {{{"practice", c}, {"minutes", 15}}, {{"practice", a}, {"minutes", 10}}, {{"practice", b}, {"minutes", 10}}}}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json()["draft"][1]["starts_at"], "2020-07-08T10:17:00+08:00");

  // Nothing is public before publication.
  EXPECT_EQ(people.person("anna@dom.ru").get(kEventApi + "/sections/mine").json()["slots"][0]["slot"], nullptr);
  auto published = org.post(kEventApi + "/sections/1/schedule/publish", json::object());
  ASSERT_EQ(published.status, 200) << published.body;
  auto mine = people.person("anna@dom.ru").get(kEventApi + "/sections/mine").json();
  ASSERT_EQ(mine["slots"].size(), 1u);
  EXPECT_EQ(mine["slots"][0]["slot"]["position"], 2);
  EXPECT_EQ(mine["slots"][0]["slot"]["starts_at"], "2020-07-08T10:17:00+08:00");
  EXPECT_EQ(mine["slots"][0]["room_url"], "https://video-room.example.org/irkutsk-2020/section-1");
  ASSERT_EQ(mine["notices"].size(), 1u);

  // A change after publication reaches only the authors whose slot moved, live on their topic.
  auto boris = connect_as(people.port(), &people.person("boris@dom.ru"));
  auto vera = connect_as(people.port(), &people.person("vera@dom.ru"));
  auto boris_id = people.person("boris@dom.ru").get("/api/me").json()["user"]["id"].get<int>();
  auto vera_id = people.person("vera@dom.ru").get("/api/me").json()["user"]["id"].get<int>();
  ASSERT_EQ(boris->call({{"op", "subscribe"}, {"topic", "author:irkutsk-2020:" + std::to_string(boris_id)}})["ok"], true);
  ASSERT_EQ(vera->call({{"op", "subscribe"}, {"topic", "author:irkutsk-2020:" + std::to_string(vera_id)}})["ok"], true);
  EXPECT_EQ(vera->call({{"op", "subscribe"}, {"topic", "author:irkutsk-2020:" + std::to_string(boris_id)}})["error"]["code"],
            "forbidden");
  // Boris's slot grows at the end: Vera (first) and Anna (second) keep theirs.
  ASSERT_EQ(put(org, path, {{"slots", {{{"practice", c}, {"minutes", 15}}, {{"practice", a}, {"minutes", 10}}, {{"practice", b}, {"minutes", 20}}}}}).status, 200);
  ASSERT_EQ(org.post(kEventApi + "/sections/1/schedule/publish", json::object()).status, 200);
  auto notice = boris->next_event("", "notice");
  ASSERT_TRUE(notice);
  EXPECT_EQ((*notice)["data"]["slot"]["ends_at"], "2020-07-08T10:49:00+08:00");
  EXPECT_NE((*notice)["data"]["text"].get<std::string>().find("изменилось"), std::string::npos);
  EXPECT_EQ(people.person("anna@dom.ru").get(kEventApi + "/sections/mine").json()["notices"].size(), 1u);
  EXPECT_EQ(people.person("boris@dom.ru").get(kEventApi + "/sections/mine").json()["notices"].size(), 2u);
  EXPECT_FALSE(vera->next_event("", "notice", 300ms));

  // Everyone sees the published order and the rooms of the sections, the welcome and the results.
  HttpClient anonymous(people.port());
  auto overview = anonymous.get(kEventApi + "/sections").json();
  EXPECT_EQ(overview["sections"][0]["schedule"]["slots"].size(), 3u);
  EXPECT_EQ(overview["sections"][1]["schedule"], nullptr);
  EXPECT_EQ(overview["sessions"]["welcome"]["room_url"], "https://video-room.example.org/irkutsk-2020/welcome");
  EXPECT_EQ(overview["sessions"]["results"]["starts"], "2020-07-08T12:30:00+08:00");
  // The agenda's section contacts are still placeholders: not shown as if they were real.
  EXPECT_EQ(overview["sections"][0]["contact"]["phone"], "");
  EXPECT_EQ(overview["sections"][0]["contact"]["name"], "");
  EXPECT_EQ(anonymous.get(kEventApi + "/sections/1/schedule").json().contains("draft"), false);
}

TEST(Sections, AModeratorRunsAWholeSectionBeforeTheAudienceOverTheWebSocket) {
  Day day;
  ASSERT_NO_FATAL_FAILURE(prepare(day, true));
  auto server = ServerProcess::start({.data_dir = day.data.path(), .clock = kSectionDay, .clock_speed = kSpeed});
  ASSERT_TRUE(server);
  People people((*server)->port());
  int a = day.presenters[0], b = day.presenters[1], c = day.presenters[2];

  auto moderator = connect_as(people.port(), &people.person(kModeratorEmail));
  auto viewer = connect_as(people.port(), &people.person("zoya@dom.ru"));
  auto presenter = connect_as(people.port(), &people.person("anna@dom.ru"));
  auto anonymous = connect_as(people.port(), nullptr);
  for (auto* ws : {moderator.get(), viewer.get(), presenter.get(), anonymous.get()}) {
    ASSERT_TRUE(ws);
    auto sub = ws->call({{"op", "subscribe"}, {"topic", kSection1}});
    ASSERT_EQ(sub["ok"], true) << sub;
    EXPECT_EQ(sub["data"]["state"]["status"], "waiting");
  }

  // A participant may not run the section.
  for (std::string name : {"section.start", "section.next", "section.close", "section.reorder"})
    EXPECT_EQ(op(*viewer, name)["error"]["code"], "not_moderator") << name;
  EXPECT_EQ(op(*anonymous, "section.start")["error"]["code"], "not_moderator");

  auto started = op(*moderator, "section.start");
  ASSERT_EQ(started["ok"], true) << started;
  auto seen = state_after(*viewer, started["data"]["version"]);
  ASSERT_TRUE(seen);
  EXPECT_EQ((*seen)["status"], "running");
  EXPECT_EQ((*seen)["next"]["practice"], a);

  auto called = op(*moderator, "section.next");
  ASSERT_EQ(called["ok"], true) << called;
  auto now_presenting = state_after(*anonymous, called["data"]["version"]);
  ASSERT_TRUE(now_presenting);
  EXPECT_EQ((*now_presenting)["current"]["practice"], a);
  EXPECT_EQ((*now_presenting)["current"]["info"]["title"], "Практика anna");
  EXPECT_EQ((*now_presenting)["next"]["practice"], b);
  TimePoint ends = instant((*now_presenting)["current"]["ends_at"]);
  EXPECT_EQ(ends - instant((*now_presenting)["current"]["started_at"]), std::chrono::minutes(10));

  // The timer: warnings 5 and 1 minutes before the end, then time_up, each at its clock instant,
  // seen by the presenter and the audience.
  for (auto* ws : {presenter.get(), viewer.get()}) {
    auto five = ws->next_event(kSection1, "warning", 10s);
    ASSERT_TRUE(five);
    EXPECT_EQ((*five)["data"]["minutes_left"], 5);
    EXPECT_EQ(instant((*five)["data"]["at"]), ends - std::chrono::minutes(5));
    auto one = ws->next_event(kSection1, "warning", 10s);
    ASSERT_TRUE(one);
    EXPECT_EQ((*one)["data"]["minutes_left"], 1);
    auto up = ws->next_event(kSection1, "time_up", 10s);
    ASSERT_TRUE(up);
    EXPECT_EQ(instant((*up)["data"]["at"]), ends);
    EXPECT_EQ((*up)["data"]["practice"], a);
  }
  // Pushed no earlier than due: the server's clock has passed the slot's end.
  EXPECT_GE(*parse_instant(viewer->call({{"op", "ping"}})["data"]["now"].get<std::string>()), ends);

  // Reorder the remaining: Vera before Boris. A wrong set is refused.
  EXPECT_EQ(op(*moderator, "section.reorder", {{"order", {b}}})["error"]["code"], "invalid_order");
  auto reordered = op(*moderator, "section.reorder", {{"order", {c, b}}});
  ASSERT_EQ(reordered["ok"], true) << reordered;
  EXPECT_EQ(reordered["data"]["next"]["practice"], c);

  // A moderator who reconnects mid-section finds it exactly as it was.
  auto before = op(*moderator, "section.extend", {{"seconds", 60}})["data"];
  EXPECT_EQ(instant(before["current"]["ends_at"]), ends + std::chrono::minutes(1));
  moderator->close();
  moderator = connect_as(people.port(), &people.person(kModeratorEmail));
  auto again = moderator->call({{"op", "subscribe"}, {"topic", kSection1}});
  ASSERT_EQ(again["ok"], true);
  auto after = again["data"]["state"];
  for (std::string key : {"status", "queue", "done", "started_at"}) EXPECT_EQ(after[key], before[key]) << key;
  // The moved time_up may have fired meanwhile, at a version of its own.
  EXPECT_GE(after["version"], before["version"]);
  EXPECT_EQ(after["current"]["ends_at"], before["current"]["ends_at"]);
  EXPECT_EQ(after["current"]["practice"], a);

  // Next (Vera), then she is absent and the floor moves on to Boris.
  EXPECT_EQ(op(*moderator, "section.next")["data"]["current"]["practice"], c);
  auto absent = op(*moderator, "section.absent");
  ASSERT_EQ(absent["ok"], true) << absent;
  EXPECT_EQ(absent["data"]["current"]["practice"], b);
  EXPECT_EQ(absent["data"]["done"][1]["outcome"], "absent");
  EXPECT_EQ(absent["data"]["next"], nullptr);

  // Pause keeps the time left; resume starts counting again.
  auto paused = op(*moderator, "section.pause")["data"];
  EXPECT_EQ(paused["status"], "paused");
  EXPECT_EQ(paused["current"]["ends_at"], nullptr);
  EXPECT_EQ(op(*moderator, "section.next")["error"]["code"], "section_paused");
  auto resumed = op(*moderator, "section.resume")["data"];
  EXPECT_EQ(resumed["status"], "running");
  EXPECT_NE(resumed["current"]["ends_at"], nullptr);

  auto closed = op(*moderator, "section.close");
  ASSERT_EQ(closed["ok"], true);
  auto last = state_after(*viewer, closed["data"]["version"]);
  ASSERT_TRUE(last);
  EXPECT_EQ((*last)["status"], "closed");
  ASSERT_EQ((*last)["done"].size(), 3u);
  EXPECT_EQ((*last)["done"][0]["outcome"], "presented");
  EXPECT_EQ((*last)["done"][2]["practice"], b);
  EXPECT_EQ(op(*moderator, "section.next")["error"]["code"], "section_closed");

  // The GET answers what was pushed.
  auto got = people.person("zoya@dom.ru").get(kEventApi + "/sections/1/state").json();
  EXPECT_EQ(got["version"], (*last)["version"]);
  EXPECT_EQ(got["done"], (*last)["done"]);

  // Attendance: the signed-in viewers of section 1, for the organiser only.
  viewer->close();
  EXPECT_EQ(people.person("zoya@dom.ru").get(kEventApi + "/sections/attendance").error_code(), "forbidden");
  auto attendance = people.organiser().get(kEventApi + "/sections/attendance").json()["attendance"];
  std::set<std::string> who;
  for (const auto& row : attendance) {
    EXPECT_EQ(row["section"], 1);
    EXPECT_GE(row["seconds"].get<int>(), 0);
    who.insert(row["user"]["email"].get<std::string>());
  }
  EXPECT_EQ(who, (std::set<std::string>{kModeratorEmail, "zoya@dom.ru", "anna@dom.ru"}));
}

TEST(Sections, TheLiveStateSurvivesARestart) {
  Day day;
  ASSERT_NO_FATAL_FAILURE(prepare(day, true));
  json before;
  {
    auto server = ServerProcess::start({.data_dir = day.data.path(), .clock = kSectionDay});
    ASSERT_TRUE(server);
    People people((*server)->port());
    auto& mod = people.person(kModeratorEmail);
    ASSERT_EQ(mod.post(kEventApi + "/sections/1/actions/start", json::object()).status, 200);
    ASSERT_EQ(mod.post(kEventApi + "/sections/1/actions/next", json::object()).status, 200);
    before = mod.post(kEventApi + "/sections/1/actions/reorder", {{"order", {day.presenters[2], day.presenters[1]}}}).json();
    ASSERT_EQ(before["status"], "running") << before;
  }
  auto server = ServerProcess::start({.data_dir = day.data.path(), .clock = kSectionDay});
  ASSERT_TRUE(server);
  HttpClient anyone((*server)->port());
  auto after = anyone.get(kEventApi + "/sections/1/state").json();
  for (std::string key : {"status", "version", "queue", "done", "started_at"}) EXPECT_EQ(after[key], before[key]) << key;
  EXPECT_EQ(after["current"]["practice"], day.presenters[0]);
  EXPECT_EQ(after["current"]["ends_at"], before["current"]["ends_at"]);
  EXPECT_EQ(after["next"]["practice"], day.presenters[2]);
}

// Section 1 on its morning, its order published, with its moderator and two of the audience
// (zoya, petr) connected: the floor's tests.
class SectionFloor : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(prepare(day_, true));
    auto started = ServerProcess::start({.data_dir = day_.data.path(), .clock = kSectionDay});
    ASSERT_TRUE(started);
    server_ = std::move(*started);
    people.emplace(server_->port());
    moderator = connect_as(people->port(), &people->person(kModeratorEmail));
    zoya = connect_as(people->port(), &people->person("zoya@dom.ru"));
    petr = connect_as(people->port(), &people->person("petr@dom.ru"));
  }

  Day day_;
  std::unique_ptr<ServerProcess> server_;
  std::optional<People> people;
  std::unique_ptr<WsClient> moderator, zoya, petr;
};

TEST_F(SectionFloor, QuestionsAreUpvotedOncePerPersonAndHandsGetTheFloorInRaiseOrder) {
  auto anonymous = connect_as(people->port(), nullptr);
  ASSERT_EQ(moderator->call({{"op", "subscribe"}, {"topic", "section-moderation:irkutsk-2020:1"}})["ok"], true);
  EXPECT_EQ(zoya->call({{"op", "subscribe"}, {"topic", "section-moderation:irkutsk-2020:1"}})["error"]["code"],
            "not_moderator");

  EXPECT_EQ(op(*anonymous, "section.ask", {{"text", "Вопрос"}})["error"]["code"], "not_authenticated");
  EXPECT_EQ(op(*zoya, "section.ask", {{"text", "   "}})["error"]["code"], "invalid_question");
  std::vector<std::int64_t> q;
  for (std::string text : {"Первый вопрос", "Второй вопрос", "Третий вопрос"}) {
    auto asked = op(*zoya, "section.ask", {{"text", text}});
    ASSERT_EQ(asked["ok"], true) << asked;
    q.push_back(asked["data"]["question"]);
  }
  // Pending questions reach the moderators only.
  auto pending = moderator->next_event("section-moderation:irkutsk-2020:1", "moderation");
  ASSERT_TRUE(pending);
  EXPECT_EQ(op(*zoya, "section.approve", {{"question", q[0]}})["error"]["code"], "not_moderator");
  for (auto id : q) ASSERT_EQ(op(*moderator, "section.approve", {{"question", id}})["ok"], true);

  ASSERT_EQ(op(*zoya, "section.vote", {{"question", q[1]}})["ok"], true);
  EXPECT_EQ(op(*zoya, "section.vote", {{"question", q[1]}})["error"]["code"], "already_voted");
  ASSERT_EQ(op(*petr, "section.vote", {{"question", q[1]}})["ok"], true);
  auto voted = op(*petr, "section.vote", {{"question", q[2]}});
  ASSERT_EQ(voted["ok"], true);
  auto order = voted["data"]["questions"];
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(order[0]["id"], q[1]);
  EXPECT_EQ(order[0]["votes"], 2);
  EXPECT_EQ(order[1]["id"], q[2]);
  EXPECT_EQ(order[2]["id"], q[0]);

  // Answered in that order; an answered question leaves the list and takes no more votes.
  auto answered = op(*moderator, "section.answer", {{"question", order[0]["id"]}});
  EXPECT_EQ(answered["data"]["questions"][0]["id"], q[2]);
  EXPECT_EQ(op(*petr, "section.vote", {{"question", q[1]}})["error"]["code"], "question_closed");
  auto dismissed = op(*moderator, "section.dismiss", {{"question", q[2]}});
  EXPECT_EQ(dismissed["data"]["questions"].size(), 1u);

  // Hands: raised once each, the floor in raise order, a hand drops once its owner has spoken.
  ASSERT_EQ(op(*petr, "section.hand")["ok"], true);
  EXPECT_EQ(op(*petr, "section.hand")["error"]["code"], "hand_already_raised");
  ASSERT_EQ(op(*zoya, "section.hand")["ok"], true);
  EXPECT_EQ(op(*zoya, "section.floor")["error"]["code"], "not_moderator");
  auto first = op(*moderator, "section.floor")["data"]["state"];
  EXPECT_EQ(first["speaking"]["name"], "petr@dom.ru");
  ASSERT_EQ(first["hands"].size(), 1u);
  auto second = op(*moderator, "section.floor")["data"]["state"];
  EXPECT_EQ(second["speaking"]["name"], "zoya@dom.ru");
  EXPECT_TRUE(second["hands"].empty());
  auto done = op(*moderator, "section.floor_done");
  EXPECT_EQ(done["data"]["speaking"], nullptr);
  EXPECT_EQ(op(*moderator, "section.floor")["error"]["code"], "no_hand");
  // Petr has spoken and may raise his hand again.
  EXPECT_EQ(op(*petr, "section.hand")["ok"], true);
}

TEST_F(SectionFloor, AModeratorSwitchesPreApprovalHidesAQuestionAndSeesTheAudiencesFlagsFirst) {
  auto moderation = [&] { return people->person(kModeratorEmail).get(kEventApi + "/sections/1/moderation").json(); };
  auto audience = [&] { return people->person("petr@dom.ru").get(kEventApi + "/sections/1/state").json(); };

  // The agenda's default: a question waits, and the asker is told so.
  EXPECT_EQ(audience()["premoderation"], true);
  auto waiting = op(*zoya, "section.ask", {{"text", "Ждёт одобрения"}});
  ASSERT_EQ(waiting["ok"], true) << waiting;
  EXPECT_EQ(waiting["data"]["status"], "pending");
  EXPECT_EQ(op(*zoya, "section.premoderation", {{"on", false}})["error"]["code"], "not_moderator");
  EXPECT_EQ(op(*moderator, "section.premoderation", {{"on", "нет"}})["error"]["code"], "invalid_switch");
  auto off = op(*moderator, "section.premoderation", {{"on", false}});
  ASSERT_EQ(off["ok"], true) << off;
  EXPECT_EQ(off["data"]["premoderation"], false);
  EXPECT_EQ(moderation()["premoderation"], false);

  // Off: shown at once; the one asked before still waits.
  auto shown = op(*zoya, "section.ask", {{"text", "Сразу виден"}});
  ASSERT_EQ(shown["ok"], true) << shown;
  EXPECT_EQ(shown["data"]["status"], "approved");
  auto id = shown["data"]["question"].get<std::int64_t>();
  ASSERT_EQ(audience()["questions"].size(), 1u);
  EXPECT_EQ(audience()["questions"][0]["id"], id);
  EXPECT_FALSE(audience()["questions"][0].contains("flags"));

  // A flag once per person; the moderators see flagged questions first, with the count.
  ASSERT_EQ(op(*petr, "section.flag", {{"question", id}})["ok"], true);
  EXPECT_EQ(op(*petr, "section.flag", {{"question", id}})["error"]["code"], "already_flagged");
  EXPECT_EQ(op(*petr, "section.flag", {{"question", waiting["data"]["question"]}})["error"]["code"],
            "question_not_found");
  auto flagged = moderation()["questions"];
  ASSERT_EQ(flagged.size(), 2u);
  EXPECT_EQ(flagged[0]["id"], id);
  EXPECT_EQ(flagged[0]["flags"], 1);
  EXPECT_EQ(flagged[0]["hidden"], false);
  EXPECT_EQ(flagged[1]["flags"], 0);
  EXPECT_EQ(audience()["questions"].size(), 1u);  // still shown until the moderator decides

  // Hidden: gone for the audience (and takes no votes or flags), marked for the moderators.
  EXPECT_EQ(op(*zoya, "section.hide", {{"question", id}})["error"]["code"], "not_moderator");
  auto hidden = op(*moderator, "section.hide", {{"question", id}});
  ASSERT_EQ(hidden["ok"], true) << hidden;
  EXPECT_TRUE(hidden["data"]["questions"].empty());
  EXPECT_TRUE(audience()["questions"].empty());
  EXPECT_EQ(op(*moderator, "section.hide", {{"question", id}})["error"]["code"], "question_hidden");
  EXPECT_EQ(op(*zoya, "section.vote", {{"question", id}})["error"]["code"], "question_not_found");
  auto marked = moderation()["questions"];
  ASSERT_EQ(marked.size(), 2u);
  EXPECT_EQ(marked[0]["hidden"], true);

  // Shown again, its flags cleared; nobody flags it twice.
  auto again = people->person(kModeratorEmail).post(kEventApi + "/sections/1/actions/show", {{"question", id}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(audience()["questions"][0]["id"], id);
  EXPECT_EQ(moderation()["questions"][1]["flags"], 0);
  EXPECT_EQ(op(*moderator, "section.show", {{"question", id}})["error"]["code"], "question_not_hidden");
  EXPECT_EQ(op(*petr, "section.flag", {{"question", id}})["error"]["code"], "already_flagged");
}

// Every op of the section day (sections_api.cpp's kActions) and the timer's events, in a rehearsal
// from a section nobody has touched yet and on the day after a restart.
TEST(Sections, EveryPushedChangeCarriesAHigherVersionThanTheLastAcrossARestart) {
  Day day;
  ASSERT_NO_FATAL_FAILURE(prepare(day, true));
  int a = day.presenters[0], b = day.presenters[1], c = day.presenters[2];
  std::int64_t last = 0;
  {
    // The afternoon before: the organiser rehearses; a hand comes before anything else.
    auto server = ServerProcess::start({.data_dir = day.data.path(), .clock = "2020-07-07T15:00:00+08:00"});
    ASSERT_TRUE(server);
    People people((*server)->port());
    VersionWatch watch(people.port(), people.person("zoya@dom.ru"), people.person(kModeratorEmail), 0);
    auto org = connect_as(people.port(), &people.organiser());
    watch.change(*org, "section.hand");
    auto asked = watch.change(*org, "section.ask", {{"text", "Проверка связи"}});
    ASSERT_TRUE(asked.is_object());
    watch.change(*org, "section.approve", {{"question", asked["question"]}});
    watch.change(*org, "section.vote", {{"question", asked["question"]}});
    watch.change(*org, "section.start");
    watch.change(*org, "section.next");
    watch.change(*org, "section.reset");
    last = watch.last();
  }
  // The real day, after a restart: the counter goes on from where it stood.
  auto server = ServerProcess::start({.data_dir = day.data.path(), .clock = kSectionDay});
  ASSERT_TRUE(server);
  People people((*server)->port());
  VersionWatch watch(people.port(), people.person("zoya@dom.ru"), people.person(kModeratorEmail), last);
  auto mod = connect_as(people.port(), &people.person(kModeratorEmail));
  auto zoya = connect_as(people.port(), &people.person("zoya@dom.ru"));
  auto petr = connect_as(people.port(), &people.person("petr@dom.ru"));

  watch.change(*mod, "section.start");
  watch.change(*mod, "section.next");
  // Anna's ten minutes cut to 61 seconds: the one-minute warning is due a second after she began;
  // cut to now, her time is up.
  watch.change(*mod, "section.extend", {{"seconds", -539}});
  EXPECT_EQ(watch.timer("warning")["minutes_left"], 1);
  watch.change(*mod, "section.extend", {{"seconds", -600}});
  EXPECT_EQ(watch.timer("time_up")["practice"], a);
  watch.change(*mod, "section.reorder", {{"order", {c, b}}});
  watch.change(*mod, "section.absent", {{"practice", b}});
  watch.change(*mod, "section.pause");
  watch.change(*mod, "section.resume");

  watch.change(*zoya, "section.hand");
  watch.change(*zoya, "section.lower");
  watch.change(*petr, "section.hand");
  watch.change(*mod, "section.floor");
  watch.change(*mod, "section.floor_done");
  std::vector<json> q;
  for (std::string text : {"Первый вопрос", "Второй вопрос", "Третий вопрос"})
    q.push_back(watch.change(*zoya, "section.ask", {{"text", text}})["question"]);
  watch.change(*mod, "section.approve", {{"question", q[0]}});
  watch.change(*petr, "section.vote", {{"question", q[0]}});
  watch.change(*mod, "section.answer", {{"question", q[0]}});
  watch.change(*mod, "section.approve", {{"question", q[1]}});
  watch.change(*mod, "section.dismiss", {{"question", q[1]}});
  watch.change(*mod, "section.dismiss", {{"question", q[2]}});

  watch.change(*mod, "section.absent");
  watch.change(*mod, "section.next");
  watch.change(*mod, "section.close");
}

TEST_F(SectionFloor, AQuestionTakesVotesOnlyOnceTheModeratorHasApprovedIt) {
  auto asked = op(*zoya, "section.ask", {{"text", "Вопрос, которого ещё никто не видел"}});
  ASSERT_EQ(asked["ok"], true) << asked;
  auto id = asked["data"]["question"].get<std::int64_t>();
  auto votes = [&] {
    auto moderation = people->person(kModeratorEmail).get(kEventApi + "/sections/1/moderation").json();
    for (const auto& q : moderation["questions"])
      if (q["id"] == id) return q["votes"].get<int>();
    return -1;
  };

  // Refused just as a question that does not exist, so the refusal tells nothing of what waits.
  auto refused = op(*petr, "section.vote", {{"question", id}});
  EXPECT_EQ(refused["error"]["code"], "question_not_found");
  EXPECT_EQ(refused["error"], op(*petr, "section.vote", {{"question", id + 1000}})["error"]);
  auto over_http = people->person("petr@dom.ru").post(kEventApi + "/sections/1/actions/vote", {{"question", id}});
  EXPECT_EQ(over_http.status, 404);
  EXPECT_EQ(over_http.json()["error"]["message"], "Вопрос не найден.");
  EXPECT_EQ(op(*zoya, "section.vote", {{"question", id}})["error"]["code"], "question_not_found");
  EXPECT_EQ(votes(), 0);

  ASSERT_EQ(op(*moderator, "section.approve", {{"question", id}})["ok"], true);
  auto voted = op(*petr, "section.vote", {{"question", id}});
  ASSERT_EQ(voted["ok"], true) << voted;
  EXPECT_EQ(voted["data"]["questions"][0]["votes"], 1);
  EXPECT_EQ(votes(), 1);
}

TEST(Sections, ASectionRunsOnlyInsideItsWindowAndOrganisersMayRehearseTheDayBefore) {
  Day day;
  ASSERT_NO_FATAL_FAILURE(prepare(day, true));
  {
    // The afternoon before (agenda: rehearsal_from 7 July 14:00): organisers rehearse, nobody else acts.
    auto server = ServerProcess::start({.data_dir = day.data.path(), .clock = "2020-07-07T15:00:00+08:00"});
    ASSERT_TRUE(server);
    People people((*server)->port());
    auto& mod = people.person(kModeratorEmail);
    auto early = mod.post(kEventApi + "/sections/1/actions/start", json::object());
    EXPECT_EQ(early.status, 409);
    EXPECT_EQ(early.error_code(), "section_not_open_yet");
    EXPECT_EQ(early.json()["error"]["message"], "Секции открываются 08.07.2020 в 09:30.");
    EXPECT_EQ(people.person("zoya@dom.ru").post(kEventApi + "/sections/1/actions/ask", {{"text", "Вопрос"}}).error_code(),
              "section_not_open_yet");
    // Roles are checked before the clock: a participant hears "not a moderator", not "too early".
    EXPECT_EQ(people.person("zoya@dom.ru").post(kEventApi + "/sections/1/actions/start", json::object()).error_code(),
              "not_moderator");

    auto& org = people.organiser();
    auto viewer = connect_as(people.port(), &people.person("zoya@dom.ru"));
    ASSERT_EQ(viewer->call({{"op", "subscribe"}, {"topic", kSection1}})["ok"], true);
    auto rehearsal = org.post(kEventApi + "/sections/1/actions/start", json::object());
    ASSERT_EQ(rehearsal.status, 200) << rehearsal.body;
    EXPECT_EQ(rehearsal.json()["status"], "running");
    EXPECT_EQ(rehearsal.json()["rehearsal"], true);
    EXPECT_EQ(rehearsal.json()["window"]["opens"], "2020-07-08T09:30:00+08:00");
    ASSERT_EQ(org.post(kEventApi + "/sections/1/actions/next", json::object()).status, 200);
    auto asked = org.post(kEventApi + "/sections/1/actions/ask", {{"text", "Проверка связи"}});
    ASSERT_EQ(asked.status, 200) << asked.body;
    ASSERT_EQ(org.post(kEventApi + "/sections/1/actions/approve", {{"question", asked.json()["question"]}}).status, 200);
    // Only organisers reset, and the audience sees the section waiting again, its questions gone.
    EXPECT_EQ(mod.post(kEventApi + "/sections/1/actions/reset", json::object()).error_code(), "forbidden");
    auto reset = org.post(kEventApi + "/sections/1/actions/reset", json::object());
    ASSERT_EQ(reset.status, 200) << reset.body;
    auto seen = state_after(*viewer, reset.json()["version"]);
    ASSERT_TRUE(seen);
    EXPECT_EQ((*seen)["status"], "waiting");
    EXPECT_EQ((*seen)["rehearsal"], false);
    EXPECT_EQ((*seen)["done"], json::array());
    EXPECT_EQ((*seen)["questions"], json::array());
    EXPECT_GT((*seen)["version"].get<int>(), rehearsal.json()["version"].get<int>());
    viewer->close();
    // The rehearsal's viewers attended nothing.
    EXPECT_EQ(org.get(kEventApi + "/sections/attendance").json()["attendance"], json::array());
  }
  {
    // Two minutes before the window at 6x (20 real seconds, room for a slow sign-in on a busy
    // machine): refused, then allowed once the clock has crossed 09:30.
    auto server = ServerProcess::start(
        {.data_dir = day.data.path(), .clock = "2020-07-08T09:28:00+08:00", .clock_speed = 6});
    ASSERT_TRUE(server);
    People people((*server)->port());
    auto& mod = people.person(kModeratorEmail);
    auto started = mod.post(kEventApi + "/sections/1/actions/start", json::object());
    EXPECT_EQ(started.error_code(), "section_not_open_yet");
    for (int i = 0; i < 800 && started.error_code() == "section_not_open_yet"; ++i) {
      std::this_thread::sleep_for(50ms);
      started = mod.post(kEventApi + "/sections/1/actions/start", json::object());
    }
    ASSERT_EQ(started.status, 200) << started.body;
    EXPECT_GE(instant(started.json()["started_at"]), *parse_instant("2020-07-08T09:30:00+08:00"));
    EXPECT_EQ(started.json()["rehearsal"], false);
    // The real run is not the organiser's to reset.
    EXPECT_EQ(people.organiser().post(kEventApi + "/sections/1/actions/reset", json::object()).error_code(),
              "not_rehearsal");
  }
  // After the day: nothing moves on, but the section left running can still be closed.
  auto server = ServerProcess::start({.data_dir = day.data.path(), .clock = "2020-07-09T00:00:01+08:00"});
  ASSERT_TRUE(server);
  People people((*server)->port());
  auto& mod = people.person(kModeratorEmail);
  auto late = mod.post(kEventApi + "/sections/1/actions/next", json::object());
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.error_code(), "section_day_over");
  EXPECT_EQ(people.person("zoya@dom.ru").post(kEventApi + "/sections/1/actions/hand", json::object()).error_code(),
            "section_day_over");
  auto closed = mod.post(kEventApi + "/sections/1/actions/close", json::object());
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json()["status"], "closed");
}

TEST(Sections, ResultsArePublishedAtTheResultsSessionToEveryone) {
  Day day;
  ASSERT_NO_FATAL_FAILURE(prepare(day, true));
  json results = {{"text", "Итоги конференции"},
                  {"sections", {{{"section", 1}, {"best", {day.presenters[1]}}, {"note", "Лучшая практика"}}}}};
  {
    auto server = ServerProcess::start({.data_dir = day.data.path(), .clock = kSectionDay});
    ASSERT_TRUE(server);
    People people((*server)->port());
    EXPECT_EQ(put(people.organiser(), kEventApi + "/results", results).error_code(), "not_open_yet");
  }
  auto server = ServerProcess::start({.data_dir = day.data.path(), .clock = "2020-07-08T12:30:00+08:00"});
  ASSERT_TRUE(server);
  People people((*server)->port());
  auto viewer = connect_as(people.port(), nullptr);
  auto sub = viewer->call({{"op", "subscribe"}, {"topic", "results:irkutsk-2020"}});
  ASSERT_EQ(sub["ok"], true);
  EXPECT_EQ(sub["data"]["results"], nullptr);
  EXPECT_EQ(put(people.person("anna@dom.ru"), kEventApi + "/results", results).error_code(), "forbidden");
  json wrong = results;
  wrong["sections"][0]["best"] = {day.gallery_only};
  EXPECT_EQ(put(people.organiser(), kEventApi + "/results", wrong).error_code(), "not_admitted");
  ASSERT_EQ(put(people.organiser(), kEventApi + "/results", results).status, 200);
  auto pushed = viewer->next_event("results:irkutsk-2020", "results_published");
  ASSERT_TRUE(pushed);
  EXPECT_EQ((*pushed)["data"]["results"]["sections"][0]["best"][0]["title"], "Практика boris");
  HttpClient anyone(people.port());
  EXPECT_EQ(anyone.get(kEventApi + "/results").json(), (*pushed)["data"]);
}

// A PDF sent by `http` for practice `id` with `purpose`; returns the upload's id.
std::string upload_id(HttpClient& http, const std::string& purpose, int id) {
  std::string location = upload_pdf(http, purpose, id);
  return location.substr(location.rfind('/') + 1);
}

// A presenter's materials are the files the practice's author sent for it: a file another
// participant names the practice in is none of them, and the payment scan is shown to nobody.
TEST(Sections, APresentersMaterialsAreTheFilesItsAuthorSentForIt) {
  Day day;
  ASSERT_NO_FATAL_FAILURE(prepare(day, true));
  const int a = day.presenters[0];
  std::string own, foreign, scan;
  {
    auto server = ServerProcess::start({.data_dir = day.data.path(), .clock = kDuringIntake});
    ASSERT_TRUE(server);
    People people((*server)->port());
    own = upload_id(people.person("anna@dom.ru"), "flashmob", a);
    scan = upload_id(people.person("anna@dom.ru"), "payment", a);
    foreign = upload_id(people.person("gleb@dom.ru"), "flashmob", a);
  }
  auto server = ServerProcess::start({.data_dir = day.data.path(), .clock = kSectionDay});
  ASSERT_TRUE(server);
  People people((*server)->port());
  auto& viewer = people.person("zoya@dom.ru");
  const std::string materials = kEventApi + "/sections/1/materials/";
  EXPECT_EQ(viewer.get(materials + own).status, 200);
  EXPECT_EQ(viewer.get(materials + foreign).status, 404);
  EXPECT_EQ(viewer.get(materials + scan).status, 404);
}

// ---- Two servers on one data directory and one Redis: the timer fires once for the cluster -----

// The alarm's role /api/health reports ("owner", "standby"), once the live fan-out is healthy.
std::string alarm_role(int port) {
  auto health = HttpClient(port).get("/api/health").json();
  if (health["live"]["healthy"] != true) return "";
  return health["live"]["alarm"].get<std::string>();
}

// Waits (a minute at most) until exactly one of the two holds the alarm; returns its index.
std::optional<int> alarm_owner(int one, int two) {
  for (int i = 0; i < 600; ++i) {
    auto a = alarm_role(one), b = alarm_role(two);
    if (a == "owner" && b == "standby") return 0;
    if (a == "standby" && b == "owner") return 1;
    std::this_thread::sleep_for(100ms);
  }
  return std::nullopt;
}

// The slot's warnings and time_up reach every viewer, each once and in order: the moderator's next
// change is the first push after them.
void expect_warned_once(const std::vector<WsClient*>& viewers, WsClient& moderator, int presenter) {
  for (auto* viewer : viewers) {
    for (int minutes : {5, 1}) {
      auto warning = next_push(*viewer, kSection1, 60s);
      ASSERT_TRUE(warning);
      EXPECT_EQ((*warning)["event"], "warning") << *warning;
      EXPECT_EQ((*warning)["data"]["minutes_left"], minutes);
    }
    auto up = next_push(*viewer, kSection1, 60s);
    ASSERT_TRUE(up);
    EXPECT_EQ((*up)["event"], "time_up") << *up;
    EXPECT_EQ((*up)["data"]["practice"], presenter);
  }
  ASSERT_EQ(op(moderator, "section.next")["ok"], true);
  for (auto* viewer : viewers) {
    auto after = next_push(*viewer, kSection1);
    ASSERT_TRUE(after);
    EXPECT_EQ((*after)["event"], "state") << *after;
  }
}

// The two state pushes of section.start and section.next.
void expect_started(const std::vector<WsClient*>& viewers) {
  for (auto* viewer : viewers)
    for (int i = 0; i < 2; ++i) {
      auto state = next_push(*viewer, kSection1);
      ASSERT_TRUE(state);
      ASSERT_EQ((*state)["event"], "state");
    }
}

struct Cluster {
  std::unique_ptr<RedisServer> redis;
  std::unique_ptr<ServerProcess> servers[2];
  int owner = 0;
};

void start_cluster(Cluster& c, Day& day, double speed) {
  auto redis = RedisServer::start();
  ASSERT_TRUE(redis);
  c.redis = std::move(*redis);
  for (auto& server : c.servers) {
    auto started = ServerProcess::start(
        {.data_dir = day.data.path(), .clock = kSectionDay, .clock_speed = speed, .redis = c.redis->url()});
    ASSERT_TRUE(started) << started.status().message();
    server = std::move(*started);
  }
  auto owner = alarm_owner(c.servers[0]->port(), c.servers[1]->port());
  ASSERT_TRUE(owner) << "no server took the alarm";
  c.owner = *owner;
}

TEST(Sections, TwoServersWarnTheAudienceOnceWhicheverRunsTheSection) {
  Day day;
  ASSERT_NO_FATAL_FAILURE(prepare(day, true));
  Cluster cluster;
  ASSERT_NO_FATAL_FAILURE(start_cluster(cluster, day, kSpeed));
  // The moderator works through the server that does not hold the alarm; viewers watch on both.
  auto& standby = *cluster.servers[1 - cluster.owner];
  auto& owner = *cluster.servers[cluster.owner];
  People people(standby.port());
  auto moderator = connect_as(standby.port(), &people.person(kModeratorEmail));
  auto near = connect_as(standby.port(), nullptr);
  auto far = connect_as(owner.port(), nullptr);
  ASSERT_TRUE(moderator && near && far);
  for (auto* ws : {moderator.get(), near.get(), far.get()})
    ASSERT_EQ(ws->call({{"op", "subscribe"}, {"topic", kSection1}})["ok"], true);
  ASSERT_EQ(op(*moderator, "section.start")["ok"], true);
  ASSERT_EQ(op(*moderator, "section.next")["ok"], true);
  ASSERT_NO_FATAL_FAILURE(expect_started({near.get(), far.get()}));
  ASSERT_NO_FATAL_FAILURE(expect_warned_once({near.get(), far.get()}, *moderator, day.presenters[0]));
}

TEST(Sections, WhenTheServerHoldingTheAlarmIsKilledTheOtherWarnsOnce) {
  Day day;
  ASSERT_NO_FATAL_FAILURE(prepare(day, true));
  Cluster cluster;
  // At 30x a ten-minute slot is 20 real seconds: its first warning comes after the takeover.
  ASSERT_NO_FATAL_FAILURE(start_cluster(cluster, day, 30));
  auto& holder = *cluster.servers[cluster.owner];
  auto& survivor = *cluster.servers[1 - cluster.owner];
  // The section is started through the holder, so only the holder asked for its timer.
  People at_holder(holder.port());
  auto moderator = connect_as(holder.port(), &at_holder.person(kModeratorEmail));
  auto viewer = connect_as(survivor.port(), nullptr);
  ASSERT_TRUE(moderator && viewer);
  for (auto* ws : {moderator.get(), viewer.get()})
    ASSERT_EQ(ws->call({{"op", "subscribe"}, {"topic", kSection1}})["ok"], true);
  ASSERT_EQ(op(*moderator, "section.start")["ok"], true);
  ASSERT_EQ(op(*moderator, "section.next")["ok"], true);
  ASSERT_NO_FATAL_FAILURE(expect_started({viewer.get()}));

  holder.kill();
  People at_survivor(survivor.port());
  auto second_moderator = connect_as(survivor.port(), &at_survivor.person(kModeratorEmail));
  ASSERT_TRUE(second_moderator);
  ASSERT_NO_FATAL_FAILURE(expect_warned_once({viewer.get()}, *second_moderator, day.presenters[0]));
  EXPECT_EQ(alarm_role(survivor.port()), "owner");
}

}  // namespace
}  // namespace praktika::test
