#include "presence/presence.h"
#include "presence/throttle.h"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "support/async_test.h"
#include "support/redis_server.h"

namespace praktika::presence {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test::RedisServer;

using IoThread = test::IoThreads;
using test::eventually;
using test::start_redis;

// Everything the sink was told, with when.
class Reports {
 public:
  CountsSink sink() {
    return [this](const std::string& topic, std::int64_t n) {
      std::lock_guard lock(mutex_);
      all_.push_back({topic, n, Clock::now()});
    };
  }
  std::optional<std::int64_t> last(const std::string& topic) const {
    std::lock_guard lock(mutex_);
    for (auto it = all_.rbegin(); it != all_.rend(); ++it)
      if (it->topic == topic) return it->count;
    return std::nullopt;
  }
  struct Entry {
    std::string topic;
    std::int64_t count;
    Clock::time_point at;
  };
  std::vector<Entry> of(const std::string& topic) const {
    std::lock_guard lock(mutex_);
    std::vector<Entry> out;
    for (const auto& e : all_)
      if (e.topic == topic) out.push_back(e);
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Entry> all_;
};

Options fast(std::string instance_id) {
  Options o;
  o.report_interval_ms = 100;
  o.heartbeat_interval_ms = 100;
  o.expiry_ms = 600;
  o.instance_id = std::move(instance_id);
  return o;
}

std::unique_ptr<Presence> redis_presence(IoThread& t, const RedisServer& redis, Options options, Reports& reports) {
  auto p = make_redis_presence(t.io, redis.url(), std::move(options), reports.sink());
  EXPECT_TRUE(p.ok());
  if (!p.ok()) return nullptr;
  (*p)->start();
  return std::move(*p);
}

// ---- memory ----

// Two instances' presence on one redis-server of the test's own, each reporting to its own sink.
class TwoInstances : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(redis);
    a = redis_presence(t, *redis, fast("a"), ra);
    b = redis_presence(t, *redis, fast("b"), rb);
    ASSERT_TRUE(a && b);
  }
  std::unique_ptr<RedisServer> redis = start_redis();
  IoThread t;
  Reports ra, rb;
  std::unique_ptr<Presence> a, b;
};

TEST(MemoryPresence, CountsLocalMembersAndIgnoresDuplicateJoins) {
  IoThread t;
  Reports reports;
  auto p = make_memory_presence(t.io, fast("a"), reports.sink());
  p->start();
  EXPECT_STREQ(p->backend(), "memory");
  EXPECT_TRUE(p->healthy());
  p->join("gallery:e", "c1");
  p->join("gallery:e", "c1");
  p->join("gallery:e", "c2");
  p->join("flashmob:e", "c1");
  EXPECT_EQ(p->count("gallery:e"), 2);
  EXPECT_EQ(p->count("flashmob:e"), 1);
  p->leave("gallery:e", "c1");
  p->leave("gallery:e", "never-joined");
  EXPECT_EQ(p->count("gallery:e"), 1);
  EXPECT_EQ(p->count("nobody:e"), 0);
  p->stop();
}

TEST(MemoryPresence, ReportsChangedCountsAtMostOncePerInterval) {
  IoThread t;
  Reports reports;
  Options o = fast("a");
  o.report_interval_ms = 200;
  auto p = make_memory_presence(t.io, o, reports.sink());
  p->start();

  // A burst of churn over ~1 s: 2 joins every 10 ms, 1 leave.
  for (int i = 0; i < 100; ++i) {
    p->join("t", "m" + std::to_string(2 * i));
    p->join("t", "m" + std::to_string(2 * i + 1));
    p->leave("t", "m" + std::to_string(2 * i));
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(eventually([&] { return reports.last("t") == 100; }));
  auto seen = reports.of("t");
  ASSERT_GE(seen.size(), 2u);
  EXPECT_LE(seen.size(), 8u);  // ~1 s of churn at one report per 200 ms
  for (size_t i = 1; i < seen.size(); ++i) {
    EXPECT_GE(seen[i].at - seen[i - 1].at, 150ms) << "reports " << i - 1 << " and " << i << " too close";
    EXPECT_NE(seen[i].count, seen[i - 1].count) << "unchanged count reported again";
  }
  p->stop();
}

TEST(MemoryPresence, ReportsTheDropToZeroButNotAJoinUndoneWithinOneInterval) {
  IoThread t;
  Reports reports;
  Options o = fast("a");
  o.report_interval_ms = 300;
  auto p = make_memory_presence(t.io, o, reports.sink());
  p->start();
  p->join("blink", "c1");
  p->leave("blink", "c1");
  p->join("stay", "c1");
  ASSERT_TRUE(eventually([&] { return reports.last("stay") == 1; }));
  p->leave("stay", "c1");
  ASSERT_TRUE(eventually([&] { return reports.last("stay") == 0; }));
  std::this_thread::sleep_for(400ms);
  EXPECT_TRUE(reports.of("blink").empty());
  EXPECT_EQ(reports.of("stay").size(), 2u);
  p->stop();
}

// ---- large topics ----

Options large_topics(std::string instance_id) {
  Options o = fast(std::move(instance_id));
  o.large_topic_members = 100;
  o.large_topic_interval_ms = 1000;
  o.large_topic_step_percent = 10;
  return o;
}

TEST(PresenceThrottle, SmallTopicsOnEveryChangeLargeOnesOnAStepOrAfterTheInterval) {
  Throttle throttle(large_topics("a"));
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(throttle.due("small", 3, 4, t0));
  EXPECT_TRUE(throttle.due("small", 4, 5, t0 + 1ms));
  // Crossing into "large" is a move of more than the step: reported.
  EXPECT_TRUE(throttle.due("big", 50, 200, t0));
  EXPECT_FALSE(throttle.due("big", 200, 205, t0 + 200ms));   // 2.5 %: held
  EXPECT_FALSE(throttle.due("big", 200, 190, t0 + 900ms));   // 5 %: held
  EXPECT_TRUE(throttle.due("big", 200, 222, t0 + 950ms));    // 11 %: at once
  EXPECT_FALSE(throttle.due("big", 222, 223, t0 + 1500ms));  // the interval restarted at 950 ms
  EXPECT_TRUE(throttle.due("big", 222, 223, t0 + 1950ms));   // a second since the last report
  EXPECT_TRUE(throttle.due("big", 223, 0, t0 + 1960ms));     // everybody left: always told
}

TEST(MemoryPresence, ALargeTopicsSmallChangesWaitForTheIntervalAndBigOnesDoNot) {
  IoThread t;
  Reports reports;
  auto p = make_memory_presence(t.io, large_topics("a"), reports.sink());
  p->start();
  for (int i = 0; i < 200; ++i) p->join("big", "m" + std::to_string(i));
  ASSERT_TRUE(eventually([&] { return reports.last("big") == 200; }));
  auto first = reports.of("big").back().at;
  // A few more (2.5 %): not in the next rounds, but once the interval has passed.
  for (int i = 200; i < 205; ++i) p->join("big", "m" + std::to_string(i));
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(reports.last("big"), 200);
  ASSERT_TRUE(eventually([&] { return reports.last("big") == 205; }));
  EXPECT_GE(reports.of("big").back().at - first, 900ms);
  // Many more (20 %): reported in the next round.
  auto before = std::chrono::steady_clock::now();
  for (int i = 205; i < 250; ++i) p->join("big", "m" + std::to_string(i));
  ASSERT_TRUE(eventually([&] { return reports.last("big") == 250; }));
  EXPECT_LT(reports.of("big").back().at - before, 700ms);
  p->stop();
}

// ---- redis ----

TEST(RedisPresence, RefusesAMalformedUrl) {
  IoThread t;
  auto p = make_redis_presence(t.io, "localhost:6379", fast("a"), {});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), "bad_redis_url");
}

TEST_F(TwoInstances, SeeTheSameCountAndLeavesLowerIt) {
  EXPECT_STREQ(a->backend(), "redis");
  ASSERT_TRUE(eventually([&] { return a->healthy() && b->healthy(); }));

  // The same connection id on two instances is two members.
  a->join("practice:e:1", "c1");
  a->join("practice:e:1", "c2");
  b->join("practice:e:1", "c1");
  b->join("practice:e:1", "c2");
  b->join("practice:e:1", "c3");
  ASSERT_TRUE(eventually([&] { return a->count("practice:e:1") == 5 && b->count("practice:e:1") == 5; }));
  ASSERT_TRUE(eventually([&] { return ra.last("practice:e:1") == 5 && rb.last("practice:e:1") == 5; }));
  // The key and member layout other tools may rely on.
  EXPECT_NE(redis->query("ZSCORE praktika:presence:practice:e:1 a:c1").value(), "$-1");
  EXPECT_EQ(redis->query("ZSCORE praktika:presence:practice:e:1 a:c9").value(), "$-1");

  b->leave("practice:e:1", "c3");
  a->leave("practice:e:1", "c1");
  ASSERT_TRUE(eventually([&] { return a->count("practice:e:1") == 3 && b->count("practice:e:1") == 3; }));
  ASSERT_TRUE(eventually([&] { return ra.last("practice:e:1") == 3 && rb.last("practice:e:1") == 3; }));

  a->leave("practice:e:1", "c2");
  b->leave("practice:e:1", "c1");
  b->leave("practice:e:1", "c2");
  ASSERT_TRUE(eventually([&] { return ra.last("practice:e:1") == 0 && rb.last("practice:e:1") == 0; }));
  EXPECT_EQ(a->count("practice:e:1"), 0);
  a->stop();
  b->stop();
}

TEST_F(TwoInstances, HeartbeatsKeepMembersCountedPastTheirExpiry) {
  a->join("t", "c1");
  a->join("t", "c2");
  ASSERT_TRUE(eventually([&] { return b->count("t") == 2; }));
  std::this_thread::sleep_for(1500ms);  // 2.5 × expiry
  EXPECT_EQ(b->count("t"), 2);
  EXPECT_EQ(redis->query("ZCARD praktika:presence:t").value(), ":2");
  EXPECT_EQ(rb.of("t").size(), 1u);
  a->stop();
  b->stop();
}

TEST_F(TwoInstances, OneThatDiesStopsBeingCountedAfterExpiry) {
  a->join("t", "c1");
  a->join("t", "c2");
  b->join("t", "c1");
  ASSERT_TRUE(eventually([&] { return b->count("t") == 3; }));

  a.reset();  // no stop(): a crash, as far as Redis can tell
  EXPECT_EQ(redis->query("ZCARD praktika:presence:t").value(), ":3");
  auto died = Clock::now();
  ASSERT_TRUE(eventually([&] { return b->count("t") == 1; }));
  EXPECT_GE(Clock::now() - died, 300ms) << "members vanished before their expiry";
  ASSERT_TRUE(eventually([&] { return rb.last("t") == 1; }));
  b->stop();
}

TEST(RedisPresence, StopRemovesThisInstancesMembersAtOnce) {
  auto redis = start_redis();
  ASSERT_TRUE(redis);
  IoThread t;
  Reports ra, rb;
  Options slow_expiry = fast("a");
  slow_expiry.expiry_ms = 60'000;
  auto a = redis_presence(t, *redis, slow_expiry, ra);
  auto b = redis_presence(t, *redis, fast("b"), rb);
  ASSERT_TRUE(a && b);
  a->join("t", "c1");
  a->join("u", "c1");
  b->join("t", "c1");
  ASSERT_TRUE(eventually([&] { return b->count("t") == 2; }));
  a->stop();
  EXPECT_EQ(redis->query("ZCARD praktika:presence:t").value(), ":1");
  EXPECT_EQ(redis->query("ZCARD praktika:presence:u").value(), ":0");
  ASSERT_TRUE(eventually([&] { return b->count("t") == 1; }, 2s));
  b->stop();
}

TEST_F(TwoInstances, KeepCountingLocallyWhileRedisIsDownAndRecoverWhenItReturns) {
  a->join("t", "c1");
  a->join("t", "gone");
  b->join("t", "c1");
  ASSERT_TRUE(eventually([&] { return a->count("t") == 3 && b->count("t") == 3; }));
  ASSERT_TRUE(eventually([&] { return ra.last("t") == 3; }));

  redis->stop();
  ASSERT_TRUE(eventually([&] { return !a->healthy() && !b->healthy(); }));
  EXPECT_EQ(a->count("t"), 2);  // the local view
  a->join("t", "c2");           // joins while Redis is away
  a->join("t", "c3");
  a->leave("t", "gone");        // and a leave that cannot reach Redis
  b->join("u", "c1");
  EXPECT_EQ(a->count("t"), 3);
  // The page keeps moving: local counts are reported.
  ASSERT_TRUE(eventually([&] { return ra.last("t") == 3 && rb.last("u") == 1; }));

  ASSERT_TRUE(redis->restart().is_ok());  // empty: everything must be re-registered
  ASSERT_TRUE(eventually([&] { return a->healthy() && b->healthy(); }));
  ASSERT_TRUE(eventually([&] { return a->count("t") == 4 && b->count("t") == 4; }));
  ASSERT_TRUE(eventually([&] { return ra.last("t") == 4 && rb.last("t") == 4; }));
  EXPECT_EQ(redis->query("ZCARD praktika:presence:u").value(), ":1");
  a->stop();
  b->stop();
}

// The server's shape: two instances on one two-threaded io_context, one member each. While
// Redis is away each reports its own count; once it is back, the global count again.
TEST(RedisPresence, ReportsTheLocalCountWhileRedisIsDownAndTheGlobalOneAfterItsRestart) {
  auto redis = start_redis();
  ASSERT_TRUE(redis);
  IoThread t{2};
  Reports ra, rb;
  auto make = [&](const char* id, Reports& r) {
    auto p = make_redis_presence(t.io, redis->url(), fast(id), r.sink());
    EXPECT_TRUE(p.ok());
    if (p.ok()) (*p)->start();
    return p.ok() ? std::move(*p) : nullptr;
  };
  auto a = make("a", ra);
  auto b = make("b", rb);
  ASSERT_TRUE(a && b);
  a->join("t", "c1");
  b->join("t", "c1");
  ASSERT_TRUE(eventually([&] { return ra.last("t") == 2 && rb.last("t") == 2; }));

  redis->stop();
  ASSERT_TRUE(eventually([&] { return !a->healthy() && !b->healthy(); }));
  EXPECT_TRUE(eventually([&] { return ra.last("t") == 1 && rb.last("t") == 1; }));

  ASSERT_TRUE(redis->restart().is_ok());
  ASSERT_TRUE(eventually([&] { return a->healthy() && b->healthy(); }));
  EXPECT_TRUE(eventually([&] { return ra.last("t") == 2 && rb.last("t") == 2; }));
  a->stop();
  b->stop();
}

// A frozen Redis keeps the connection open: the round's ZCARDs wait until the client gives up
// on them. That failure must end the round (local count), and rounds must go on after it.
TEST(RedisPresence, ARoundCaughtByAFrozenRedisEndsWithTheLocalCountAndRoundsResume) {
  auto redis = start_redis();
  ASSERT_TRUE(redis);
  IoThread t{2};
  Reports ra, rb;
  auto a = make_redis_presence(t.io, redis->url(), fast("a"), ra.sink());
  auto b = make_redis_presence(t.io, redis->url(), fast("b"), rb.sink());
  ASSERT_TRUE(a.ok() && b.ok());
  (*a)->start();
  (*b)->start();
  (*a)->join("t", "c1");
  (*b)->join("t", "c1");
  ASSERT_TRUE(eventually([&] { return ra.last("t") == 2; }));

  redis->pause();
  ASSERT_TRUE(eventually([&] { return !(*a)->healthy(); }));
  EXPECT_TRUE(eventually([&] { return ra.last("t") == 1; }, 3s));

  redis->resume();
  ASSERT_TRUE(eventually([&] { return (*a)->healthy(); }));
  EXPECT_TRUE(eventually([&] { return ra.last("t") == 2; }));
  (*a)->stop();
  (*b)->stop();
}

TEST(RedisPresence, ALeaveThatMissedRedisIsRemovedAfterReconnect) {
  auto redis = start_redis();
  ASSERT_TRUE(redis);
  IoThread t;
  Reports ra;
  Options long_expiry = fast("a");
  long_expiry.expiry_ms = 60'000;  // only the orphan removal can make it go
  auto a = redis_presence(t, *redis, long_expiry, ra);
  ASSERT_TRUE(a);
  a->join("t", "c1");
  a->join("t", "c2");
  ASSERT_TRUE(eventually([&] { return redis->query("ZCARD praktika:presence:t").value() == ":2"; }));

  redis->pause();  // the connection stays, the ZREM waits and then fails
  a->leave("t", "c2");
  ASSERT_TRUE(eventually([&] { return !a->healthy(); }));
  redis->resume();
  ASSERT_TRUE(eventually([&] { return a->healthy(); }));
  ASSERT_TRUE(eventually([&] { return redis->query("ZCARD praktika:presence:t").value() == ":1"; }));
  ASSERT_TRUE(eventually([&] { return a->count("t") == 1; }));
  a->stop();
}

TEST(RedisPresence, ConcurrentJoinsAndLeavesFromManyThreadsAddUp) {
  auto redis = start_redis();
  ASSERT_TRUE(redis);
  IoThread t1, t2;
  Reports ra, rb;
  auto a = redis_presence(t1, *redis, fast("a"), ra);
  auto b = redis_presence(t2, *redis, fast("b"), rb);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(eventually([&] { return a->healthy() && b->healthy(); }));

  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      Presence& p = w % 2 ? *a : *b;
      for (int i = 0; i < 1000; ++i) {
        std::string member = "w" + std::to_string(w) + "-" + std::to_string(i);
        p.join("crowd", member);
        if (i % 2) p.leave("crowd", member);
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(eventually([&] { return a->count("crowd") == 2000 && b->count("crowd") == 2000; }));
  EXPECT_EQ(redis->query("ZCARD praktika:presence:crowd").value(), ":2000");
  ASSERT_TRUE(eventually([&] { return ra.last("crowd") == 2000; }));
  a->stop();
  b->stop();
  EXPECT_EQ(redis->query("ZCARD praktika:presence:crowd").value(), ":0");
}

TEST(RedisPresence, TenThousandMembersJoinWithoutBlockingAndStayCountedUnderChurn) {
  auto redis = start_redis();
  ASSERT_TRUE(redis);
  IoThread t;
  Reports r;
  auto p = redis_presence(t, *redis, fast("a"), r);
  ASSERT_TRUE(p);
  ASSERT_TRUE(eventually([&] { return p->healthy(); }));

  // join() only queues, with no round trip on the caller's thread: with Redis frozen, a join
  // that waited for an answer would never return. They all do, and are counted once it thaws.
  redis->pause();
  for (int i = 0; i < 10'000; ++i) p->join("flashmob:e", "c" + std::to_string(i));
  EXPECT_EQ(p->count("flashmob:e"), 10'000);
  redis->resume();
  ASSERT_TRUE(eventually([&] { return r.last("flashmob:e") == 10'000; }));

  // 100 leaves and 100 joins per second for 2 s (3 × expiry): heartbeats keep the rest.
  for (int tick = 0; tick < 20; ++tick) {
    for (int j = 0; j < 10; ++j) {
      int i = tick * 10 + j;
      p->leave("flashmob:e", "c" + std::to_string(i));
      p->join("flashmob:e", "n" + std::to_string(i));
    }
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(eventually([&] { return redis->query("ZCARD praktika:presence:flashmob:e").value() == ":10000"; }));
  // count() is the last report round's figure: it may trail Redis by one round.
  EXPECT_TRUE(eventually([&] { return p->count("flashmob:e") == 10'000; })) << p->count("flashmob:e");
  p->stop();
  EXPECT_EQ(redis->query("ZCARD praktika:presence:flashmob:e").value(), ":0");
}

TEST(RedisPresence, StartsUnhealthyWithoutRedisAndCountsLocally) {
  IoThread t;
  Reports r;
  auto p = make_redis_presence(t.io, "redis://127.0.0.1:1", fast("a"), r.sink());
  ASSERT_TRUE(p.ok());
  (*p)->start();
  (*p)->join("t", "c1");
  EXPECT_FALSE((*p)->healthy());
  EXPECT_EQ((*p)->count("t"), 1);
  ASSERT_TRUE(eventually([&] { return r.last("t") == 1; }));
  (*p)->stop();
}

}  // namespace
}  // namespace praktika::presence
