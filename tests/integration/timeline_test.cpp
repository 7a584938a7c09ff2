#include <gtest/gtest.h>

#include "support/client.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

const std::string kTopic = "timeline:irkutsk-2020";

nlohmann::json timeline_at(const std::string& clock) {
  TempDir data;
  auto server = ServerProcess::start({.data_dir = data.path(), .clock = clock});
  if (!server) return {};
  HttpClient http((*server)->port());
  return http.get("/api/events/irkutsk-2020/timeline").json();
}

std::string state_of(const nlohmann::json& timeline, const std::string& stage) {
  for (const auto& s : timeline["stages"])
    if (s["id"] == stage) return s["state"];
  return "missing";
}

TEST(Timeline, ListsTheLoadedEvent) {
  TempDir data;
  auto server = ServerProcess::start({.data_dir = data.path()});
  ASSERT_TRUE(server);
  HttpClient http((*server)->port());
  auto events = http.get("/api/events").json();
  ASSERT_EQ(events["events"].size(), 1u);
  EXPECT_EQ(events["events"][0]["id"], "irkutsk-2020");
  EXPECT_EQ(events["events"][0]["utc_offset"], "+08:00");
  auto event = http.get("/api/events/irkutsk-2020");
  EXPECT_EQ(event.status, 200);
  EXPECT_EQ(event.json()["sections"].size(), 4u);
  EXPECT_EQ(http.get("/api/events/nope/timeline").error_code(), "event_not_found");
}

// The site's demo banner reads this: a set clock is not today.
TEST(Timeline, HealthSaysWhetherTheClockIsSetAndHowFastItRuns) {
  TempDir data;
  auto set = ServerProcess::start({.data_dir = data.path(), .clock = "2020-07-07T12:00:00+08:00", .clock_speed = 60});
  ASSERT_TRUE(set);
  auto health = HttpClient((*set)->port()).get("/api/health").json();
  EXPECT_EQ(health["clock"]["set"], true);
  EXPECT_EQ(health["clock"]["speed"], 60.0);
  set->reset();
  TempDir other;
  auto real = ServerProcess::start({.data_dir = other.path()});
  ASSERT_TRUE(real);
  health = HttpClient((*real)->port()).get("/api/health").json();
  EXPECT_EQ(health["clock"]["set"], false);
  EXPECT_EQ(health["clock"]["speed"], 1.0);
}

TEST(Timeline, ThePublicEventCarriesAnETagAndAMatchingRequestGetsNotModified) {
  TempDir data;
  auto server = ServerProcess::start({.data_dir = data.path()});
  ASSERT_TRUE(server);
  HttpClient http((*server)->port());
  auto first = http.get("/api/events/irkutsk-2020");
  ASSERT_EQ(first.status, 200);
  auto etag = first.headers["etag"];
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(first.headers["cache-control"], "no-cache");
  auto again = http.get("/api/events/irkutsk-2020");
  EXPECT_EQ(again.headers["etag"], etag);
  EXPECT_EQ(again.body, first.body);
  auto unchanged = http.request("GET", "/api/events/irkutsk-2020", "", {{"If-None-Match", etag}});
  EXPECT_EQ(unchanged.status, 304);
  EXPECT_TRUE(unchanged.body.empty());
  auto other = http.request("GET", "/api/events/irkutsk-2020", "", {{"If-None-Match", "\"stale\""}});
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.body, first.body);
  EXPECT_EQ(http.get("/api/events/nope").error_code(), "event_not_found");
}

TEST(Timeline, DuringIntakeOnlyIntakeIsOpen) {
  auto t = timeline_at("2020-06-15T12:00:00+08:00");
  EXPECT_EQ(t["open"], nlohmann::json::array({"intake"}));
  EXPECT_EQ(state_of(t, "intake"), "open");
  EXPECT_EQ(state_of(t, "review"), "upcoming");
  EXPECT_EQ(t["now"].get<std::string>().substr(0, 19), "2020-06-15T12:00:00");
  EXPECT_NE(t["now"].get<std::string>().find("+08:00"), std::string::npos);
}

TEST(Timeline, TheIntakeClosesAtItsMinute) {
  auto before = timeline_at("2020-06-28T23:59:00+08:00");
  EXPECT_EQ(state_of(before, "intake"), "open");
  auto after = timeline_at("2020-06-29T00:00:00+08:00");
  EXPECT_EQ(state_of(after, "intake"), "closed");
  EXPECT_EQ(state_of(after, "review"), "open");
}

TEST(Timeline, OnTheSeventhOfJulyGalleryAndFlashmobOverlap) {
  auto t = timeline_at("2020-07-07T09:00:00+08:00");
  EXPECT_EQ(t["open"], nlohmann::json::array({"gallery", "flashmob"}));
}

TEST(Timeline, OnTheEighthSectionsOpenAtTen) {
  EXPECT_EQ(state_of(timeline_at("2020-07-08T09:59:00+08:00"), "sections"), "upcoming");
  auto t = timeline_at("2020-07-08T10:00:00+08:00");
  EXPECT_EQ(t["open"], nlohmann::json::array({"sections"}));
}

TEST(Timeline, PushesStageChangesAtTheBoundaryUnderASpedUpClock) {
  TempDir data;
  // 23:58:00 at 60x: midnight, when gallery... flashmob opens, comes two real seconds later.
  auto server = ServerProcess::start({.data_dir = data.path(), .clock = "2020-07-06T23:58:00+08:00",
                                      .clock_speed = 60});
  ASSERT_TRUE(server);
  auto ws = WsClient::connect((*server)->port());
  ASSERT_TRUE(ws);
  auto reply = ws->call({{"op", "subscribe"}, {"topic", kTopic}});
  ASSERT_EQ(reply["ok"], true) << reply;
  EXPECT_EQ(state_of(reply["data"]["timeline"], "flashmob"), "upcoming");
  auto opened = ws->next_event(kTopic, "stage_opened", 10s);
  ASSERT_TRUE(opened);
  EXPECT_EQ((*opened)["data"]["stage"], "flashmob");
  EXPECT_EQ((*opened)["data"]["at"], "2020-07-07T00:00:00+08:00");
  EXPECT_EQ(state_of((*opened)["data"]["timeline"], "flashmob"), "open");
  HttpClient http((*server)->port());
  EXPECT_EQ(state_of(http.get("/api/events/irkutsk-2020/timeline").json(), "flashmob"), "open");
}

TEST(Timeline, ClosingAndOpeningAtOneInstantArriveInOrder) {
  TempDir data;
  // Midnight of 8 July closes gallery and flashmob (2 real s away at 3600x); sections open at
  // 10:00, 12 real s away.
  auto server = ServerProcess::start({.data_dir = data.path(), .clock = "2020-07-07T22:58:00+08:00",
                                      .clock_speed = 3600});
  ASSERT_TRUE(server);
  auto ws = WsClient::connect((*server)->port());
  ASSERT_TRUE(ws);
  ASSERT_EQ(ws->call({{"op", "subscribe"}, {"topic", kTopic}})["ok"], true);
  std::vector<std::string> seen;
  for (int i = 0; i < 3; ++i) {
    auto e = ws->next_event(kTopic, "", 20s);
    ASSERT_TRUE(e) << "after " << seen.size();
    if ((*e)["event"] == "presence") {
      --i;
      continue;
    }
    seen.push_back((*e)["event"].get<std::string>() + ":" + (*e)["data"]["stage"].get<std::string>());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"stage_closed:gallery", "stage_closed:flashmob", "stage_opened:sections"}));
}

}  // namespace
}  // namespace praktika::test
