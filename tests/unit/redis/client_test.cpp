#include "redis/client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <future>
#include <thread>

#include "support/ports.h"
#include "support/async_test.h"
#include "support/redis_server.h"

namespace praktika::redis {
namespace {

using namespace std::chrono_literals;
using test::RedisServer;

using IoThread = test::IoThreads;
using test::eventually;
using test::start_redis;

Result<Reply> run(Client& client, std::vector<std::string> argv) {
  auto promise = std::make_shared<std::promise<Result<Reply>>>();
  auto future = promise->get_future();
  client.command(std::move(argv), [promise](Result<Reply> r) { promise->set_value(std::move(r)); });
  if (future.wait_for(10s) != std::future_status::ready)
    return Status::internal("test_timeout", "no completion within 10 s");
  return future.get();
}

// A client of `redis` on `t`, once it has connected; null, with the failure recorded, otherwise.
std::unique_ptr<Client> connected_client(IoThread& t, const RedisServer& redis, ClientOptions options = {}) {
  auto client = Client::create(t.io, redis.url(), std::move(options));
  EXPECT_TRUE(client.ok());
  if (!client.ok()) return nullptr;
  EXPECT_TRUE(eventually([&] { return (*client)->connected(); }));
  return (*client)->connected() ? std::move(*client) : nullptr;
}

TEST(ParseUrl, AcceptsHostPortAndDefaults) {
  auto a = parse_url("redis://127.0.0.1:6380");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 6380);
  auto b = parse_url("redis://cache.local");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "cache.local");
  EXPECT_EQ(b->port, 6379);
  auto c = parse_url("redis://[::1]:7000/0");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->port, 7000);
}

TEST(ParseUrl, RefusesMalformedUrlsWithAStatus) {
  for (const char* bad : {"", "127.0.0.1:6379", "http://h:1", "redis://", "redis://h:", "redis://h:0",
                          "redis://h:70000", "redis://h:12x", "redis://h:1/3", "redis://user@h:1", "redis://[::1"}) {
    auto r = parse_url(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), "bad_redis_url") << bad;
  }
}

TEST(Client, CreateFailsOnBadUrlWithoutThrowing) {
  boost::asio::io_context io;
  auto client = Client::create(io, "redis:/nope");
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.status().code(), "bad_redis_url");
}

TEST(Client, SetThenGetRoundTripsABinaryValue) {
  auto redis = start_redis();
  ASSERT_TRUE(redis);
  IoThread t;
  std::atomic<int> ups{0};
  ClientOptions options;
  options.on_state = [&](bool up) { ups += up ? 1 : 0; };
  auto client = connected_client(t, *redis, options);
  ASSERT_TRUE(client);
  EXPECT_EQ(ups.load(), 1);

  const std::string value("a\0b\r\n$3\xff", 8);
  auto set = run(*client, {"SET", std::string("k\0ey", 4), value});
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->kind, Reply::Kind::status);
  EXPECT_EQ(set->str, "OK");

  auto get = run(*client, {"GET", std::string("k\0ey", 4)});
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get->kind, Reply::Kind::string);
  EXPECT_EQ(get->str, value);

  auto missing = run(*client, {"GET", "absent"});
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing->is_nil());
}

TEST(Client, IntegerAndArrayRepliesAreCopied) {
  auto redis = start_redis();
  ASSERT_TRUE(redis);
  IoThread t;
  auto client = connected_client(t, *redis);
  ASSERT_TRUE(client);

  auto added = run(*client, {"ZADD", "z", "1", "one", "2", "two"});
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added->kind, Reply::Kind::integer);
  EXPECT_EQ(added->integer, 2);
  auto range = run(*client, {"ZRANGE", "z", "0", "-1"});
  ASSERT_TRUE(range.ok());
  ASSERT_EQ(range->kind, Reply::Kind::array);
  ASSERT_EQ(range->elements.size(), 2u);
  EXPECT_EQ(range->elements[0].str, "one");
  EXPECT_EQ(range->elements[1].str, "two");
}

TEST(Client, ErrorReplyIsAReplyNotAConnectionFailure) {
  auto redis = start_redis();
  ASSERT_TRUE(redis);
  IoThread t;
  auto client = connected_client(t, *redis);
  ASSERT_TRUE(client);

  ASSERT_TRUE(run(*client, {"SET", "s", "text"}).ok());
  auto wrong = run(*client, {"ZCARD", "s"});
  ASSERT_TRUE(wrong.ok());
  EXPECT_TRUE(wrong->is_error());
  EXPECT_NE(wrong->str.find("WRONGTYPE"), std::string::npos) << wrong->str;
  EXPECT_TRUE(client->connected());
}

TEST(Client, ManyCommandsIssuedAtOnceAllCompleteInOrder) {
  auto redis = start_redis();
  ASSERT_TRUE(redis);
  IoThread t;
  auto client = connected_client(t, *redis);
  ASSERT_TRUE(client);

  constexpr int kCount = 2000;
  std::vector<std::int64_t> seen;
  std::mutex m;
  std::promise<void> done;
  for (int i = 0; i < kCount; ++i) {
    client->command({"INCR", "counter"}, [&, i](Result<Reply> r) {
      std::lock_guard lock(m);
      seen.push_back(r.ok() ? r->integer : -1);
      if (i == kCount - 1) done.set_value();
    });
  }
  ASSERT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
  std::lock_guard lock(m);
  ASSERT_EQ(seen.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) ASSERT_EQ(seen[i], i + 1);
}

TEST(Client, CommandsFailFastWhileRedisIsUnreachable) {
  IoThread t;
  const int port = test::free_port();  // nothing listens there
  auto client = Client::create(t.io, "redis://127.0.0.1:" + std::to_string(port));
  ASSERT_TRUE(client.ok());
  auto start = std::chrono::steady_clock::now();
  auto r = run(**client, {"PING"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "redis_unavailable");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_FALSE((*client)->connected());
}

TEST(Client, ReconnectsAfterRedisRestartsOnTheSamePort) {
  auto redis = start_redis();
  ASSERT_TRUE(redis);
  IoThread t;
  std::atomic<int> ups{0}, downs{0};
  ClientOptions options;
  options.reconnect_max = 200ms;
  options.on_state = [&](bool up) { (up ? ups : downs)++; };
  auto client = connected_client(t, *redis, options);
  ASSERT_TRUE(client);
  ASSERT_TRUE(run(*client, {"SET", "before", "1"}).ok());

  redis->stop();
  // Idle: the drop is noticed without a command being sent.
  // connected() turns false just before on_state(false) runs on the I/O thread: wait for both.
  ASSERT_TRUE(eventually([&] { return !client->connected() && downs.load() == 1; }));
  auto during = run(*client, {"PING"});
  EXPECT_FALSE(during.ok());

  ASSERT_TRUE(redis->restart().is_ok());
  ASSERT_TRUE(eventually([&] { return client->connected() && ups.load() == 2; }));
  auto after = run(*client, {"PING"});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->str, "PONG");
}

TEST(Client, PendingCommandsFailWhenRedisStopsAnsweringAndTheClientReconnects) {
  auto redis = start_redis();
  ASSERT_TRUE(redis);
  IoThread t;
  ClientOptions options;
  options.command_timeout = 300ms;
  options.reconnect_max = 200ms;
  auto client = connected_client(t, *redis, options);
  ASSERT_TRUE(client);

  redis->pause();
  auto start = std::chrono::steady_clock::now();
  auto r = run(*client, {"PING"});
  EXPECT_FALSE(r.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_FALSE(client->connected());

  redis->resume();
  ASSERT_TRUE(eventually([&] { return client->connected(); }));
  EXPECT_TRUE(run(*client, {"PING"}).ok());
}

TEST(Client, CloseFailsPendingWorkAndStopsReconnecting) {
  auto redis = start_redis();
  ASSERT_TRUE(redis);
  IoThread t;
  std::atomic<int> ups{0};
  ClientOptions options;
  options.on_state = [&](bool up) { ups += up ? 1 : 0; };
  auto client = connected_client(t, *redis, options);
  ASSERT_TRUE(client);
  client->close();
  ASSERT_TRUE(eventually([&] { return !client->connected(); }));
  EXPECT_FALSE(run(*client, {"PING"}).ok());
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(client->connected());
  EXPECT_EQ(ups.load(), 1);
}

TEST(Client, DestroyedWhileCommandsAreInFlightDoesNotCrash) {
  auto redis = start_redis();
  ASSERT_TRUE(redis);
  IoThread t;
  std::atomic<int> completions{0};
  {
    auto client = Client::create(t.io, redis->url());
    ASSERT_TRUE(client.ok());
    ASSERT_TRUE(eventually([&] { return (*client)->connected(); }));
    for (int i = 0; i < 100; ++i) (*client)->command({"PING"}, [&](Result<Reply>) { ++completions; });
  }
  EXPECT_TRUE(eventually([&] { return completions.load() == 100; }));
}

}  // namespace
}  // namespace praktika::redis
