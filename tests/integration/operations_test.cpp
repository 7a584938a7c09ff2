// What an operator reads of a running server: the access log on stderr (one line per request,
// with its route pattern, status and request id, and no secret), the Prometheus text at /metrics
// (strictly well-formed, its counters moving as requests, deliveries and letters happen, refused
// to an address the configuration does not allow), and the organiser's live view.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <thread>
#include <map>
#include <regex>
#include <set>

#include "support/scenario.h"
#include "support/server_process.h"
#include "support/smtp_server.h"

namespace praktika::test {
namespace {

using nlohmann::json;

// A strict reader of the text exposition format 0.0.4: every line a comment (HELP or TYPE), a
// sample or blank; names and labels by the grammar; TYPE once per metric and before its samples;
// no series twice; histograms' buckets cumulative, ascending in `le`, ending at +Inf equal to
// _count. Series are returned as "name{a=\"x\",b=\"y\"}" (labels as written) with their values;
// a problem fails the calling test.
struct Exposition {
  std::map<std::string, double> series;
  std::map<std::string, std::string> types;  // metric → counter, gauge, histogram
  std::vector<std::string> problems;

  double value(const std::string& name) const {
    auto it = series.find(name);
    return it == series.end() ? std::nan("") : it->second;
  }
};

// A sample's labels without `le`, as "{a=\"x\"}" or "" for none.
std::string without_le(const std::string& labels) {
  std::string rest = std::regex_replace(labels, std::regex(R"re((,?)le="[^"]*"(,?))re"), "$1$2");
  rest = std::regex_replace(rest, std::regex(R"re(,,)re"), ",");
  rest = std::regex_replace(rest, std::regex(R"re(\{,)re"), "{");
  rest = std::regex_replace(rest, std::regex(R"re(,\})re"), "}");
  return rest == "{}" ? "" : rest;
}

Exposition parse_exposition(const std::string& text) {
  Exposition out;
  static const std::regex kComment(R"re(^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$)re");
  static const std::regex kSample(
      R"re(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*)?\})? (\S+)( -?[0-9]+)?$)re");
  static const std::regex kValue(R"re(^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]Inf|NaN)$)re");
  static const std::regex kLe(R"re(le="([^"]*)")re");
  std::set<std::string> helped, sampled;
  // Histogram state per series without `le`.
  std::map<std::string, std::pair<double, double>> last_bucket;  // key → (le, count)
  std::map<std::string, double> inf_bucket;
  auto base_of = [&](const std::string& name) {
    for (std::string suffix : {"_bucket", "_sum", "_count"})
      if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        std::string base = name.substr(0, name.size() - suffix.size());
        if (out.types.count(base) && out.types[base] == "histogram") return base;
      }
    return name;
  };
  std::size_t start = 0;
  int line_number = 0;
  if (text.empty() || text.back() != '\n') out.problems.push_back("the text does not end with a newline");
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    const std::string where = "line " + std::to_string(line_number) + ": " + line;
    if (line.empty()) continue;
    std::smatch m;
    if (line[0] == '#') {
      if (!std::regex_match(line, m, kComment)) continue;  // other comments are allowed
      const std::string name = m[2];
      if (m[1] == "TYPE") {
        const std::string type = m[3];
        if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary" && type != "untyped")
          out.problems.push_back(where + ": unknown type");
        if (out.types.count(name)) out.problems.push_back(where + ": TYPE twice");
        if (sampled.count(name)) out.problems.push_back(where + ": TYPE after samples");
        if (type == "counter" && name.size() >= 6 && name.substr(name.size() - 6) != "_total")
          out.problems.push_back(where + ": a counter not named …_total");
        out.types[name] = type;
      } else if (!helped.insert(name).second) {
        out.problems.push_back(where + ": HELP twice");
      }
      continue;
    }
    if (!std::regex_match(line, m, kSample)) {
      out.problems.push_back(where + ": not a sample");
      continue;
    }
    const std::string name = m[1];
    const std::string labels = m[2];
    const std::string value_text = m[3];
    if (!std::regex_match(value_text, kValue)) {
      out.problems.push_back(where + ": bad value");
      continue;
    }
    double value = value_text == "+Inf" ? INFINITY : value_text == "-Inf" ? -INFINITY : std::strtod(value_text.c_str(), nullptr);
    const std::string series = name + labels;
    if (out.series.count(series)) out.problems.push_back(where + ": series twice");
    out.series[series] = value;
    const std::string base = base_of(name);
    sampled.insert(base);
    if (!out.types.count(base)) out.problems.push_back(where + ": no TYPE before the sample");
    if (base != name && name.size() > 7 && name.substr(name.size() - 7) == "_bucket") {
      std::smatch le;
      if (!std::regex_search(labels, le, kLe)) {
        out.problems.push_back(where + ": a bucket without le");
        continue;
      }
      const std::string key = base + without_le(labels);
      double bound = le[1] == "+Inf" ? INFINITY : std::strtod(std::string(le[1]).c_str(), nullptr);
      if (auto prev = last_bucket.find(key); prev != last_bucket.end()) {
        if (bound <= prev->second.first) out.problems.push_back(where + ": le not ascending");
        if (value < prev->second.second) out.problems.push_back(where + ": buckets not cumulative");
      }
      last_bucket[key] = {bound, value};
      if (std::isinf(bound)) inf_bucket[key] = value;
    }
    if (base != name && name.size() > 6 && name.substr(name.size() - 6) == "_count") {
      auto inf = inf_bucket.find(base + without_le(labels));
      if (inf == inf_bucket.end()) out.problems.push_back(where + ": _count without a +Inf bucket");
      else if (inf->second != value) out.problems.push_back(where + ": _count differs from the +Inf bucket");
    }
  }
  return out;
}

std::string problems_of(const Exposition& e) {
  std::string all;
  for (const auto& p : e.problems) all += p + "\n";
  return all;
}

Exposition scrape(int port) {
  HttpClient http(port);
  auto r = http.get("/metrics");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  auto e = parse_exposition(r.body);
  EXPECT_TRUE(e.problems.empty()) << problems_of(e) << "\n--- exposition ---\n" << r.body;
  return e;
}

// The server's output lines (stdout and stderr share the pipe) until every id in `wanted` has an
// access line, or the time is up.
std::map<std::string, std::vector<json>> read_access_lines(Process& process, const std::set<std::string>& wanted,
                                                           std::vector<std::string>& all_lines) {
  std::map<std::string, std::vector<json>> by_id;
  auto found_all = [&] {
    for (const auto& id : wanted)
      if (!by_id.count(id)) return false;
    return true;
  };
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!found_all() && std::chrono::steady_clock::now() < deadline) {
    auto line = process.read_line(1s);
    if (!line) continue;
    all_lines.push_back(*line);
    if (line->empty() || (*line)[0] != '{') continue;
    auto record = json::parse(*line, nullptr, false);
    if (record.is_discarded()) {
      ADD_FAILURE() << "not JSON: " << *line;
      continue;
    }
    if (record.value("event", "") == "http.request") by_id[record.value("request_id", "")].push_back(record);
  }
  return by_id;
}

TEST(Operations, TheAccessLogHasOneLinePerRequestWithItsRouteAndStatusAndNoSecret) {
  TempDir data;
  auto started = ServerProcess::start(
      {.data_dir = data.path(), .extra_args = {"--log-format", "json", "--log-level", "info"}});
  ASSERT_TRUE(started) << started.status().message();
  auto& server = **started;

  const std::string password = "очень секретный пароль";
  HttpClient anna(server.port());
  struct Expected {
    int status;
    std::string route;
    bool signed_in;
  };
  std::map<std::string, Expected> expected;
  auto remember = [&](const HttpResult& r, int status, const std::string& route, bool signed_in = false) {
    ASSERT_EQ(r.status, status) << r.body;
    auto id = r.headers.find("x-request-id");
    ASSERT_NE(id, r.headers.end()) << "no X-Request-Id";
    ASSERT_FALSE(id->second.empty());
    ASSERT_FALSE(expected.count(id->second)) << "a request id used twice";
    expected[id->second] = {status, route, signed_in};
  };
  remember(anna.get("/api/health"), 200, "/api/health");
  remember(anna.get("/api/events/irkutsk-2020"), 200, "/api/events/{id}");
  remember(anna.get("/api/events/no-such-event/timeline"), 404, "/api/events/{id}/timeline");
  remember(anna.post("/api/auth/register",
                     {{"email", "anna.secret@dom.ru"}, {"password", password}, {"full_name", "Анна Петрова"}}),
           201, "/api/auth/register");
  const std::string cookie = anna.cookie_header();
  ASSERT_FALSE(cookie.empty());
  remember(anna.get("/api/me"), 200, "/api/me", true);
  remember(anna.get("/api/no/such/route/42"), 404, "unmatched");
  remember(anna.get("/events/irkutsk-2020/cabinet"), 200, "page");

  std::set<std::string> ids;
  for (const auto& [id, e] : expected) ids.insert(id);
  std::vector<std::string> lines;
  auto by_id = read_access_lines(server.process(), ids, lines);
  const std::int64_t anna_id = anna.get("/api/me").json()["user"]["id"].get<std::int64_t>();
  for (const auto& [id, e] : expected) {
    ASSERT_EQ(by_id[id].size(), 1u) << "request " << id << " (" << e.route << ")";
    const json& line = by_id[id].front();
    EXPECT_EQ(line["status"], e.status) << line.dump();
    EXPECT_EQ(line["route"], e.route) << line.dump();
    EXPECT_TRUE(line.contains("duration")) << line.dump();
    EXPECT_TRUE(line.contains("bytes")) << line.dump();
    EXPECT_EQ(line["level"], "info");
    if (e.signed_in) {
      EXPECT_EQ(line["user"], anna_id) << line.dump();
    }
  }
  const std::string token = cookie.substr(cookie.find('=') + 1);
  for (const auto& line : lines) {
    EXPECT_EQ(line.find(password), std::string::npos) << line;
    EXPECT_EQ(line.find(token), std::string::npos) << line;
    EXPECT_EQ(line.find("anna.secret"), std::string::npos) << line;
    EXPECT_EQ(line.find("no-such-event"), std::string::npos) << "a raw path: " << line;
  }
}

TEST(Operations, MetricsAreWellFormedAndTheirCountersMoveWithRequestsDeliveriesAndLetters) {
  TempDir data, mail;
  std::string output;
  ASSERT_TRUE(create_organiser(data.path(), &output)) << output;
  auto smtp = SmtpServer::start(mail.path());
  ASSERT_TRUE(smtp) << smtp.status().message();
  auto started = ServerProcess::start(
      {.data_dir = data.path(), .clock = kDuringIntake, .extra_args = {"--smtp", (*smtp)->url()}});
  ASSERT_TRUE(started) << started.status().message();
  const int port = (*started)->port();

  const auto before = scrape(port);
  const std::string health = R"(praktika_http_requests_total{method="GET",route="/api/health",status="200"})";
  EXPECT_TRUE(std::isnan(before.value(health)));
  for (const char* name : {"praktika_websocket_connections", "praktika_hub_deliveries_total", "praktika_mail_sent_total",
                           "praktika_outbox_oldest_pending_age_seconds", "praktika_process_resident_memory_bytes",
                           "praktika_process_open_fds", "praktika_process_threads", "praktika_store_busy_retries_total",
                           "praktika_websocket_slow_consumers_total", "praktika_upload_received_bytes_total"})
    EXPECT_FALSE(std::isnan(before.value(name))) << name;
  EXPECT_EQ(before.types.at("praktika_http_request_duration_seconds"), "histogram");
  EXPECT_GT(before.value("praktika_process_resident_memory_bytes"), 0);

  HttpClient http(port);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(http.get("/api/health").status, 200);

  // Two viewers of a section: each join pushes the topic's presence to the subscribers.
  auto first = WsClient::connect(port);
  auto second = WsClient::connect(port);
  ASSERT_TRUE(first && second);
  const std::string topic = "section:irkutsk-2020:1";
  ASSERT_EQ(first->call({{"op", "subscribe"}, {"topic", topic}})["ok"], true);
  ASSERT_EQ(second->call({{"op", "subscribe"}, {"topic", topic}})["ok"], true);
  ASSERT_TRUE(first->wait_presence(topic, 2));

  // An invitation to someone without an account is a letter, sent through the SMTP server.
  People people(port);
  auto invited = people.organiser().post(kEventApi + "/roles", {{"email", "new.expert@umc.ru"}, {"role", "expert"}});
  ASSERT_EQ(invited.status, 202) << invited.body;
  ASSERT_EQ((*smtp)->wait_for(1).size(), 1u);

  Exposition after;
  for (int attempt = 0; attempt < 50; ++attempt) {  // the sender marks the letter sent just after the SMTP reply
    after = scrape(port);
    if (after.value("praktika_mail_sent_total") >= 1) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(after.value(health), 3);
  EXPECT_GE(after.value(R"(praktika_http_request_duration_seconds_count{route="/api/health"})"), 3);
  EXPECT_EQ(after.value("praktika_websocket_connections"), 2);
  EXPECT_EQ(after.value(R"(praktika_websocket_subscriptions{family="section"})"), 2);
  EXPECT_GE(after.value("praktika_hub_deliveries_total"), before.value("praktika_hub_deliveries_total") + 2);
  EXPECT_GT(after.value("praktika_websocket_frames_sent_total"), before.value("praktika_websocket_frames_sent_total"));
  EXPECT_GT(after.value("praktika_websocket_frames_per_write_count"), 0);
  EXPECT_EQ(after.value("praktika_mail_sent_total"), 1);
  EXPECT_EQ(after.value(R"(praktika_outbox_messages{state="sent"})"), 1);
  EXPECT_EQ(after.value(R"(praktika_outbox_messages{state="pending"})"), 0);
  EXPECT_GT(after.value(R"(praktika_store_transaction_seconds_count{kind="write"})"),
            before.value(R"(praktika_store_transaction_seconds_count{kind="write"})"));
}

TEST(Operations, MetricsAreRefusedToAnAddressTheConfigurationDoesNotAllow) {
  TempDir data;
  // The test's requests come from 127.0.0.1; only 127.0.0.2 may read.
  auto started = ServerProcess::start({.data_dir = data.path(), .extra_args = {"--metrics-allow", "127.0.0.2"}});
  ASSERT_TRUE(started) << started.status().message();
  HttpClient http((*started)->port());
  auto refused = http.get("/metrics");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.error_code(), "metrics_forbidden");
  EXPECT_EQ(refused.body.find("praktika_"), std::string::npos);
}

TEST(Operations, TheLiveViewIsTheOrganisersAndCountsTheViewersOfASection) {
  TempDir data;
  std::string output;
  ASSERT_TRUE(create_organiser(data.path(), &output)) << output;
  auto started = ServerProcess::start({.data_dir = data.path(), .clock = kDuringIntake});
  ASSERT_TRUE(started) << started.status().message();
  const int port = (*started)->port();
  People people(port);
  const std::string topic = "operations:irkutsk-2020";

  auto anonymous = WsClient::connect(port);
  EXPECT_EQ(anonymous->call({{"op", "subscribe"}, {"topic", topic}})["error"]["code"], "not_authenticated");
  WsClient::Options as_anna;
  as_anna.cookie = people.person("anna@dom.ru", "Анна").cookie_header();
  auto anna = WsClient::connect(port, as_anna);
  EXPECT_EQ(anna->call({{"op", "subscribe"}, {"topic", topic}})["error"]["code"], "forbidden");
  EXPECT_EQ(people.person("anna@dom.ru").get("/api/events/irkutsk-2020/operations").status, 403);

  WsClient::Options as_organiser;
  as_organiser.cookie = people.organiser().cookie_header();
  auto desk = WsClient::connect(port, as_organiser);
  auto reply = desk->call({{"op", "subscribe"}, {"topic", topic}});
  ASSERT_EQ(reply["ok"], true) << reply.dump();
  const json& view = reply["data"]["operations"];
  ASSERT_TRUE(view["sections"].is_array());
  EXPECT_EQ(view["sections"][0]["number"], 1);
  EXPECT_EQ(view["sections"][0]["viewers"], 0);
  EXPECT_TRUE(view["mail"].contains("pending"));

  auto viewer = WsClient::connect(port);
  ASSERT_EQ(viewer->call({{"op", "subscribe"}, {"topic", "section:irkutsk-2020:1"}})["ok"], true);
  bool seen = false;
  for (int i = 0; i < 5 && !seen; ++i) {
    auto pushed = desk->next_event(topic, "operations", 5s);
    ASSERT_TRUE(pushed) << "no push of the live view";
    seen = (*pushed)["data"]["operations"]["sections"][0]["viewers"] == 1;
  }
  EXPECT_TRUE(seen);
  auto by_route = people.organiser().get("/api/events/irkutsk-2020/operations");
  ASSERT_EQ(by_route.status, 200) << by_route.body;
  EXPECT_EQ(by_route.json()["operations"]["sections"][0]["viewers"], 1);
}

TEST(Operations, ASlowConsumerCutOffIsLoggedCountedAndShownToTheOrganiserWithWhatToDo) {
  TempDir data;
  std::string output;
  ASSERT_TRUE(create_organiser(data.path(), &output)) << output;
  auto config = data.path() / "small-queues.json";
  std::ofstream(config) << R"({"limits": {"ws_queue_messages": 32, "ws_queue_bytes": 65536}})";
  auto started = ServerProcess::start({.data_dir = data.path(),
                                       .clock = kDuringIntake,
                                       .extra_args = {"--config", config.string(), "--log-format", "json",
                                                      "--log-level", "info"}});
  ASSERT_TRUE(started) << started.status().message();
  auto& server = **started;
  const int port = server.port();

  auto polite = WsClient::connect(port);
  ASSERT_EQ(polite->call({{"op", "ping"}})["ok"], true);
  polite->close();
  auto slow = WsClient::connect(port, {.read = false, .receive_buffer_bytes = 4096});
  ASSERT_TRUE(slow);
  for (int i = 0; i < 6000; ++i) slow->send({{"op", "subscribe"}, {"topic", "timeline:irkutsk-2020"}, {"id", i}});
  HttpClient http(port);
  for (int i = 0; i < 200 && http.get("/api/health").json()["websockets"] != 0; ++i) std::this_thread::sleep_for(100ms);
  slow->start_reading();
  ASSERT_TRUE(slow->closed(10s));

  std::vector<json> opens, closes;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (closes.size() < 2 && std::chrono::steady_clock::now() < deadline) {
    auto line = server.process().read_line(1s);
    if (!line || line->empty() || (*line)[0] != '{') continue;
    auto record = json::parse(*line, nullptr, false);
    if (record.value("event", "") == "ws.open") opens.push_back(record);
    if (record.value("event", "") == "ws.close") closes.push_back(record);
  }
  ASSERT_EQ(opens.size(), 2u);
  ASSERT_EQ(closes.size(), 2u);
  // The polite connection opened first; its close may be logged after the slow one's cut, which
  // takes the server a few milliseconds: the closes are matched to the opens by connection.
  auto close_of = [&](const json& open) {
    for (const auto& close : closes)
      if (close["connection"] == open["connection"]) return close;
    return json();
  };
  const json polite_close = close_of(opens[0]);
  const json slow_close = close_of(opens[1]);
  EXPECT_EQ(polite_close["why"], "client_closed") << polite_close.dump();
  EXPECT_EQ(polite_close["code"], 1000) << polite_close.dump();
  EXPECT_EQ(slow_close["why"], "slow_consumer") << slow_close.dump();

  auto metrics = scrape(port);
  EXPECT_EQ(metrics.value("praktika_websocket_slow_consumers_total"), 1);
  EXPECT_EQ(metrics.value(R"(praktika_websocket_closes_total{reason="slow_consumer"})"), 1);
  EXPECT_EQ(metrics.value(R"(praktika_websocket_closes_total{reason="client_closed"})"), 1);

  People people(port);
  // The connection cut off holds no subscription any more (it had subscribed to the timeline).
  EXPECT_TRUE(std::isnan(metrics.value(R"(praktika_websocket_subscriptions{family="timeline"})")));

  auto view = people.organiser().get("/api/events/irkutsk-2020/operations");
  ASSERT_EQ(view.status, 200) << view.body;
  const json operations = view.json()["operations"];
  EXPECT_EQ(operations["pages"][0]["page"], "timeline");
  EXPECT_EQ(operations["pages"][0]["viewers"], 0);
  bool shown = false;
  for (const auto& problem : operations["problems"])
    if (problem["code"] == "slow_consumer") {
      shown = true;
      EXPECT_NE(problem["title"].get<std::string>().find("не успевал"), std::string::npos) << problem.dump();
      EXPECT_FALSE(problem["action"].get<std::string>().empty());
    }
  EXPECT_TRUE(shown) << view.body;
}

}  // namespace
}  // namespace praktika::test
