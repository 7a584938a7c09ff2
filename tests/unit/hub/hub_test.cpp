#include "hub/hub.h"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

namespace praktika::hub {
namespace {

struct Recorder : Subscriber {
  std::vector<Frame> frames;
  void deliver(const Frame& frame) override { frames.push_back(frame); }
};

TEST(Hub, SerialisesOnceAndSharesTheFrameWithEverySubscriber) {
  Hub hub;
  auto a = std::make_shared<Recorder>();
  auto b = std::make_shared<Recorder>();
  hub.subscribe("timeline:x", a);
  hub.subscribe("timeline:x", b);
  EXPECT_EQ(hub.publish("timeline:x", "stage_opened", {{"stage", "gallery"}}), 2u);
  ASSERT_EQ(a->frames.size(), 1u);
  ASSERT_EQ(b->frames.size(), 1u);
  EXPECT_EQ(a->frames[0].get(), b->frames[0].get());
  auto parsed = nlohmann::json::parse(a->frames[0]->payload());
  EXPECT_EQ(parsed["topic"], "timeline:x");
  EXPECT_EQ(parsed["event"], "stage_opened");
  EXPECT_EQ(parsed["data"]["stage"], "gallery");
}

TEST(Hub, DeliversOnlyToTheTopicsSubscribers) {
  Hub hub;
  auto a = std::make_shared<Recorder>();
  auto b = std::make_shared<Recorder>();
  hub.subscribe("one", a);
  hub.subscribe("two", b);
  hub.publish("one", "e", nullptr);
  EXPECT_EQ(a->frames.size(), 1u);
  EXPECT_TRUE(b->frames.empty());
  EXPECT_EQ(hub.publish("nobody", "e", nullptr), 0u);
}

TEST(Hub, SubscribingTwiceDeliversOnce) {
  Hub hub;
  auto a = std::make_shared<Recorder>();
  EXPECT_TRUE(hub.subscribe("t", a));
  EXPECT_FALSE(hub.subscribe("t", a));
  hub.publish("t", "e", nullptr);
  EXPECT_EQ(a->frames.size(), 1u);
}

TEST(Hub, UnsubscribeFromTheMiddleKeepsTheOthers) {
  Hub hub;
  std::vector<std::shared_ptr<Recorder>> subs;
  for (int i = 0; i < 5; ++i) {
    subs.push_back(std::make_shared<Recorder>());
    hub.subscribe("t", subs.back());
  }
  hub.publish("t", "first", nullptr);
  EXPECT_TRUE(hub.unsubscribe("t", subs[1].get()));
  EXPECT_FALSE(hub.unsubscribe("t", subs[1].get()));
  EXPECT_TRUE(hub.unsubscribe("t", subs[4].get()));
  hub.publish("t", "second", nullptr);
  EXPECT_EQ(hub.subscriber_count("t"), 3u);
  for (int i : {0, 2, 3}) EXPECT_EQ(subs[i]->frames.size(), 2u) << i;
  for (int i : {1, 4}) EXPECT_EQ(subs[i]->frames.size(), 1u) << i;
}

TEST(Hub, ForgetsATopicWhenItsLastSubscriberLeaves) {
  Hub hub;
  auto a = std::make_shared<Recorder>();
  hub.subscribe("t", a);
  hub.unsubscribe("t", a.get());
  EXPECT_EQ(hub.topic_count(), 0u);
}

struct Counter : Subscriber {
  std::atomic<int> n{0};
  void deliver(const Frame&) override { n.fetch_add(1, std::memory_order_relaxed); }
};

TEST(Hub, PublishingWhileOthersSubscribeFromOtherThreadsLosesNothingForStableSubscribers) {
  Hub hub;
  auto stable = std::make_shared<Counter>();
  hub.subscribe("t", stable);
  std::atomic<bool> stop{false};
  std::thread churn([&] {
    while (!stop) {
      auto s = std::make_shared<Counter>();
      hub.subscribe("t", s);
      hub.unsubscribe("t", s.get());
    }
  });
  for (int i = 0; i < 20000; ++i) hub.publish("t", "e", i);
  stop = true;
  churn.join();
  EXPECT_EQ(stable->n.load(), 20000);
}

}  // namespace
}  // namespace praktika::hub
