#include "live/topic_log.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace praktika::live {
namespace {

using nlohmann::json;

// Keeps what it was given, as parsed messages.
class Recorder : public hub::Subscriber {
 public:
  void deliver(const hub::Frame& frame, hub::Pace) override { got.push_back(json::parse(frame->payload())); }
  std::vector<json> got;
};

const std::string kTopic = "practice:e:1";

TEST(TopicLog, EventsAreNumberedFromOneAndFramedOnce) {
  hub::Hub hub;
  TopicLog log(hub, 10, true);
  auto r = std::make_shared<Recorder>();
  log.subscribe(kTopic, r, std::nullopt, nullptr);
  log.publish_next(kTopic, event_fragment("comment", {{"id", 7}}));
  log.publish_next(kTopic, event_fragment("comment", {{"id", 8}}));
  ASSERT_EQ(r->got.size(), 2u);
  EXPECT_EQ(r->got[0], (json{{"topic", kTopic}, {"seq", 1}, {"event", "comment"}, {"data", {{"id", 7}}}}));
  EXPECT_EQ(r->got[1]["seq"], 2);
}

TEST(TopicLog, AResubscribeGetsTheKeptEventsAfterItsNumberOnce) {
  hub::Hub hub;
  TopicLog log(hub, 10, true);
  for (int i = 1; i <= 4; ++i) log.publish_next(kTopic, event_fragment("comment", {{"id", i}}));
  auto r = std::make_shared<Recorder>();
  auto joined = log.subscribe(kTopic, r, 2, nullptr);
  EXPECT_TRUE(joined.caught_up);
  EXPECT_EQ(joined.last, 4u);
  log.publish_next(kTopic, event_fragment("comment", {{"id", 5}}));
  ASSERT_EQ(r->got.size(), 3u);
  EXPECT_EQ(r->got[0]["seq"], 3);
  EXPECT_EQ(r->got[1]["seq"], 4);
  EXPECT_EQ(r->got[2]["seq"], 5);
}

TEST(TopicLog, AResubscribeUpToDateGetsNothingButWhatFollows) {
  hub::Hub hub;
  TopicLog log(hub, 10, true);
  log.publish_next(kTopic, event_fragment("comment", {{"id", 1}}));
  auto r = std::make_shared<Recorder>();
  log.subscribe(kTopic, r, 1, nullptr);
  EXPECT_TRUE(r->got.empty());
}

TEST(TopicLog, EventsNoLongerKeptGiveOneResyncWithTheState) {
  hub::Hub hub;
  TopicLog log(hub, 2, true);
  for (int i = 1; i <= 5; ++i) log.publish_next(kTopic, event_fragment("comment", {{"id", i}}));
  auto r = std::make_shared<Recorder>();
  json state = {{"practice", 1}};
  log.subscribe(kTopic, r, 1, &state);
  ASSERT_EQ(r->got.size(), 1u);
  EXPECT_EQ(r->got[0], (json{{"topic", kTopic}, {"seq", 5}, {"event", "resync"}, {"data", state}}));
}

TEST(TopicLog, ANumberPastTheTopicsGivesAResync) {
  hub::Hub hub;
  TopicLog log(hub, 10, true);
  auto r = std::make_shared<Recorder>();
  json state = {{"practice", 1}};
  log.subscribe(kTopic, r, 40, &state);
  ASSERT_EQ(r->got.size(), 1u);
  EXPECT_EQ(r->got[0]["event"], "resync");
  EXPECT_EQ(r->got[0]["seq"], 0);
}

TEST(TopicLog, WithoutAResyncStateAMissIsLeftToTheCallerUnsubscribed) {
  hub::Hub hub;
  TopicLog log(hub, 10, false);
  auto r = std::make_shared<Recorder>();
  auto joined = log.subscribe(kTopic, r, 3, nullptr);
  EXPECT_FALSE(joined.caught_up);
  EXPECT_FALSE(joined.last);
  EXPECT_EQ(hub.subscriber_count(kTopic), 0u);
}

TEST(TopicLog, AHoleInTheNumbersIsNeverReplayedOver) {
  hub::Hub hub;
  TopicLog log(hub, 10, false);
  log.deliver(kTopic, 1, event_fragment("comment", {{"id", 1}}));
  log.deliver(kTopic, 2, event_fragment("comment", {{"id", 2}}));
  log.deliver(kTopic, 5, event_fragment("comment", {{"id", 5}}));  // 3 and 4 never came here
  auto r = std::make_shared<Recorder>();
  EXPECT_FALSE(log.subscribe(kTopic, r, 2, nullptr).caught_up);
  EXPECT_TRUE(log.subscribe(kTopic, r, 4, nullptr).caught_up);
  ASSERT_EQ(r->got.size(), 1u);
  EXPECT_EQ(r->got[0]["seq"], 5);
}

}  // namespace
}  // namespace praktika::live
