#include "flashmob/schedule.h"

#include <gtest/gtest.h>

namespace praktika::flashmob {
namespace {

using namespace std::chrono_literals;

const TimePoint kStart = TimePoint(Millis(1'594'051'200'000));  // 2020-07-07T00:00+08:00

const std::vector<Entry> kQueue = {{1, 60s}, {2, 30s}, {3, 90s}};

TEST(Schedule, BeforeTheStartTheFeedWaitsWithTheWholeQueueUpNext) {
  auto n = compute({}, kQueue, kStart, kStart - 5s);
  EXPECT_EQ(n.state, FeedState::waiting);
  EXPECT_FALSE(n.item);
  EXPECT_EQ(n.up_next, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(n.next_change, kStart);
}

TEST(Schedule, ItemsPlayBackToBackFromTheStart) {
  auto first = compute({}, kQueue, kStart, kStart + 10s);
  EXPECT_EQ(first.state, FeedState::playing);
  EXPECT_EQ(first.item, 1);
  EXPECT_EQ(first.started_at, kStart);
  EXPECT_EQ(first.position, 10s);
  EXPECT_EQ(first.next_change, kStart + 60s);

  auto third = compute({}, kQueue, kStart, kStart + 100s);
  EXPECT_EQ(third.item, 3);
  EXPECT_EQ(third.started_at, kStart + 90s);
  EXPECT_EQ(third.position, 10s);
  EXPECT_TRUE(third.up_next.empty());
  EXPECT_EQ(third.finished, (std::vector<std::int64_t>{1, 2}));
}

TEST(Schedule, AnItemEndsExactlyAtItsBoundary) {
  auto n = compute({}, kQueue, kStart, kStart + 60s);
  EXPECT_EQ(n.item, 2);
  EXPECT_EQ(n.position, 0s);
}

TEST(Schedule, TwoViewersJoiningThirtySecondsApartDifferByThirtySeconds) {
  auto a = compute({}, kQueue, kStart, kStart + 12s);
  auto b = compute({}, kQueue, kStart, kStart + 42s);
  EXPECT_EQ(a.item, b.item);
  EXPECT_EQ(a.started_at, b.started_at);
  EXPECT_EQ(b.position - a.position, 30s);
}

TEST(Schedule, AfterTheLastItemTheFeedIsIdle) {
  auto n = compute({}, kQueue, kStart, kStart + 180s);
  EXPECT_EQ(n.state, FeedState::idle);
  EXPECT_FALSE(n.item);
  EXPECT_FALSE(n.next_change);
}

TEST(Schedule, PauseFreezesThePositionAndResumeGoesOnFromIt) {
  Cursor c = pause({}, kQueue, kStart, kStart + 20s);
  auto paused = compute(c, kQueue, kStart, kStart + 500s);
  EXPECT_EQ(paused.state, FeedState::paused);
  EXPECT_EQ(paused.item, 1);
  EXPECT_EQ(paused.position, 20s);
  EXPECT_FALSE(paused.next_change);

  c = resume(c, kQueue, kStart, kStart + 500s);
  auto resumed = compute(c, kQueue, kStart, kStart + 510s);
  EXPECT_EQ(resumed.state, FeedState::playing);
  EXPECT_EQ(resumed.item, 1);
  EXPECT_EQ(resumed.position, 30s);
  EXPECT_EQ(resumed.next_change, kStart + 540s);
}

TEST(Schedule, SkipStartsTheNextItemAtOnce) {
  Cursor c = skip({}, kQueue, kStart, kStart + 20s);
  auto n = compute(c, kQueue, kStart, kStart + 25s);
  EXPECT_EQ(n.item, 2);
  EXPECT_EQ(n.started_at, kStart + 20s);
  EXPECT_EQ(n.position, 5s);
}

TEST(Schedule, ReorderKeepsTheCurrentItemAndPlaysTheRestInTheNewOrder) {
  Cursor c = settle({}, kQueue, kStart, kStart + 70s);  // item 2 playing for 10 s
  std::vector<Entry> reordered = {{3, 90s}, {1, 60s}, {2, 30s}};
  auto n = compute(c, reordered, kStart, kStart + 75s);
  EXPECT_EQ(n.item, 2);
  EXPECT_EQ(n.position, 15s);
  // Item 1 has been played: only item 3 is left.
  EXPECT_EQ(n.up_next, (std::vector<std::int64_t>{3}));
  auto later = compute(c, reordered, kStart, kStart + 95s);
  EXPECT_EQ(later.item, 3);
  EXPECT_EQ(later.started_at, kStart + 90s);
}

TEST(Schedule, SettlingNeverChangesWhatPlays) {
  for (auto at : {5s, 60s, 61s, 150s, 200s}) {
    Cursor c = settle({}, kQueue, kStart, kStart + at);
    for (auto later : {0s, 1s, 29s, 100s}) {
      auto plain = compute({}, kQueue, kStart, kStart + at + later);
      auto settled = compute(c, kQueue, kStart, kStart + at + later);
      EXPECT_EQ(plain.item, settled.item) << at.count() << "+" << later.count();
      EXPECT_EQ(plain.position, settled.position) << at.count() << "+" << later.count();
    }
  }
}

TEST(Schedule, AnItemApprovedWhileIdlePlaysFromThatMoment) {
  Cursor c = settle({}, kQueue, kStart, kStart + 300s);
  std::vector<Entry> more = kQueue;
  more.push_back({4, 20s});
  auto n = compute(c, more, kStart, kStart + 305s);
  EXPECT_EQ(n.item, 4);
  EXPECT_EQ(n.position, 5s);
}

TEST(Schedule, ARemovedCurrentItemGivesWayToTheNext) {
  Cursor c = settle({}, kQueue, kStart, kStart + 10s);
  std::vector<Entry> without = {{2, 30s}, {3, 90s}};
  auto n = compute(c, without, kStart, kStart + 12s);
  EXPECT_EQ(n.item, 2);
  EXPECT_EQ(n.started_at, kStart + 10s);
}

TEST(Schedule, PausedBeforeTheStartHoldsTheFirstItemAtZero) {
  Cursor c = pause({}, kQueue, kStart, kStart - 60s);
  EXPECT_EQ(compute(c, kQueue, kStart, kStart - 1s).state, FeedState::waiting);
  auto n = compute(c, kQueue, kStart, kStart + 30s);
  EXPECT_EQ(n.state, FeedState::paused);
  EXPECT_EQ(n.item, 1);
  EXPECT_EQ(n.position, 0s);
}

}  // namespace
}  // namespace praktika::flashmob
