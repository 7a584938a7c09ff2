#include "hub/hub.h"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

namespace praktika::hub {
namespace {

struct Recorder : Subscriber {
  std::vector<Frame> frames;
  std::vector<Pace> paces;
  void deliver(const Frame& frame, Pace pace) override {
    frames.push_back(frame);
    paces.push_back(pace);
  }
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
  void deliver(const Frame&, Pace) override { n.fetch_add(1, std::memory_order_relaxed); }
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

// A hub on a clock the test sets.
class HubPace : public ::testing::Test {
 protected:
  std::chrono::steady_clock::time_point now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  Hub hub{[this] { return now; }};
};

TEST_F(HubPace, APublishAfterAPauseIsQuietAndOneRightAfterAnotherIsOfABurst) {
  auto a = std::make_shared<Recorder>();
  hub.subscribe("t", a);
  hub.publish("t", "first", nullptr);
  hub.publish("t", "right_after", nullptr);
  now += Hub::kStreamInterval;
  hub.publish("t", "after_a_pause_but_the_one_before_came_right_after", nullptr);
  now += Hub::kStreamInterval;
  hub.publish("t", "after_two_pauses", nullptr);
  EXPECT_EQ(a->paces, (std::vector<Pace>{Pace::quiet, Pace::burst, Pace::burst, Pace::quiet}));
}

// Takes as long as a stream's interval to hand each frame on, as a large topic may.
struct Slow : Recorder {
  std::chrono::steady_clock::time_point* now = nullptr;
  void deliver(const Frame& frame, Pace pace) override {
    Recorder::deliver(frame, pace);
    *now += Hub::kStreamInterval;
  }
};

TEST_F(HubPace, APublishThatStartsSoonAfterALongOneEndedIsOfABurst) {
  auto a = std::make_shared<Slow>();
  a->now = &now;
  hub.subscribe("t", a);
  hub.publish("t", "long", nullptr);
  now += Hub::kQuietGap - std::chrono::microseconds(1);
  hub.publish("t", "within_the_gap", nullptr);
  now += Hub::kQuietGap;
  hub.publish("t", "after_the_gap", nullptr);
  EXPECT_EQ(a->paces, (std::vector<Pace>{Pace::quiet, Pace::burst, Pace::quiet}));
}

TEST_F(HubPace, AStreamsPublishesAreOfABurstAfterTheirPublisherStalls) {
  auto a = std::make_shared<Recorder>();
  hub.subscribe("t", a);
  for (int i = 0; i < 5; ++i) {
    now += std::chrono::milliseconds(2);
    hub.publish("t", "streamed", nullptr);
  }
  now += std::chrono::milliseconds(50);
  hub.publish("t", "after_the_stall", nullptr);
  now += std::chrono::milliseconds(50);
  hub.publish("t", "after_the_next_pause", nullptr);
  EXPECT_EQ(a->paces[4], Pace::burst);
  EXPECT_EQ(a->paces[5], Pace::burst);
  EXPECT_EQ(a->paces[6], Pace::quiet);
}

TEST_F(HubPace, APublishWithoutSubscribersLeavesThePaceAlone) {
  auto a = std::make_shared<Recorder>();
  hub.subscribe("t", a);
  hub.publish("t", "first", nullptr);
  now += Hub::kStreamInterval;
  EXPECT_EQ(hub.publish("nobody", "e", nullptr), 0u);
  hub.publish("t", "second", nullptr);
  EXPECT_EQ(a->paces, (std::vector<Pace>{Pace::quiet, Pace::quiet}));
}

// A publish that starts while another is still handing its frame out (here from inside a
// delivery, as from another thread) is of a burst however long ago the last one ended.
struct Republisher : Subscriber {
  Hub* hub = nullptr;
  std::chrono::steady_clock::time_point* now = nullptr;
  void deliver(const Frame&, Pace) override {
    *now += Hub::kStreamInterval;
    hub->publish("inner", "e", nullptr);
  }
};

TEST_F(HubPace, APublishWhileAnotherIsUnderWayIsOfABurst) {
  auto outer = std::make_shared<Republisher>();
  outer->hub = &hub;
  outer->now = &now;
  auto inner = std::make_shared<Recorder>();
  hub.subscribe("outer", outer);
  hub.subscribe("inner", inner);
  hub.publish("outer", "e", nullptr);
  now += Hub::kStreamInterval;
  hub.publish("inner", "e", nullptr);
  EXPECT_EQ(inner->paces, (std::vector<Pace>{Pace::burst, Pace::quiet}));
}

}  // namespace
}  // namespace praktika::hub
