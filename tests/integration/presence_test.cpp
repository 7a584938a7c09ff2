#include <gtest/gtest.h>

#include <cstdlib>

#include "support/client.h"
#include "support/redis_server.h"
#include "support/server_process.h"
#include "support/shared_redis.h"

namespace praktika::test {
namespace {

const std::string kTopic = "timeline:irkutsk-2020";

TEST(Presence, CountsConnectionsOnATopicInMemory) {
  TempDir data;
  auto server = ServerProcess::start({.data_dir = data.path()});
  ASSERT_TRUE(server);
  auto a = WsClient::connect((*server)->port());
  auto b = WsClient::connect((*server)->port());
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->call({{"op", "subscribe"}, {"topic", kTopic}})["ok"], true);
  auto reply = b->call({{"op", "subscribe"}, {"topic", kTopic}});
  ASSERT_EQ(reply["ok"], true);
  EXPECT_TRUE(a->wait_presence(kTopic, 2));
  b.reset();
  EXPECT_TRUE(a->wait_presence(kTopic, 1));
}

TEST(Presence, TwoServersSharingRedisShowTheSameCounts) {
  SharedRedis redis;
  ASSERT_FALSE(redis.url().empty());
  TempDir data1, data2;
  auto one = ServerProcess::start({.data_dir = data1.path(), .redis = redis.url()});
  auto two = ServerProcess::start({.data_dir = data2.path(), .redis = redis.url()});
  ASSERT_TRUE(one && two);
  auto a = WsClient::connect((*one)->port());
  auto b = WsClient::connect((*two)->port());
  auto c = WsClient::connect((*two)->port());
  ASSERT_TRUE(a && b && c);
  ASSERT_EQ(a->call({{"op", "subscribe"}, {"topic", kTopic}})["ok"], true);
  ASSERT_EQ(b->call({{"op", "subscribe"}, {"topic", kTopic}})["ok"], true);
  ASSERT_EQ(c->call({{"op", "subscribe"}, {"topic", kTopic}})["ok"], true);
  EXPECT_TRUE(a->wait_presence(kTopic, 3));
  EXPECT_TRUE(b->wait_presence(kTopic, 3));
  c.reset();
  EXPECT_TRUE(a->wait_presence(kTopic, 2));
  HttpClient http((*one)->port());
  auto health = http.get("/api/health").json();
  EXPECT_EQ(health["presence"]["backend"], "redis");
  EXPECT_EQ(health["presence"]["healthy"], true);
}

TEST(Presence, RedisGoingAwayDegradesHealthAndCountsComeBackWithIt) {
  auto redis = RedisServer::start();
  ASSERT_TRUE(redis);
  TempDir data1, data2;
  auto one = ServerProcess::start({.data_dir = data1.path(), .redis = (*redis)->url()});
  auto two = ServerProcess::start({.data_dir = data2.path(), .redis = (*redis)->url()});
  ASSERT_TRUE(one && two);
  auto a = WsClient::connect((*one)->port());
  auto b = WsClient::connect((*two)->port());
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->call({{"op", "subscribe"}, {"topic", kTopic}})["ok"], true);
  ASSERT_EQ(b->call({{"op", "subscribe"}, {"topic", kTopic}})["ok"], true);
  ASSERT_TRUE(a->wait_presence(kTopic, 2));

  (*redis)->stop();
  HttpClient http((*one)->port());
  bool degraded = false;
  for (int i = 0; i < 50 && !degraded; ++i) {
    auto health = http.get("/api/health");
    ASSERT_EQ(health.status, 200);
    degraded = health.json()["status"] == "degraded";
    if (!degraded) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(degraded);
  // The server keeps serving while Redis is away.
  EXPECT_EQ(a->call({{"op", "ping"}})["ok"], true);
  EXPECT_EQ(http.get("/api/events/irkutsk-2020/timeline").status, 200);

  // While Redis is away each server counts its own connections (reported within a second).
  EXPECT_TRUE(a->wait_presence(kTopic, 1, 5s));

  ASSERT_TRUE((*redis)->restart());
  EXPECT_TRUE(a->wait_presence(kTopic, 2, 20s));
  bool healthy = false;
  for (int i = 0; i < 100 && !healthy; ++i) {
    healthy = http.get("/api/health").json()["status"] == "ok";
    if (!healthy) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(healthy);
}

}  // namespace
}  // namespace praktika::test
