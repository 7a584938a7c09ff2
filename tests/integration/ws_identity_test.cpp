// A WebSocket holds the identity read at its upgrade only while that identity holds: a logout, a
// role withdrawn or granted, or a session ended through another instance closes the person's open
// sockets (code 4001), and what they reconnect to is what their cookie says now.
#include <gtest/gtest.h>

#include "support/scenario.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

using nlohmann::json;

constexpr int kSessionChanged = 4001;
const std::string kModeratorEmail = "moderator@minsoc.ru";
const std::string kModeration = "section-moderation:irkutsk-2020:1";

std::unique_ptr<WsClient> connect_as(int port, HttpClient& http) {
  WsClient::Options options;
  options.cookie = http.cookie_header();
  return WsClient::connect(port, options);
}

json subscribe(WsClient& ws, const std::string& topic) { return ws.call({{"op", "subscribe"}, {"topic", topic}}); }

std::string author_topic(HttpClient& http) {
  return "author:" + kEventId + ":" + std::to_string(http.get("/api/me").json()["user"]["id"].get<std::int64_t>());
}

struct Started {
  TempDir data;
  std::unique_ptr<ServerProcess> server;
};

void start(Started& s) {
  std::string output;
  ASSERT_TRUE(create_organiser(s.data.path(), &output)) << output;
  auto server = ServerProcess::start({.data_dir = s.data.path(), .clock = kDuringIntake});
  ASSERT_TRUE(server);
  s.server = std::move(*server);
}

TEST(WsIdentity, LogoutClosesTheSocketAndItsPrivateTopicIsRefusedAfterTheReconnect) {
  Started s;
  ASSERT_NO_FATAL_FAILURE(start(s));
  People people(s.server->port());
  HttpClient& anna = people.person("anna@dom.ru", "Анна");
  const std::string topic = author_topic(anna);
  auto socket = connect_as(people.port(), anna);
  ASSERT_EQ(subscribe(*socket, topic)["ok"], true);
  // A second tab of the same person: closed as well.
  auto other_tab = connect_as(people.port(), anna);
  ASSERT_EQ(other_tab->call({{"op", "ping"}})["ok"], true);

  const std::string old_cookie = anna.cookie_header();
  ASSERT_EQ(anna.post("/api/auth/logout", json::object()).status, 200);

  ASSERT_TRUE(socket->closed(5s));
  EXPECT_EQ(socket->close_code(), kSessionChanged);
  ASSERT_TRUE(other_tab->closed(5s));
  EXPECT_EQ(other_tab->close_code(), kSessionChanged);

  WsClient::Options options;
  options.cookie = old_cookie;
  auto again = WsClient::connect(people.port(), options);
  ASSERT_TRUE(again);
  EXPECT_EQ(subscribe(*again, topic)["error"]["code"], "not_authenticated");
}

// The front end names its topics in the upgrade's URL: a socket whose only subscribe came that way
// is the person's as much as one that subscribed by a message, and a logout closes it too.
TEST(WsIdentity, ASocketSubscribedInItsUrlIsClosedAtLogout) {
  Started s;
  ASSERT_NO_FATAL_FAILURE(start(s));
  People people(s.server->port());
  HttpClient& anna = people.person("anna@dom.ru", "Анна");
  WsClient::Options options;
  options.cookie = anna.cookie_header();
  options.target = "/ws?subscribe=1," + author_topic(anna);
  auto socket = WsClient::connect(people.port(), options);
  ASSERT_TRUE(socket);
  ASSERT_EQ(socket->reply(1)["ok"], true);

  ASSERT_EQ(anna.post("/api/auth/logout", json::object()).status, 200);

  ASSERT_TRUE(socket->closed(5s));
  EXPECT_EQ(socket->close_code(), kSessionChanged);
}

TEST(WsIdentity, AWithdrawnModeratorLosesTheModerationTopicAndItsOperationsAtOnce) {
  Started s;
  ASSERT_NO_FATAL_FAILURE(start(s));
  People people(s.server->port());
  ASSERT_TRUE(people.grant(kModeratorEmail, "moderator", 1));
  HttpClient& moderator = people.person(kModeratorEmail);
  auto console = connect_as(people.port(), moderator);
  ASSERT_EQ(subscribe(*console, kModeration)["ok"], true);
  // Someone who is not touched by the change keeps their socket.
  HttpClient& anna = people.person("anna@dom.ru", "Анна");
  auto bystander = connect_as(people.port(), anna);
  ASSERT_EQ(subscribe(*bystander, author_topic(anna))["ok"], true);

  auto withdrawn = people.organiser().request(
      "DELETE", kEventApi + "/roles", json{{"email", kModeratorEmail}, {"role", "moderator"}, {"section", 1}}.dump());
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;

  ASSERT_TRUE(console->closed(5s));
  EXPECT_EQ(console->close_code(), kSessionChanged);
  EXPECT_FALSE(bystander->closed(300ms));
  EXPECT_EQ(bystander->call({{"op", "ping"}})["ok"], true);

  auto reconnected = connect_as(people.port(), moderator);
  ASSERT_TRUE(reconnected);
  EXPECT_EQ(subscribe(*reconnected, kModeration)["error"]["code"], "not_moderator");
  auto start_op = reconnected->call({{"op", "section.start"}, {"event", kEventId}, {"section", 1}});
  EXPECT_EQ(start_op["error"]["code"], "not_moderator") << start_op;
}

TEST(WsIdentity, AGrantedRoleReachesAnOpenSocketThroughItsReconnect) {
  Started s;
  ASSERT_NO_FATAL_FAILURE(start(s));
  People people(s.server->port());
  HttpClient& boris = people.person(kModeratorEmail, "Борис");
  auto socket = connect_as(people.port(), boris);
  ASSERT_EQ(subscribe(*socket, kModeration)["error"]["code"], "not_moderator");

  ASSERT_TRUE(people.grant(kModeratorEmail, "moderator", 1));
  ASSERT_TRUE(socket->closed(5s));
  EXPECT_EQ(socket->close_code(), kSessionChanged);
  auto reconnected = connect_as(people.port(), boris);
  EXPECT_EQ(subscribe(*reconnected, kModeration)["ok"], true);
}

TEST(WsIdentity, ALogoutThroughAnotherInstanceEndsTheSocketAtItsNextOperation) {
  Started s;
  ASSERT_NO_FATAL_FAILURE(start(s));
  auto second = ServerProcess::start({.data_dir = s.data.path(), .clock = kDuringIntake});
  ASSERT_TRUE(second);
  People people(s.server->port());
  HttpClient& anna = people.person("anna@dom.ru", "Анна");
  const std::string topic = author_topic(anna);
  // The socket is on the second instance; the logout goes to the first, which cannot reach it.
  auto socket = connect_as((*second)->port(), anna);
  ASSERT_EQ(subscribe(*socket, topic)["ok"], true);
  ASSERT_EQ(anna.post("/api/auth/logout", json::object()).status, 200);

  auto refused = subscribe(*socket, "timeline:" + kEventId);
  EXPECT_EQ(refused["error"]["code"], "session_changed") << refused;
  ASSERT_TRUE(socket->closed(5s));
  EXPECT_EQ(socket->close_code(), kSessionChanged);
}

}  // namespace
}  // namespace praktika::test
