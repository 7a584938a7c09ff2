// The cluster, end to end on loopback: three instances of the real binary on one PostgreSQL
// database, one Redis and one data directory, behind HAProxy running deploy/haproxy/haproxy.cfg
// (as scripts/cluster.sh makes it for loopback). Live events published through one instance reach
// viewers on the others, presence agrees everywhere, the section timer warns once and still once
// after the alarm's holder is SIGKILLed (its viewers reconnect through HAProxy and resume from
// their sequence), an upload moves between instances, and the cluster rides out PostgreSQL and
// Redis going away. Run by the test command's `cluster` stage (scripts/test.sh), not by ctest:
// it starts its own PostgreSQL, so it needs scripts/deps.sh --test's postgresql-15 and haproxy.
#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "support/bytes.h"
#include "support/docx_builder.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/redis_server.h"
#include "support/scenario.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace praktika::test {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace docx = praktika::documents::testing;

const std::string kSection1 = "section:irkutsk-2020:1";
const std::string kModeratorEmail = "moderator@minsoc.ru";
const std::string kSectionDay = "2020-07-08T09:58:00+08:00";
// A ten-minute slot lasts 20 real seconds: its first warning (5 minutes left) comes 10 s in, after
// a dead holder's lease (3 s) has moved to another instance.
constexpr double kSpeed = 30;

// A shell command's output (stdout), and whether it exited 0.
bool shell(const std::string& command, std::string* out = nullptr) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return false;
  char buffer[4096];
  std::string text;
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) text.append(buffer, n);
  int status = ::pclose(pipe);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  if (out) *out = text;
  return status == 0;
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

// One PostgreSQL for the whole run (scripts/postgres.sh), with a migrated template database that
// every data directory's store is copied from (PRAKTIKA_TEST_STORE: support/test_store.h), so
// ServerProcess and admin commands put each data directory's tables in PostgreSQL.
class Postgres {
 public:
  // Starts it; again after stop() on the same port, so the instances' URL still holds.
  bool start() {
    if (port_ == 0) port_ = free_port();
    url_.clear();
    return shell(quote((source_dir() / "scripts/postgres.sh").string()) + " start " + quote(dir_.path().string()) +
                     " " + std::to_string(port_),
                 &url_) &&
           !url_.empty();
  }
  bool stop() { return shell(quote((source_dir() / "scripts/postgres.sh").string()) + " stop " + quote(dir_.path().string())); }
  const std::string& url() const { return url_; }

 private:
  TempDir dir_;
  int port_ = 0;
  std::string url_;
};

Postgres* g_postgres = nullptr;

class ClusterEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    auto* pg = new Postgres;
    ASSERT_TRUE(pg->start()) << "scripts/postgres.sh could not start PostgreSQL (apt-get install postgresql-15)";
    g_postgres = pg;
    ASSERT_TRUE(shell("psql --quiet " + quote(pg->url() + "/postgres") + " -c 'CREATE DATABASE praktika_template' >/dev/null"));
    auto migrated = run_binary({"admin", "migrate", "--store", pg->url() + "/praktika_template"});
    ASSERT_EQ(migrated.status.code, 0) << migrated.output;
    ::setenv("PRAKTIKA_TEST_STORE", (pg->url() + "/praktika_template").c_str(), 1);
  }
};

// HAProxy in front of `ports`, running the shipped configuration (scripts/cluster.sh
// haproxy-config makes its loopback copy).
class Haproxy {
 public:
  static Result<std::unique_ptr<Haproxy>> start(const std::vector<int>& ports) {
    auto h = std::unique_ptr<Haproxy>(new Haproxy);
    h->port_ = free_port();
    std::string command = quote((source_dir() / "scripts/cluster.sh").string()) + " haproxy-config " +
                          std::to_string(h->port_);
    for (int p : ports) command += " " + std::to_string(p);
    std::string config;
    if (!shell(command, &config)) return Status::internal("haproxy", "scripts/cluster.sh haproxy-config failed");
    std::ofstream(h->dir_.path() / "haproxy.cfg") << config << "\n";
    ProcessOptions options;
    options.argv = {"haproxy", "-db", "-f", (h->dir_.path() / "haproxy.cfg").string()};
    options.stdout_to = Output::file((h->dir_.path() / "haproxy.log").string());
    options.stderr_to = Output::to_stdout();
    auto process = Process::spawn(options);
    if (!process) return process.status();
    h->process_ = std::move(*process);
    for (int i = 0; i < 100; ++i) {
      if (HttpClient(h->port_).get("/api/health").status == 200) return h;
      std::this_thread::sleep_for(100ms);
    }
    return Status::internal("haproxy", "HAProxy did not answer (apt-get install haproxy)");
  }
  int port() const { return port_; }

 private:
  Haproxy() = default;
  TempDir dir_;
  int port_ = 0;
  std::unique_ptr<Process> process_;
};

json health(int port) { return HttpClient(port).get("/api/health").json(); }

std::unique_ptr<WsClient> connect_as(int port, HttpClient* http) {
  WsClient::Options options;
  if (http) options.cookie = http->cookie_header();
  return WsClient::connect(port, options);
}

json op(WsClient& ws, const std::string& name) {
  return ws.call({{"op", name}, {"event", kEventId}, {"section", 1}}, 10s);
}

HttpResult put(HttpClient& http, const std::string& target, const json& body) {
  return http.request("PUT", target, body.dump());
}

// The morning of 8 July in the data directory's PostgreSQL database: three practices of section 1
// admitted to present, a moderator, the running order of ten-minute slots published.
void prepare_section_day(const std::filesystem::path& data, std::vector<int>& presenters) {
  std::string output;
  ASSERT_TRUE(create_organiser(data, &output)) << output;
  {
    auto server = ServerProcess::start({.data_dir = data, .clock = kDuringIntake});
    ASSERT_TRUE(server) << server.status().message();
    People people((*server)->port());
    for (std::string who : {"anna", "boris", "vera"}) {
      int id = submit_practice(people, {.author_email = who + "@dom.ru", .section = 1, .name = "Практика " + who});
      ASSERT_GT(id, 0);
      presenters.push_back(id);
    }
  }
  auto server = ServerProcess::start({.data_dir = data, .clock = kDuringReview});
  ASSERT_TRUE(server) << server.status().message();
  People people((*server)->port());
  for (int id : presenters)
    ASSERT_EQ(put(people.organiser(), kEventApi + "/review/practices/" + std::to_string(id) + "/outcome",
                  {{"outcome", "present"}, {"reason", ""}})
                  .status,
              200);
  ASSERT_TRUE(people.grant(kModeratorEmail, "moderator", 1));
  json slots = json::array();
  for (int id : presenters) slots.push_back({{"practice", id}, {"minutes", 10}});
  ASSERT_EQ(put(people.organiser(), kEventApi + "/sections/1/schedule", {{"slots", slots}}).status, 200);
  ASSERT_EQ(people.organiser().post(kEventApi + "/sections/1/schedule/publish", json::object()).status, 200);
}

// A viewer of section 1 that keeps what a client keeps: the last sequence number it saw. Every
// event it reads must be the one after it: none lost, none twice, in one order for everyone.
struct Viewer {
  std::string name;
  std::unique_ptr<WsClient> ws;
  std::int64_t seq = -1;  // unknown until the subscribe reply or the first event
  std::vector<json> events;

  ::testing::AssertionResult subscribe() {
    json request = {{"op", "subscribe"}, {"topic", kSection1}};
    if (seq >= 0) request["since"] = seq;
    auto reply = ws->call(request, 10s);
    if (reply["ok"] != true) return ::testing::AssertionFailure() << name << ": subscribe refused: " << reply;
    if (seq < 0 && reply["data"].contains("seq")) seq = reply["data"]["seq"].get<std::int64_t>();
    return ::testing::AssertionSuccess();
  }

  // The next event of the section's story (presence skipped), checked against the last seq.
  std::optional<json> next(std::chrono::milliseconds timeout) {
    for (;;) {
      auto e = ws->next_event(kSection1, "", timeout);
      if (!e) return std::nullopt;
      if ((*e)["event"] == "presence") continue;
      std::int64_t s = (*e).value("seq", std::int64_t{-1});
      EXPECT_NE((*e)["event"], "resync") << name << ": " << *e;
      if (seq >= 0) {
        EXPECT_EQ(s, seq + 1) << name << " after seq " << seq << ": " << *e;
      }
      seq = s;
      events.push_back(*e);
      return e;
    }
  }
};

// Reads until `viewer` has seen the slot's two warnings and its time_up, each exactly once, with
// nothing else of the story in between but what `allowed` names.
void expect_warned_once(Viewer& viewer, int practice) {
  std::map<std::string, int> seen;
  const auto deadline = Clock::now() + 60s;
  while (seen["time_up"] == 0 && Clock::now() < deadline) {
    auto e = viewer.next(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
    ASSERT_TRUE(e) << viewer.name << ": no time_up (seen " << seen["warning5"] << " and " << seen["warning1"]
                   << " warnings)";
    const std::string event = (*e)["event"];
    if (event == "warning") {
      ++seen["warning" + std::to_string((*e)["data"]["minutes_left"].get<int>())];
      EXPECT_EQ((*e)["data"]["practice"], practice) << viewer.name;
    } else if (event == "time_up") {
      ++seen["time_up"];
      EXPECT_EQ((*e)["data"]["practice"], practice) << viewer.name;
    } else {
      ADD_FAILURE() << viewer.name << ": unexpected " << *e;
    }
  }
  EXPECT_EQ(seen["warning5"], 1) << viewer.name;
  EXPECT_EQ(seen["warning1"], 1) << viewer.name;
  EXPECT_EQ(seen["time_up"], 1) << viewer.name;
}

// The next `count` state pushes.
void expect_states(Viewer& viewer, int count) {
  for (int i = 0; i < count; ++i) {
    auto e = viewer.next(10s);
    ASSERT_TRUE(e) << viewer.name << ": state push " << i + 1 << " of " << count << " missing";
    EXPECT_EQ((*e)["event"], "state") << viewer.name << ": " << *e;
  }
}

// ----------------------------------------------------------------------------------------------

// Three instances, Redis and HAProxy on one section-day data directory.
class Cluster : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new TempDir;
    std::vector<int> presenters;
    prepare_section_day(data_->path(), presenters);
    presenters_ = new std::vector<int>(presenters);
    auto redis = RedisServer::start();
    ASSERT_TRUE(redis) << redis.status().message();
    redis_ = redis->release();
    std::vector<int> ports;
    for (auto& server : servers_) {
      auto started = ServerProcess::start(
          {.data_dir = data_->path(), .clock = kSectionDay, .clock_speed = kSpeed, .redis = redis_->url()});
      ASSERT_TRUE(started) << started.status().message();
      server = started->release();
      ports.push_back(server->port());
    }
    auto proxy = Haproxy::start(ports);
    ASSERT_TRUE(proxy) << proxy.status().message();
    proxy_ = proxy->release();
  }
  static void TearDownTestSuite() {
    delete proxy_;
    for (auto*& s : servers_) delete s;
    delete redis_;
    delete presenters_;
    delete data_;
  }

  // Waits until exactly one live instance holds the alarm; its index.
  static std::optional<int> alarm_owner() {
    for (int i = 0; i < 150; ++i) {
      int owners = 0, owner = -1;
      bool ready = true;
      for (int k = 0; k < 3; ++k) {
        if (!servers_[k] || killed_ == k) continue;
        auto h = health(servers_[k]->port());
        if (h["live"]["healthy"] != true) ready = false;
        if (h["jobs"]["alarm"] == "owner") ++owners, owner = k;
      }
      if (ready && owners == 1) return owner;
      std::this_thread::sleep_for(100ms);
    }
    return std::nullopt;
  }

  static inline TempDir* data_ = nullptr;
  static inline std::vector<int>* presenters_ = nullptr;
  static inline RedisServer* redis_ = nullptr;
  static inline ServerProcess* servers_[3] = {nullptr, nullptr, nullptr};
  static inline Haproxy* proxy_ = nullptr;
  static inline int killed_ = -1;
};

TEST_F(Cluster, HealthNamesTheSharedStoreRedisAndOneAlarmOwner) {
  ASSERT_TRUE(proxy_);
  auto owner = alarm_owner();
  ASSERT_TRUE(owner) << "no single instance took the alarm";
  std::set<std::string> instances;
  for (auto* server : servers_) {
    auto h = health(server->port());
    EXPECT_EQ(h["status"], "ok") << h;
    EXPECT_EQ(h["store"]["dialect"], "postgresql") << h;
    EXPECT_EQ(h["store"]["healthy"], true) << h;
    EXPECT_EQ(h["redis"]["healthy"], true) << h;
    EXPECT_EQ(h["jobs"]["certificates"], "claims") << h;
    EXPECT_EQ(h["jobs"]["login_throttle"], "redis") << h;
    instances.insert(h["instance"].get<std::string>());
  }
  EXPECT_EQ(instances.size(), 3u) << "each instance names itself apart";
}

// The whole section run: events through one instance on viewers of all three, presence agreed,
// warnings once; then the alarm's holder dies mid-slot and the story goes on, once, for everyone.
TEST_F(Cluster, ASectionRunsOnceForTheClusterAndSurvivesItsAlarmHolderBeingKilled) {
  ASSERT_TRUE(proxy_);
  auto holder = alarm_owner();
  ASSERT_TRUE(holder) << "no single instance took the alarm";
  // "A" runs the section (not the holder), "C" is the third; six viewers come through HAProxy
  // (round robin: two on each), and one on each instance directly.
  const int a = (*holder + 1) % 3, c = (*holder + 2) % 3;
  People people(servers_[a]->port());
  auto moderator = connect_as(servers_[a]->port(), &people.person(kModeratorEmail));
  ASSERT_TRUE(moderator);

  std::vector<Viewer> viewers;
  for (int i = 0; i < 6; ++i) viewers.push_back({"proxied " + std::to_string(i), connect_as(proxy_->port(), nullptr)});
  for (int k = 0; k < 3; ++k) viewers.push_back({"direct on " + std::to_string(k), connect_as(servers_[k]->port(), nullptr)});
  for (auto& v : viewers) {
    ASSERT_TRUE(v.ws) << v.name;
    ASSERT_TRUE(v.subscribe());
  }
  // Presence: the same count on every instance.
  for (int k = 6; k < 9; ++k)
    EXPECT_TRUE(viewers[k].ws->wait_presence(kSection1, 9, 15s)) << viewers[k].name << " never saw 9 viewers";

  // Published through A, seen on C (and everywhere): the run's two state changes.
  ASSERT_EQ(op(*moderator, "section.start")["ok"], true);
  ASSERT_EQ(op(*moderator, "section.next")["ok"], true);
  for (auto& v : viewers) ASSERT_NO_FATAL_FAILURE(expect_states(v, 2));
  EXPECT_GE(viewers[6 + c].events.size(), 2u);

  // The first slot's warnings, once on every instance.
  for (auto& v : viewers) ASSERT_NO_FATAL_FAILURE(expect_warned_once(v, (*presenters_)[0]));

  // The second slot starts; the alarm's holder is killed without a word.
  ASSERT_EQ(op(*moderator, "section.next")["ok"], true);
  for (auto& v : viewers) ASSERT_NO_FATAL_FAILURE(expect_states(v, 1));
  servers_[*holder]->kill();
  killed_ = *holder;

  // Its viewers lose their connection, reconnect through HAProxy (to a live instance) and
  // resubscribe with their last seq; the direct viewer of the dead instance does the same.
  int reconnected = 0;
  for (auto& v : viewers) {
    if (!v.ws->closed(v.name.starts_with("direct on " + std::to_string(*holder)) ? 5s : 500ms)) continue;
    ++reconnected;
    v.ws.reset();
    for (int i = 0; i < 100 && !v.ws; ++i) {
      v.ws = connect_as(proxy_->port(), nullptr);
      if (!v.ws) std::this_thread::sleep_for(100ms);
    }
    ASSERT_TRUE(v.ws) << v.name << " could not reconnect through HAProxy";
    ASSERT_TRUE(v.subscribe());
  }
  EXPECT_GE(reconnected, 3) << "two proxied viewers and one direct were on the killed instance";

  auto taker = alarm_owner();
  ASSERT_TRUE(taker) << "no instance took the alarm over";
  EXPECT_NE(*taker, *holder);
  for (auto& v : viewers) ASSERT_NO_FATAL_FAILURE(expect_warned_once(v, (*presenters_)[1]));

  // The story goes on through the survivors, contiguous for everyone.
  ASSERT_EQ(op(*moderator, "section.next")["ok"], true);
  for (auto& v : viewers) ASSERT_NO_FATAL_FAILURE(expect_states(v, 1));
}

// PostgreSQL stopped: requests that need the store get 503 storage_unavailable, the instances stay
// up, and once it is back service resumes by itself.
TEST_F(Cluster, PostgresqlAwayForTenSecondsGives503AndServiceComesBackByItself) {
  ASSERT_TRUE(proxy_);
  const std::string state = kEventApi + "/sections/1/state";
  HttpClient through(proxy_->port());
  ASSERT_EQ(through.get(state).status, 200);
  ASSERT_TRUE(g_postgres->stop());
  const auto stopped = Clock::now();
  auto refused = through.get(state);
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.error_code(), "storage_unavailable") << refused.body;
  // HAProxy keeps every instance (health answers 200, degraded).
  for (int k = 0; k < 3; ++k) {
    if (k == killed_) continue;
    auto h = health(servers_[k]->port());
    EXPECT_EQ(h["status"], "degraded") << h;
    EXPECT_EQ(h["store"]["healthy"], false) << h;
    EXPECT_EQ(h["store"]["error"], "storage_unavailable") << h;
  }
  std::this_thread::sleep_until(stopped + 10s);
  ASSERT_TRUE(g_postgres->start()) << "PostgreSQL did not start again";
  bool back = false;
  for (int i = 0; i < 100 && !back; ++i) {
    back = true;
    for (int k = 0; k < 3; ++k)
      if (k != killed_ && HttpClient(servers_[k]->port()).get(state).status != 200) back = false;
    if (!back) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(back) << "an instance still fails 10 s after PostgreSQL came back";
}

// Redis restarted (empty): the instances reconnect and fan-out resumes across them.
TEST_F(Cluster, RedisRestartedFanOutResumes) {
  ASSERT_TRUE(proxy_);
  std::vector<int> live;
  for (int k = 0; k < 3; ++k)
    if (k != killed_) live.push_back(k);
  ASSERT_EQ(live.size(), 2u);
  ASSERT_TRUE(redis_->restart().is_ok());
  for (int i = 0; i < 150; ++i) {
    bool healthy = true;
    for (int k : live) healthy = healthy && health(servers_[k]->port())["redis"]["healthy"] == true;
    if (healthy) break;
    std::this_thread::sleep_for(100ms);
  }
  People people(servers_[live[0]]->port());
  auto moderator = connect_as(servers_[live[0]]->port(), &people.person(kModeratorEmail));
  auto far = connect_as(servers_[live[1]]->port(), nullptr);
  ASSERT_TRUE(moderator && far);
  ASSERT_EQ(far->call({{"op", "subscribe"}, {"topic", kSection1}})["ok"], true);
  ASSERT_EQ(op(*moderator, "section.pause")["ok"], true);
  bool arrived = false;
  for (int i = 0; i < 10 && !arrived; ++i) {
    auto e = far->next_event(kSection1, "state", 2s);
    arrived = e && (*e)["data"]["status"] == "paused";
  }
  EXPECT_TRUE(arrived) << "a change through one instance never reached the other after Redis restarted";
}

// ----------------------------------------------------------------------------------------------

// Uploads during the intake, on a data directory (and database) of their own: two instances.
class ClusterUploads : public ::testing::Test {
 protected:
  void SetUp() override {
    for (auto& server : servers_) {
      auto started = ServerProcess::start({.data_dir = data_.path(), .clock = kDuringIntake});
      ASSERT_TRUE(started) << started.status().message();
      server = std::move(*started);
    }
    anna_ = std::make_unique<HttpClient>(servers_[0]->port());
    ASSERT_EQ(anna_->post("/api/auth/register", {{"email", "anna@dom.ru"}, {"password", kPassword}, {"full_name", "Анна"}})
                  .status,
              201);
  }
  std::string create(std::size_t length) {
    auto created = anna_->request("POST", kEventApi + "/uploads?purpose=payment", "",
                                  {{"Tus-Resumable", "1.0.0"},
                                   {"Upload-Length", std::to_string(length)},
                                   {"Upload-Metadata", "filename " + base64("scan.jpg")}});
    EXPECT_EQ(created.status, 201) << created.body;
    return created.headers["location"];
  }
  std::map<std::string, std::string> patch_headers(std::uint64_t offset) {
    return {{"Cookie", anna_->cookie_header()},
            {"Tus-Resumable", "1.0.0"},
            {"Content-Type", "application/offset+octet-stream"},
            {"Upload-Offset", std::to_string(offset)}};
  }
  std::string stored(const std::string& location) {
    auto info = anna_->get(location).json();
    EXPECT_EQ(info["state"], "complete") << info;
    return read_file(data_.path() / "files" / info.value("id", std::string("?")));
  }

  TempDir data_;
  std::unique_ptr<ServerProcess> servers_[2];
  std::unique_ptr<HttpClient> anna_;
};

TEST_F(ClusterUploads, AnUploadBegunThroughOneInstanceIsFinishedThroughAnotherByteForByte) {
  const std::string scan = docx::jpeg(300 << 10);
  const std::string location = create(scan.size());
  const std::size_t half = scan.size() / 2;
  HttpClient a(servers_[0]->port()), b(servers_[1]->port());
  auto first = a.request("PATCH", location, scan.substr(0, half), patch_headers(0));
  ASSERT_EQ(first.status, 204) << first.body;
  auto rest = b.request("PATCH", location, scan.substr(half), patch_headers(half));
  ASSERT_EQ(rest.status, 204) << rest.body;
  EXPECT_TRUE(stored(location) == scan) << "the file must be the bytes sent, once";
}

TEST_F(ClusterUploads, TwoPatchesThroughTwoInstancesAtOnceNeverBothSucceed) {
  const std::string scan = docx::jpeg(600 << 10);
  const std::string location = create(scan.size());
  const std::size_t first = 100 << 10;
  HeldRequest slow(servers_[0]->port(), "PATCH", location, scan.size(), patch_headers(0));
  ASSERT_TRUE(slow.send(scan.substr(0, first)));
  for (int i = 0; i < 1000; ++i) {
    auto head = anna_->request("HEAD", location, "", {{"Tus-Resumable", "1.0.0"}});
    if (head.headers["upload-offset"] == std::to_string(first)) break;
    std::this_thread::sleep_for(10ms);
  }
  HttpClient b(servers_[1]->port());
  auto second = b.request("PATCH", location, scan.substr(first), patch_headers(first));
  EXPECT_EQ(second.status, 409) << second.body;
  EXPECT_EQ(second.error_code(), "upload_busy") << second.body;
  ASSERT_TRUE(slow.send(scan.substr(first)));
  EXPECT_EQ(slow.answer().status, 204);
  EXPECT_TRUE(stored(location) == scan) << "the file must hold the body once";
}

}  // namespace
}  // namespace praktika::test

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new praktika::test::ClusterEnvironment);
  // PostgreSQL stops at exit, after the test stores' own exit handlers (registered later, so run
  // earlier) have dropped their databases.
  std::atexit([] {
    if (praktika::test::g_postgres) praktika::test::g_postgres->stop();
  });
  return RUN_ALL_TESTS();
}
