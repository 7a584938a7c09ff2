#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
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

// A listening socket on 127.0.0.1 as a service manager makes one (systemd's .socket unit): its
// descriptor and port. Closed by the owner.
struct Listener {
  int fd = -1;
  int port = 0;
  ~Listener() {
    if (fd >= 0) ::close(fd);
  }
};

std::unique_ptr<Listener> listening_socket(bool listen = true) {
  auto l = std::make_unique<Listener>();
  l->fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(l->fd, reinterpret_cast<sockaddr*>(&address), length) != 0) return nullptr;
  if (listen && ::listen(l->fd, 64) != 0) return nullptr;
  ::getsockname(l->fd, reinterpret_cast<sockaddr*>(&address), &length);
  l->port = ntohs(address.sin_port);
  return l;
}

// A plain TCP client: connects, sends `request` and reads until the server closes or `timeout`.
class RawClient {
 public:
  explicit RawClient(int port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }
  bool send(std::string_view bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }
  std::string read_all(std::chrono::milliseconds timeout) {
    std::string got;
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      pollfd p{fd_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return got;
      char buffer[4096];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return got;
      got.append(buffer, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
  bool connected_ = false;
};

// A restart under a service manager that holds the port (systemd socket activation): a phone
// that connects while the server is down waits in the socket's queue and is answered by the
// next process, instead of being refused and backing off.
TEST(Startup, TheServiceManagersSocketIsServedAndHoldsConnectionsAcrossARestart) {
  TempDir data;
  auto socket = listening_socket();
  ASSERT_TRUE(socket);
  auto first = ServerProcess::start({.data_dir = data.path(), .listener_fd = socket->fd});
  ASSERT_TRUE(first) << first.status().message();
  ASSERT_EQ((*first)->port(), socket->port);
  EXPECT_NE((*first)->startup_output().find("service manager"), std::string::npos) << (*first)->startup_output();
  EXPECT_EQ(HttpClient(socket->port).get("/api/health").status, 200);
  EXPECT_EQ((*first)->stop().code, 0);

  RawClient waiting(socket->port);
  ASSERT_TRUE(waiting.connected()) << "the port refused a connection while the server restarted";
  ASSERT_TRUE(waiting.send("GET /api/health HTTP/1.1\r\nHost: praktika\r\nConnection: close\r\n\r\n"));
  auto second = ServerProcess::start({.data_dir = data.path(), .listener_fd = socket->fd});
  ASSERT_TRUE(second) << second.status().message();
  const std::string answer = waiting.read_all(10s);
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200")) << answer;
}

// Accepted sockets take TCP_NODELAY from the listening one (the server sets it there once, not
// per connection): the handed-over socket, which this test shares with the server, has it.
TEST(Startup, TheListeningSocketSendsWithoutDelaySoEveryAcceptedOneDoes) {
  TempDir data;
  auto socket = listening_socket();
  ASSERT_TRUE(socket);
  int no_delay = 0;
  socklen_t length = sizeof no_delay;
  ASSERT_EQ(::getsockopt(socket->fd, IPPROTO_TCP, TCP_NODELAY, &no_delay, &length), 0);
  ASSERT_EQ(no_delay, 0);
  auto server = ServerProcess::start({.data_dir = data.path(), .listener_fd = socket->fd});
  ASSERT_TRUE(server) << server.status().message();
  ASSERT_EQ(::getsockopt(socket->fd, IPPROTO_TCP, TCP_NODELAY, &no_delay, &length), 0);
  EXPECT_EQ(no_delay, 1);
  EXPECT_EQ(HttpClient(socket->port).get("/api/health").status, 200);
}

// LISTEN_PID names the process the variables are for: one started by it (this server, started by
// a process that was itself socket-activated) binds its own port.
TEST(Startup, AHandOverMeantForAnotherProcessIsIgnored) {
  TempDir data;
  auto server = ServerProcess::start({.data_dir = data.path(), .env = {"LISTEN_PID=1", "LISTEN_FDS=1"}});
  ASSERT_TRUE(server) << server.status().message();
  EXPECT_EQ((*server)->startup_output().find("service manager"), std::string::npos);
  EXPECT_EQ(HttpClient((*server)->port()).get("/api/health").status, 200);
}

TEST(Startup, AHandOverThatIsNotAListeningSocketStopsStartUp) {
  TempDir data;
  auto not_listening = listening_socket(/*listen=*/false);
  ASSERT_TRUE(not_listening);
  auto refused = ServerProcess::start({.data_dir = data.path(), .listener_fd = not_listening->fd});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.status().message().find("bad_inherited_listener"), std::string::npos) << refused.status().message();

  const int file = ::open((data.path() / "not-a-socket").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  ASSERT_GE(file, 0);
  auto also_refused = ServerProcess::start({.data_dir = data.path(), .listener_fd = file});
  ::close(file);
  ASSERT_FALSE(also_refused);
  EXPECT_NE(also_refused.status().message().find("bad_inherited_listener"), std::string::npos)
      << also_refused.status().message();
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
