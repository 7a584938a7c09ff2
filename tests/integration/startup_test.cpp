#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <memory>
#include <vector>

#include "support/client.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

TEST(Startup, ServesHealthOnTheAnnouncedPort) {
  TempDir data;
  auto server = ServerProcess::start({.data_dir = data.path()});
  ASSERT_TRUE(server) << server.status().message();
  HttpClient http((*server)->port());
  auto health = http.get("/api/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json()["status"], "ok");
}

TEST(Startup, AnAgendaWithABadInstantStopsStartUpNamingFileAndPath) {
  TempDir data;
  auto bad = (source_dir() / "tests/fixtures/agenda/bad-closes.json").string();
  auto run = run_binary({"serve", "--port", "0", "--data", data.path().string(), "--agenda", bad});
  EXPECT_EQ(run.status.code, 2) << run.output;
  EXPECT_NE(run.output.find("bad-closes.json"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("/stages/"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("closes"), std::string::npos) << run.output;
}

TEST(Startup, AMissingAgendaFileStopsStartUp) {
  TempDir data;
  auto run = run_binary({"serve", "--port", "0", "--data", data.path().string(), "--agenda", "/nonexistent.json"});
  EXPECT_EQ(run.status.code, 2) << run.output;
  EXPECT_NE(run.output.find("/nonexistent.json"), std::string::npos) << run.output;
}

TEST(Startup, ABadConfigValueNamesItsJsonPath) {
  TempDir data;
  auto config = data.path() / "config.json";
  std::ofstream(config) << R"({"listen": {"port": "eighty"}})";
  auto run = run_binary({"serve", "--config", config.string(), "--data", data.path().string()});
  EXPECT_EQ(run.status.code, 2) << run.output;
  EXPECT_NE(run.output.find("config.json: /listen/port"), std::string::npos) << run.output;
}

TEST(Startup, AnUnknownFlagOrBadClockIsRefused) {
  EXPECT_EQ(run_binary({"serve", "--frobnicate"}).status.code, 2);
  auto run = run_binary({"serve", "--clock", "2020-07-06 10:00"});
  EXPECT_EQ(run.status.code, 2);
  EXPECT_NE(run.output.find("--clock"), std::string::npos) << run.output;
  EXPECT_EQ(run_binary({"serve", "--clock-speed", "-3"}).status.code, 2);
}

TEST(Startup, SigtermClosesWebSocketsWithACloseFrameAndExitsZero) {
  TempDir data;
  auto server = ServerProcess::start({.data_dir = data.path()});
  ASSERT_TRUE(server);
  auto ws = WsClient::connect((*server)->port());
  ASSERT_TRUE(ws);
  ASSERT_EQ(ws->call({{"op", "ping"}})["ok"], true);
  auto status = (*server)->stop();
  EXPECT_TRUE(status.exited_normally());
  EXPECT_EQ(status.code, 0);
  EXPECT_TRUE(ws->closed(5s));
  EXPECT_EQ(ws->close_code(), 1001);  // going away
}

// A restart must not wait for clients to answer their close frames: a crowd of phones after a
// deploy answers slowly or not at all, and while the old process lingers the new one cannot
// listen. These clients never read, so none answers; each still finds its 1001 once it reads.
TEST(Startup, ShutdownDoesNotWaitForClientsToAnswerTheirCloseFrames) {
  TempDir data;
  auto server = ServerProcess::start({.data_dir = data.path()});
  ASSERT_TRUE(server);
  std::vector<std::unique_ptr<WsClient>> silent;
  for (int i = 0; i < 20; ++i) {
    silent.push_back(WsClient::connect((*server)->port(), {.read = false}));
    ASSERT_TRUE(silent.back());
  }
  auto probe = WsClient::connect((*server)->port());
  ASSERT_TRUE(probe);
  ASSERT_EQ(probe->call({{"op", "ping"}})["ok"], true);
  const auto started = std::chrono::steady_clock::now();
  auto status = (*server)->stop();
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(status.code, 0);
  // Before, the stop waited for the answers until its 5-s grace cut them off.
  EXPECT_LT(took, 2s);
  for (auto& ws : silent) {
    ws->start_reading();
    EXPECT_TRUE(ws->closed(5s));
    EXPECT_EQ(ws->close_code(), 1001);
  }
}

TEST(Startup, AdminCreatesTheFirstOrganiserWhoCanThenLogIn) {
  TempDir data;
  auto run = run_binary({"admin", "create-user", "--data", data.path().string(), "--email", "Org@Example.ru",
                         "--role", "organiser", "--event", "irkutsk-2020", "--name", "Организатор"},
                        "correct horse battery\n");
  ASSERT_EQ(run.status.code, 0) << run.output;
  auto server = ServerProcess::start({.data_dir = data.path()});
  ASSERT_TRUE(server);
  HttpClient http((*server)->port());
  auto login = http.post("/api/auth/login", {{"email", "org@example.ru"}, {"password", "correct horse battery"}});
  ASSERT_EQ(login.status, 200) << login.body;
  auto me = http.get("/api/me").json();
  ASSERT_EQ(me["roles"].size(), 1u);
  EXPECT_EQ(me["roles"][0]["role"], "organiser");
  EXPECT_EQ(me["roles"][0]["event"], "irkutsk-2020");
}

TEST(Startup, AdminRefusesAWeakPassword) {
  TempDir data;
  auto run = run_binary({"admin", "create-user", "--data", data.path().string(), "--email", "a@b.ru", "--role",
                         "organiser", "--event", "irkutsk-2020"},
                        "short\n");
  EXPECT_EQ(run.status.code, 2) << run.output;
  EXPECT_NE(run.output.find("weak_password"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace praktika::test
