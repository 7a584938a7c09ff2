#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "support/client.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

const std::string kTopic = "timeline:irkutsk-2020";

TEST(WebSocket, RepliesCarryTheRequestId) {
  TempDir data;
  auto server = ServerProcess::start({.data_dir = data.path(), .clock = "2020-07-06T12:00:00+08:00"});
  ASSERT_TRUE(server);
  auto ws = WsClient::connect((*server)->port());
  ASSERT_TRUE(ws);
  auto pong = ws->call({{"op", "ping"}});
  EXPECT_EQ(pong["ok"], true);
  EXPECT_EQ(pong["data"]["now"].get<std::string>().substr(0, 13), "2020-07-06T04");
  auto sub = ws->call({{"op", "subscribe"}, {"topic", kTopic}});
  EXPECT_EQ(sub["ok"], true);
  EXPECT_EQ(sub["data"]["timeline"]["open"], nlohmann::json::array({"gallery"}));
  EXPECT_EQ(ws->call({{"op", "unsubscribe"}, {"topic", kTopic}})["ok"], true);
}

TEST(WebSocket, BadMessagesGetErrorsAndTheConnectionStays) {
  TempDir data;
  auto server = ServerProcess::start({.data_dir = data.path()});
  ASSERT_TRUE(server);
  auto ws = WsClient::connect((*server)->port());
  ASSERT_TRUE(ws);
  EXPECT_EQ(ws->call({{"op", "dance"}})["error"]["code"], "unknown_op");
  EXPECT_EQ(ws->call({{"op", "subscribe"}})["error"]["code"], "invalid_topic");
  EXPECT_EQ(ws->call({{"op", "subscribe"}, {"topic", "secrets:x"}})["error"]["code"], "unknown_topic");
  EXPECT_EQ(ws->call({{"op", "subscribe"}, {"topic", "timeline:nope"}})["error"]["code"], "event_not_found");
  ws->send_raw("not json at all");
  ws->send_raw(std::string(5000, '['));
  EXPECT_EQ(ws->call({{"op", "ping"}})["ok"], true);
}

// The front end names its topics in the upgrade's URL: their replies come with the 101, a round
// trip sooner than a subscribe sent after it, and the subscriptions are the same as an op's.
TEST(WebSocket, SubscribesInTheUpgradesUrlAreAnsweredWithoutAMessage) {
  TempDir data;
  auto server = ServerProcess::start({.data_dir = data.path(), .clock = "2020-07-06T12:00:00+08:00"});
  ASSERT_TRUE(server);
  auto ws = WsClient::connect((*server)->port(),
                              {.target = "/ws?subscribe=1,timeline:irkutsk-2020&subscribe=2,secrets:x&subscribe=x,y"});
  ASSERT_TRUE(ws);
  auto first = ws->reply(1);
  EXPECT_EQ(first["ok"], true) << first.dump();
  EXPECT_EQ(first["data"]["timeline"]["open"], nlohmann::json::array({"gallery"}));
  EXPECT_EQ(first["data"]["presence"], 1);
  EXPECT_EQ(ws->reply(2)["error"]["code"], "unknown_topic");
  EXPECT_EQ(ws->reply(nullptr)["error"]["code"], "invalid_subscribe");
  EXPECT_EQ(ws->call({{"op", "ping"}})["ok"], true);
  // Subscribed as by an op: a second viewer's arrival is pushed to it, and it can leave.
  auto other = WsClient::connect((*server)->port(), {.target = "/ws?subscribe=1,timeline:irkutsk-2020"});
  ASSERT_TRUE(other);
  EXPECT_EQ(other->reply(1)["data"]["presence"], 2);
  EXPECT_TRUE(ws->wait_presence(kTopic, 2));
  EXPECT_EQ(ws->call({{"op", "unsubscribe"}, {"topic", kTopic}})["ok"], true);
  EXPECT_TRUE(other->wait_presence(kTopic, 1));
}

TEST(WebSocket, AResubscribeInTheUrlResumesFromTheNumberGiven) {
  TempDir data;
  auto server = ServerProcess::start({.data_dir = data.path(), .clock = "2020-07-06T12:00:00+08:00"});
  ASSERT_TRUE(server);
  auto ws = WsClient::connect((*server)->port());
  ASSERT_TRUE(ws);
  auto sub = ws->call({{"op", "subscribe"}, {"topic", kTopic}});
  ASSERT_TRUE(sub["data"].contains("seq")) << sub.dump();
  auto seq = sub["data"]["seq"].get<std::uint64_t>();
  auto back = WsClient::connect((*server)->port(),
                                {.target = "/ws?subscribe=4,timeline%3Airkutsk-2020," + std::to_string(seq)});
  ASSERT_TRUE(back);
  auto resumed = back->reply(4);
  EXPECT_EQ(resumed["data"]["resumed"], true) << resumed.dump();
  EXPECT_FALSE(resumed["data"].contains("timeline"));
}

TEST(WebSocket, AMessageOverTheLimitClosesTheConnection) {
  TempDir data;
  auto server = ServerProcess::start({.data_dir = data.path()});
  ASSERT_TRUE(server);
  auto ws = WsClient::connect((*server)->port());
  ASSERT_TRUE(ws);
  ws->send_raw("{\"op\":\"ping\",\"pad\":\"" + std::string(200 * 1024, 'x') + "\"}");
  EXPECT_TRUE(ws->closed(5s));
  EXPECT_EQ(ws->close_code(), 1009);  // message too big
}

TEST(WebSocket, AnUpgradeFromAnotherSiteIsRefused) {
  TempDir data;
  auto server = ServerProcess::start({.data_dir = data.path()});
  ASSERT_TRUE(server);
  int status = 0;
  auto ws = WsClient::connect((*server)->port(), {.origin = "https://evil.example"}, &status);
  EXPECT_FALSE(ws);
  EXPECT_EQ(status, 403);
  auto ok = WsClient::connect((*server)->port(), {.origin = "http://127.0.0.1:" + std::to_string((*server)->port())});
  EXPECT_TRUE(ok);
}

TEST(WebSocket, ASlowConsumerIsCutOffWhileOthersKeepReceiving) {
  TempDir data;
  auto config = data.path() / "small-queues.json";
  std::ofstream(config) << R"({"limits": {"ws_queue_messages": 32, "ws_queue_bytes": 65536}})";
  auto server = ServerProcess::start({.data_dir = data.path() / "db", .extra_args = {"--config", config.string()}});
  ASSERT_TRUE(server) << server.status().message();
  int port = (*server)->port();
  auto healthy = WsClient::connect(port);
  auto slow = WsClient::connect(port, {.read = false, .receive_buffer_bytes = 4096});
  ASSERT_TRUE(healthy && slow);
  ASSERT_EQ(healthy->call({{"op", "subscribe"}, {"topic", kTopic}})["ok"], true);
  // The slow client asks for far more replies than its socket and queue can hold, never reading:
  // each subscribe reply carries the whole timeline (about 1 KB), 6000 of them 6 MB.
  for (int i = 0; i < 6000; ++i) slow->send({{"op", "subscribe"}, {"topic", kTopic}, {"id", i}});
  int answered = 0;
  for (int i = 0; i < 50; ++i)
    if (healthy->call({{"op", "ping"}})["ok"] == true) ++answered;
  EXPECT_EQ(answered, 50);
  // The server cuts the slow client off once its queue overflows. Under a sanitizer the server may
  // still be parsing the 6000 requests here: wait for the cut before the client starts reading.
  HttpClient http(port);
  for (int i = 0; i < 200 && http.get("/api/health").json()["websockets"] != 1; ++i)
    std::this_thread::sleep_for(100ms);
  slow->start_reading();
  EXPECT_TRUE(slow->closed(10s));
  EXPECT_LT(slow->received(), 6000u);
  EXPECT_EQ(http.get("/api/health").json()["websockets"], 1);
  EXPECT_EQ(healthy->call({{"op", "ping"}})["ok"], true);
}

// Publishes until the hub hands the event to `subscribers` connections (a subscribe sent by a
// client that does not read cannot be waited for through its reply).
bool wait_subscribers(WsClient& publisher, const std::string& topic, int subscribers) {
  for (int i = 0; i < 200; ++i) {
    auto reply = publisher.call({{"op", "publish"}, {"topic", topic}, {"event", "probe"}});
    if (reply["data"]["delivered"] == subscribers) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

TEST(WebSocket, ABenchPublishThroughTheFanoutIsNumberedAsAModulesEvent) {
  // The cluster benchmark publishes with "fanout": the event takes the path of a module's event
  // (numbered; with --redis through Redis to every instance), where the plain publish is this
  // instance's hub alone and unnumbered.
  TempDir data;
  auto server = ServerProcess::start({.data_dir = data.path() / "db", .extra_args = {"--bench"}});
  ASSERT_TRUE(server) << server.status().message();
  int port = (*server)->port();
  auto subscriber = WsClient::connect(port);
  auto publisher = WsClient::connect(port);
  ASSERT_TRUE(subscriber && publisher);
  ASSERT_EQ(subscriber->call({{"op", "subscribe"}, {"topic", "bench:numbered"}})["ok"], true);
  for (int i = 1; i <= 2; ++i) {
    auto reply = publisher->call({{"op", "publish"}, {"topic", "bench:numbered"}, {"event", "tick"},
                                  {"fanout", true}, {"data", {{"n", i}}}});
    ASSERT_EQ(reply["data"], nlohmann::json({{"published", true}})) << reply.dump();
    auto e = subscriber->next_event("bench:numbered", "tick");
    ASSERT_TRUE(e) << "event " << i << " missing";
    EXPECT_EQ((*e)["data"]["n"], i);
    EXPECT_EQ((*e)["seq"], i);
  }
  auto plain = publisher->call({{"op", "publish"}, {"topic", "bench:numbered"}, {"event", "tick"}});
  EXPECT_EQ(plain["data"]["delivered"], 1);
  auto e = subscriber->next_event("bench:numbered", "tick");
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->contains("seq"));
}

// Events pile up in the server's queue for a reader that is not reading, and must then arrive
// whole, each once, in order. `pause` between publishes: none, and they come as a burst that
// leaves in gathered writes of many frames each; a few milliseconds, and each is a quiet publish
// that the server writes at once until the reader's socket is full, the rest queued behind the
// part of a frame the socket took. `events` × `padding`: far more than the reader's socket takes,
// under the queue's bounds.
void slow_reader_gets_every_broadcast_in_order(std::chrono::milliseconds pause, int events, std::size_t padding) {
  TempDir data;
  auto server = ServerProcess::start({.data_dir = data.path() / "db", .extra_args = {"--bench"}});
  ASSERT_TRUE(server) << server.status().message();
  int port = (*server)->port();
  auto slow = WsClient::connect(port, {.read = false, .receive_buffer_bytes = 4096});
  auto publisher = WsClient::connect(port);
  ASSERT_TRUE(slow && publisher);
  slow->send({{"op", "subscribe"}, {"topic", "bench:slow"}, {"id", 1}});
  ASSERT_TRUE(wait_subscribers(*publisher, "bench:slow", 1));
  const std::string pad(padding, 'x');
  for (int i = 0; i < events; ++i) {
    std::this_thread::sleep_for(pause);
    auto reply = publisher->call(
        {{"op", "publish"}, {"topic", "bench:slow"}, {"event", "tick"}, {"data", {{"n", i}, {"pad", pad}}}});
    ASSERT_EQ(reply["data"]["delivered"], 1) << i;
  }
  slow->start_reading();
  for (int i = 0; i < events; ++i) {
    auto e = slow->next_event("bench:slow", "tick");
    ASSERT_TRUE(e) << "event " << i << " missing";
    ASSERT_EQ((*e)["data"]["n"], i);
  }
  EXPECT_FALSE(slow->closed());
}

TEST(WebSocket, ASlowReaderGetsEveryBroadcastOfABurstInOrder) {
  slow_reader_gets_every_broadcast_in_order(0ms, 600, 1000);
}

// Frames of 50 KB, so the socket takes part of one when it fills.
TEST(WebSocket, ASlowReaderGetsEveryQuietBroadcastInOrder) {
  slow_reader_gets_every_broadcast_in_order(3ms, 60, 50'000);
}

TEST(WebSocket, AStuckSubscriberIsCutOffAndBroadcastsGoOnForTheOthers) {
  TempDir data;
  auto config = data.path() / "small-queues.json";
  // Small enough that the stuck one is cut off within the sends below, large enough that the
  // healthy one, whose reader may lag a moment on a busy machine, is not.
  std::ofstream(config) << R"({"limits": {"ws_queue_messages": 512, "ws_queue_bytes": 1048576}})";
  auto server = ServerProcess::start(
      {.data_dir = data.path() / "db", .extra_args = {"--bench", "--config", config.string()}});
  ASSERT_TRUE(server) << server.status().message();
  int port = (*server)->port();
  auto stuck = WsClient::connect(port, {.read = false, .receive_buffer_bytes = 4096});
  auto healthy = WsClient::connect(port);
  auto publisher = WsClient::connect(port);
  ASSERT_TRUE(stuck && healthy && publisher);
  stuck->send({{"op", "subscribe"}, {"topic", "bench:stuck"}, {"id", 1}});
  ASSERT_EQ(healthy->call({{"op", "subscribe"}, {"topic", "bench:stuck"}})["ok"], true);
  ASSERT_TRUE(wait_subscribers(*publisher, "bench:stuck", 2));
  std::string padding(1000, 'x');
  int delivered = 2, sent = 0;
  for (; sent < 8000 && delivered == 2; ++sent)
    delivered = publisher->call({{"op", "publish"}, {"topic", "bench:stuck"}, {"event", "tick"},
                                 {"data", {{"n", sent}, {"pad", padding}}}})["data"]["delivered"];
  EXPECT_EQ(delivered, 1) << "the stuck subscriber was never cut off";
  stuck->start_reading();
  EXPECT_TRUE(stuck->closed(10s));
  for (int i = 0; i < sent; ++i) {
    auto e = healthy->next_event("bench:stuck", "tick");
    ASSERT_TRUE(e) << i;
    ASSERT_EQ((*e)["data"]["n"], i);
  }
}

TEST(WebSocket, BenchTopicsExistOnlyWithTheBenchFlag) {
  TempDir data;
  auto plain = ServerProcess::start({.data_dir = data.path() / "a"});
  ASSERT_TRUE(plain);
  auto ws = WsClient::connect((*plain)->port());
  EXPECT_EQ(ws->call({{"op", "subscribe"}, {"topic", "bench:x"}})["error"]["code"], "unknown_topic");
  EXPECT_EQ(ws->call({{"op", "publish"}, {"topic", "bench:x"}})["error"]["code"], "unknown_op");

  auto bench = ServerProcess::start({.data_dir = data.path() / "b", .extra_args = {"--bench"}});
  ASSERT_TRUE(bench);
  auto sub = WsClient::connect((*bench)->port());
  auto pub = WsClient::connect((*bench)->port());
  ASSERT_EQ(sub->call({{"op", "subscribe"}, {"topic", "bench:x"}})["ok"], true);
  auto reply = pub->call({{"op", "publish"}, {"topic", "bench:x"}, {"event", "tick"}, {"data", {{"n", 1}}}});
  EXPECT_EQ(reply["data"]["delivered"], 1);
  auto e = sub->next_event("bench:x", "tick");
  ASSERT_TRUE(e);
  EXPECT_EQ((*e)["data"]["n"], 1);
  EXPECT_EQ(pub->call({{"op", "publish"}, {"topic", "timeline:irkutsk-2020"}})["error"]["code"], "forbidden");
}

}  // namespace
}  // namespace praktika::test
