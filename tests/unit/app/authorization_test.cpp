// The authorization matrix: every route of the API is listed here with who may call it, and each
// is called, in-process, by people of every kind. A route added without a row here fails the
// first test, so the question "who may call this?" is answered for every new route.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <filesystem>
#include <map>
#include <regex>

#include "app/app.h"
#include "app/config.h"
#include "store/db.h"
#include "support/test_store.h"
#include "timeline/agenda.h"

namespace praktika::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Who may call a route. Everything but `anyone` refuses a caller without a session with 401.
enum class Audience {
  anyone,     // public: no session needed
  signed_in,  // any account; what it sees is its own (others' resources answer 403 or 404)
  expert,     // an expert of the event (any section), or the organiser
  expert_only,  // an expert's own work (their review queue): the organiser works from the board
  moderator,  // a moderator of the event (any section), or the organiser
  organiser,  // the event's organiser only
};

const std::map<std::pair<std::string, std::string>, Audience> kMatrix = {
    {{"GET", "/api/health"}, Audience::anyone},
    {{"GET", "/api/events"}, Audience::anyone},
    {{"GET", "/api/events/{id}"}, Audience::anyone},
    {{"GET", "/api/events/{id}/calendar.ics"}, Audience::anyone},
    {{"GET", "/api/events/{id}/sections/{n}/calendar.ics"}, Audience::anyone},
    {{"GET", "/api/events/{id}/calendar/mine.ics"}, Audience::signed_in},
    {{"GET", "/api/events/{id}/calendar/feed"}, Audience::signed_in},
    {{"POST", "/api/events/{id}/calendar/feed"}, Audience::signed_in},
    {{"DELETE", "/api/events/{id}/calendar/feed"}, Audience::signed_in},
    {{"GET", "/api/calendar/{file}"}, Audience::anyone},  // the secret in the address is the key
    {{"PUT", "/api/events/{id}/review/experts/{expert}/cap"}, Audience::organiser},
    {{"GET", "/api/events/{id}/review/conflicts"}, Audience::organiser},
    {{"GET", "/api/events/{id}/timeline"}, Audience::anyone},
    {{"POST", "/api/auth/register"}, Audience::anyone},
    {{"POST", "/api/auth/login"}, Audience::anyone},
    {{"POST", "/api/auth/logout"}, Audience::anyone},
    {{"OPTIONS", "/api/uploads"}, Audience::anyone},
    // Self-checks of a file before registering: the bytes are checked and dropped, nothing stored.
    {{"POST", "/api/events/{id}/check/document"}, Audience::anyone},
    {{"POST", "/api/events/{id}/check/media"}, Audience::anyone},
    {{"GET", "/api/me"}, Audience::signed_in},
    {{"GET", "/api/events/{id}/registration"}, Audience::signed_in},
    {{"PUT", "/api/events/{id}/registration"}, Audience::signed_in},
    {{"GET", "/api/events/{id}/practices/mine"}, Audience::signed_in},
    {{"POST", "/api/events/{id}/practices"}, Audience::signed_in},
    {{"GET", "/api/events/{id}/practices/{practice}"}, Audience::signed_in},
    {{"PATCH", "/api/events/{id}/practices/{practice}"}, Audience::signed_in},
    {{"DELETE", "/api/events/{id}/practices/{practice}"}, Audience::signed_in},
    {{"POST", "/api/events/{id}/practices/{practice}/submit"}, Audience::signed_in},
    {{"POST", "/api/events/{id}/practices/{practice}/payment"}, Audience::signed_in},
    // The payment contract for the caller's own submitted practices.
    {{"GET", "/api/events/{id}/contract"}, Audience::signed_in},
    {{"POST", "/api/events/{id}/uploads"}, Audience::signed_in},
    {{"GET", "/api/uploads/{upload}"}, Audience::signed_in},
    {{"PATCH", "/api/uploads/{upload}"}, Audience::signed_in},
    {{"DELETE", "/api/uploads/{upload}"}, Audience::signed_in},
    // Admitted practices' materials are public once the gallery is; other files their owner's.
    {{"GET", "/api/uploads/{upload}/file"}, Audience::anyone},
    {{"GET", "/api/events/{id}/roles"}, Audience::organiser},
    {{"POST", "/api/events/{id}/roles"}, Audience::organiser},
    {{"DELETE", "/api/events/{id}/roles"}, Audience::organiser},
    {{"GET", "/api/events/{id}/intake/practices"}, Audience::organiser},
    {{"GET", "/api/events/{id}/intake/participants"}, Audience::organiser},
    {{"GET", "/api/events/{id}/intake/files"}, Audience::organiser},
    {{"POST", "/api/events/{id}/intake/practices/{practice}/payment"}, Audience::organiser},
    // Review (stage 2).
    {{"PUT", "/api/events/{id}/review/practices/{practice}/outcome"}, Audience::organiser},
    {{"GET", "/api/events/{id}/review/outcomes"}, Audience::organiser},
    {{"GET", "/api/events/{id}/review/board"}, Audience::organiser},
    {{"GET", "/api/events/{id}/review/log"}, Audience::organiser},
    {{"POST", "/api/events/{id}/review/assign"}, Audience::organiser},
    {{"POST", "/api/events/{id}/review/practices/{practice}/experts"}, Audience::organiser},
    {{"DELETE", "/api/events/{id}/review/practices/{practice}/experts/{expert}"}, Audience::organiser},
    {{"POST", "/api/events/{id}/review/notifications"}, Audience::organiser},
    {{"GET", "/api/events/{id}/review/mail"}, Audience::organiser},
    // Announcements of changed conditions (clause 3.2.1): read by anyone, written by the organiser.
    {{"GET", "/api/events/{id}/announcements"}, Audience::anyone},
    {{"POST", "/api/events/{id}/announcements"}, Audience::organiser},
    // What the agenda still holds as placeholders, for the organiser's desk.
    {{"GET", "/api/events/{id}/placeholders"}, Audience::organiser},
    {{"POST", "/api/events/{id}/mail/{letter}/resend"}, Audience::organiser},
    // The live view of the day (also the topic operations:{event}, organisers only).
    {{"GET", "/api/events/{id}/operations"}, Audience::organiser},
    {{"GET", "/api/events/{id}/review/queue"}, Audience::expert_only},
    {{"GET", "/api/events/{id}/review/practices/{practice}"}, Audience::expert},
    {{"PUT", "/api/events/{id}/review/practices/{practice}/review"}, Audience::expert},
    // Gallery (stage 3): participants while it is open, everyone from the agenda's public_from.
    {{"GET", "/api/events/{id}/practices"}, Audience::signed_in},
    {{"GET", "/api/events/{id}/gallery/sections"}, Audience::signed_in},
    {{"GET", "/api/events/{id}/gallery/practices/{practice}"}, Audience::signed_in},
    // A document's preview pages: the readers of the document itself.
    {{"GET", "/api/events/{id}/gallery/practices/{practice}/files/{upload}/pages"}, Audience::signed_in},
    {{"GET", "/api/events/{id}/gallery/practices/{practice}/files/{upload}/pages/{page}"}, Audience::signed_in},
    {{"GET", "/api/events/{id}/gallery/busiest"}, Audience::organiser},
    {{"GET", "/api/events/{id}/cabinet"}, Audience::signed_in},
    {{"GET", "/api/events/{id}/practices/{practice}/comments"}, Audience::signed_in},
    {{"POST", "/api/events/{id}/practices/{practice}/comments"}, Audience::signed_in},
    {{"PATCH", "/api/events/{id}/practices/{practice}/comments/{comment}"}, Audience::signed_in},
    {{"DELETE", "/api/events/{id}/practices/{practice}/comments/{comment}"}, Audience::signed_in},
    {{"POST", "/api/events/{id}/practices/{practice}/comments/{comment}/hide"}, Audience::moderator},
    // Flagging abuse: any participant; the flags are read and cleared by the comment's moderators.
    {{"POST", "/api/events/{id}/practices/{practice}/comments/{comment}/flag"}, Audience::signed_in},
    {{"DELETE", "/api/events/{id}/practices/{practice}/comments/{comment}/flags"}, Audience::moderator},
    {{"GET", "/api/events/{id}/gallery/moderation"}, Audience::moderator},
    // Flashmob (stage 4): the feed is public; items are their authors'; the queue the organiser's.
    {{"POST", "/api/events/{id}/flashmob/items"}, Audience::signed_in},
    {{"GET", "/api/events/{id}/flashmob/items/mine"}, Audience::signed_in},
    {{"GET", "/api/events/{id}/flashmob/items/{item}"}, Audience::signed_in},
    {{"GET", "/api/events/{id}/flashmob/items/{item}/media"}, Audience::anyone},  // once the feed plays it
    {{"GET", "/api/events/{id}/flashmob/hls/{item}/{file}"}, Audience::anyone},  // by the media's rule
    {{"PUT", "/api/events/{id}/flashmob/items/{item}/captions"}, Audience::signed_in},  // the video's owner
    {{"DELETE", "/api/events/{id}/flashmob/items/{item}/captions"}, Audience::signed_in},  // owner or organiser
    {{"GET", "/api/events/{id}/flashmob/items/{item}/captions"}, Audience::anyone},  // by the media's rule
    {{"GET", "/api/events/{id}/flashmob/queue"}, Audience::organiser},
    {{"POST", "/api/events/{id}/flashmob/items/{item}/decision"}, Audience::organiser},
    {{"PUT", "/api/events/{id}/flashmob/order"}, Audience::organiser},
    {{"POST", "/api/events/{id}/flashmob/control"}, Audience::organiser},
    {{"GET", "/api/events/{id}/flashmob/now"}, Audience::anyone},
    {{"GET", "/api/events/{id}/flashmob/gallery"}, Audience::anyone},
    // Section day (stage 5): rooms, orders, live state and results are public.
    {{"GET", "/api/events/{id}/sections"}, Audience::anyone},
    {{"GET", "/api/events/{id}/sections/mine"}, Audience::signed_in},
    {{"GET", "/api/events/{id}/sections/attendance"}, Audience::organiser},
    {{"GET", "/api/events/{id}/sections/{n}/schedule"}, Audience::anyone},
    {{"POST", "/api/events/{id}/sections/{n}/schedule/draft"}, Audience::organiser},
    {{"PUT", "/api/events/{id}/sections/{n}/schedule"}, Audience::organiser},
    {{"POST", "/api/events/{id}/sections/{n}/schedule/publish"}, Audience::organiser},
    {{"GET", "/api/events/{id}/sections/{n}/state"}, Audience::anyone},
    {{"GET", "/api/events/{id}/sections/{n}/moderation"}, Audience::moderator},
    {{"POST", "/api/events/{id}/sections/{n}/actions/{action}"}, Audience::signed_in},  // hands and questions too
    {{"GET", "/api/events/{id}/sections/{n}/materials/{upload}"}, Audience::anyone},
    // The presenters' pre-flight bandwidth check: public, limited per address instead.
    {{"GET", "/api/speedtest"}, Audience::anyone},
    {{"POST", "/api/speedtest"}, Audience::anyone},
    {{"GET", "/api/events/{id}/results"}, Audience::anyone},
    {{"PUT", "/api/events/{id}/results"}, Audience::organiser},
    // After the event: a certificate's number verifies in public (its QR code); documents are
    // their recipients' (others' numbers answer 404); the bulk job, the ZIP and exports the organiser's.
    {{"GET", "/api/certificates/{number}"}, Audience::anyone},
    {{"GET", "/api/certificates/{number}/file"}, Audience::signed_in},
    {{"GET", "/api/events/{id}/certificates/mine"}, Audience::signed_in},
    {{"GET", "/api/events/{id}/certificates"}, Audience::organiser},
    {{"POST", "/api/events/{id}/certificates/jobs"}, Audience::organiser},
    {{"GET", "/api/events/{id}/certificates/jobs/current"}, Audience::organiser},
    {{"GET", "/api/events/{id}/certificates/archive"}, Audience::organiser},
    {{"GET", "/api/events/{id}/proceedings"}, Audience::signed_in},  // participants of the event (403 otherwise)
    {{"POST", "/api/events/{id}/proceedings/mail"}, Audience::organiser},
    {{"GET", "/api/events/{id}/order"}, Audience::organiser},
    {{"GET", "/api/events/{id}/exports/{which}"}, Audience::organiser},
    // Contest: the laureate list is public from the agenda's instant; its export the organiser's.
    {{"GET", "/api/events/{id}/laureates"}, Audience::anyone},
    {{"GET", "/api/events/{id}/laureates/export"}, Audience::organiser},
    // Contest: the post of diplomas and certificates, the organiser's address list and marks.
    {{"GET", "/api/events/{id}/post"}, Audience::organiser},
    {{"GET", "/api/events/{id}/post/export"}, Audience::organiser},
    {{"PUT", "/api/events/{id}/post/{practice}"}, Audience::organiser},
    {{"DELETE", "/api/events/{id}/post/{practice}"}, Audience::organiser},
    // The desk's milestone reminders.
    {{"GET", "/api/events/{id}/reminders"}, Audience::organiser},
    // The participants' reminders: what is scheduled, and the organiser's switch per kind.
    {{"GET", "/api/events/{id}/reminders/participants"}, Audience::organiser},
    {{"PUT", "/api/events/{id}/reminders/participants/{kind}"}, Audience::organiser},
    // Personal data on request (152-ФЗ): a person's own archive and withdrawal (the body must
    // confirm it: the matrix's "{}" is refused 422), the organiser's log of requests.
    {{"GET", "/api/events/{id}/personal-data"}, Audience::signed_in},
    {{"POST", "/api/events/{id}/personal-data/withdrawal"}, Audience::signed_in},
    {{"GET", "/api/events/{id}/personal-data/requests"}, Audience::organiser},
    // The lists of earlier editions and the unsure matches with them.
    {{"GET", "/api/events/{id}/contest/past-results"}, Audience::organiser},
    {{"POST", "/api/events/{id}/contest/past-results/preview"}, Audience::organiser},
    {{"POST", "/api/events/{id}/contest/past-results"}, Audience::organiser},
    {{"GET", "/api/events/{id}/contest/matches"}, Audience::organiser},
    {{"PUT", "/api/events/{id}/contest/matches/{practice}"}, Audience::organiser},
};

const std::string kEvent = "irkutsk-2020";

class Authorization : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("praktika-authz-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::path source = PRAKTIKA_SOURCE_DIR;
    auto loaded = load_config({"--data", dir_.string(), "--agenda", (source / "agenda/irkutsk-2020.json").string()},
                              source / "config/default.json");
    ASSERT_TRUE(std::holds_alternative<Config>(loaded)) << std::get<ConfigError>(loaded).describe();
    config_ = std::get<Config>(loaded);
    auto agenda = timeline::load_agenda(source / "agenda/irkutsk-2020.json");
    ASSERT_TRUE(std::holds_alternative<timeline::Agenda>(agenda));
    std::vector<timeline::Agenda> agendas;
    agendas.push_back(std::move(std::get<timeline::Agenda>(agenda)));
    auto db = test::open_test_store(dir_ / "praktika.sqlite3");
    ASSERT_TRUE(db.ok());
    auto now = parse_instant("2020-06-20T10:00:00+08:00");
    app_ = std::make_unique<App>(config_, std::move(agendas), timeline::Clock::simulated(*now, 1.0), std::move(*db),
                                 io_, workers_);

    register_person("anna@dom.ru");
    register_person("other@dom.ru");
    register_person("expert@dom.ru");
    register_person("moderator@dom.ru");
    register_person("org@dom.ru");
    // The first organiser is made by the admin command in real life; here through the store.
    ASSERT_TRUE(grant_directly("org@dom.ru", "organiser", std::nullopt));
    grant("expert@dom.ru", "expert", 1);
    grant("moderator@dom.ru", "moderator", 1);
    auto created = call("POST", "/api/events/" + kEvent + "/practices", "anna@dom.ru",
                        json{{"section", 1}, {"type", "pilot"}}.dump());
    ASSERT_EQ(created.status, 201) << created.body;
    practice_ = std::to_string(json::parse(created.body)["id"].get<int>());
  }
  void TearDown() override {
    app_.reset();
    workers_.join();
    fs::remove_all(dir_);
  }

  net::Response call(const std::string& method, const std::string& path, const std::string& who,
                     const std::string& body = "") {
    net::Request request;
    request.method = method;
    request.target = request.path = path;
    request.body = body;
    request.headers.emplace_back("content-type", "application/json");
    // As from a page of the site itself: a state change with the session cookie must name one.
    request.headers.emplace_back("host", "praktika.test");
    request.headers.emplace_back("origin", "http://praktika.test");
    if (!who.empty() && cookies_.count(who)) request.headers.emplace_back("cookie", cookies_[who]);
    return app_->handle(request);
  }
  void register_person(const std::string& email) {
    auto r = call("POST", "/api/auth/register", "",
                  json{{"email", email}, {"password", "длинный пароль"}, {"full_name", email}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    for (const auto& [name, value] : r.headers)
      if (name == "Set-Cookie") cookies_[email] = value.substr(0, value.find(';'));
  }
  bool grant_directly(const std::string& email, const std::string& role, std::optional<int> section);
  void grant(const std::string& email, const std::string& role, int section) {
    json body = {{"email", email}, {"role", role}, {"section", section}};
    auto r = call("POST", "/api/events/" + kEvent + "/roles", "org@dom.ru", body.dump());
    ASSERT_EQ(r.status, 201) << r.body;
  }
  std::string concrete(const std::string& pattern) const {
    std::string path = std::regex_replace(pattern, std::regex(R"(\{id\})"), kEvent);
    path = std::regex_replace(path, std::regex(R"(\{practice\})"), practice_);
    return std::regex_replace(path, std::regex(R"(\{[a-z_]+\})"), "1");
  }

  fs::path dir_;
  Config config_;
  boost::asio::io_context io_;
  boost::asio::thread_pool workers_{1};
  std::unique_ptr<App> app_;
  std::map<std::string, std::string> cookies_;
  std::string practice_;
};

bool Authorization::grant_directly(const std::string& email, const std::string& role, std::optional<int> section) {
  // A second connection to the same file, as `admin create-user` would use.
  auto db = test::open_test_store(dir_ / "praktika.sqlite3");
  if (!db.ok()) return false;
  accounts::AccountsService accounts(**db, {});
  auto user = accounts.find_user_by_email(email);
  auto parsed = accounts::parse_role(role);
  return user.ok() && parsed && accounts.grant_role(user->id, kEvent, *parsed, section).is_ok();
}

bool refused(int status) { return status == 401 || status == 403 || status == 404; }

TEST_F(Authorization, EveryRouteHasARowInTheMatrix) {
  for (const auto& route : app_->router().routes())
    EXPECT_TRUE(kMatrix.count({route.method, route.pattern}))
        << route.method << " " << route.pattern << " has no row in kMatrix: decide who may call it";
  for (const auto& [route, audience] : kMatrix) {
    bool exists = false;
    for (const auto& r : app_->router().routes()) exists |= r.method == route.first && r.pattern == route.second;
    EXPECT_TRUE(exists) << route.first << " " << route.second << " is in kMatrix but not served";
  }
}

TEST_F(Authorization, WithoutASessionOnlyPublicRoutesAnswer) {
  for (const auto& [route, audience] : kMatrix) {
    auto r = call(route.first, concrete(route.second), "", "{}");
    EXPECT_LT(r.status, 500) << route.first << " " << route.second << ": " << r.body;
    if (audience == Audience::anyone) {
      EXPECT_NE(r.status, 401) << route.first << " " << route.second;
      EXPECT_NE(r.status, 403) << route.first << " " << route.second;
    } else {
      EXPECT_EQ(r.status, 401) << route.first << " " << route.second << ": " << r.body;
    }
  }
}

TEST_F(Authorization, EachRoleReachesOnlyItsRoutes) {
  struct Person {
    std::string email;
    std::vector<Audience> reaches;
  };
  const std::vector<Person> people = {
      {"other@dom.ru", {Audience::anyone, Audience::signed_in}},
      {"expert@dom.ru", {Audience::anyone, Audience::signed_in, Audience::expert, Audience::expert_only}},
      {"moderator@dom.ru", {Audience::anyone, Audience::signed_in, Audience::moderator}},
      {"org@dom.ru",
       {Audience::anyone, Audience::signed_in, Audience::expert, Audience::moderator, Audience::organiser}},
  };
  for (const auto& person : people) {
    for (const auto& [route, audience] : kMatrix) {
      if (route.second == "/api/auth/logout") continue;  // would end the session the loop uses
      auto r = call(route.first, concrete(route.second), person.email, "{}");
      std::string where = person.email + " " + route.first + " " + route.second + ": " + r.body;
      EXPECT_LT(r.status, 500) << where;
      bool allowed = std::find(person.reaches.begin(), person.reaches.end(), audience) != person.reaches.end();
      if (!allowed) {
        EXPECT_EQ(r.status, 403) << where;
      } else if (audience != Audience::signed_in) {
        EXPECT_FALSE(r.status == 401 || r.status == 403) << where;
      }
    }
  }
}

// Another participant's practice is invisible: not 200, and the same answer as a missing one.
TEST_F(Authorization, SomeoneElsesPracticeLooksLikeAMissingOne) {
  const std::string mine = "/api/events/" + kEvent + "/practices/" + practice_;
  const std::string missing = "/api/events/" + kEvent + "/practices/999999";
  for (const std::string method : {"GET", "PATCH", "DELETE"}) {
    auto theirs = call(method, mine, "other@dom.ru", "{}");
    auto none = call(method, missing, "other@dom.ru", "{}");
    EXPECT_TRUE(refused(theirs.status)) << method << " " << theirs.body;
    EXPECT_EQ(theirs.status, none.status) << method;
  }
  EXPECT_EQ(call("GET", mine, "anna@dom.ru").status, 200);
}

}  // namespace
}  // namespace praktika::app
