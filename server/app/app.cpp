#include "app/app.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <nlohmann/json.hpp>

#include "accounts/accounts_api.h"
#include "accounts/redis_throttle.h"
#include "api/http.h"
#include "api/ws_request.h"
#include "app/stages.h"
#include "certificates/certificates_module.h"
#include "common/errors.h"
#include "flashmob/flashmob_module.h"
#include "log/log.h"

namespace praktika::app {
namespace {

using nlohmann::json;

// With --redis the alarm's lease lives this long unrenewed: a dead holder's wake-ups move to
// another instance within about this much. The owner asks its sources again every second.
constexpr std::chrono::milliseconds kAlarmLease{3000};
constexpr std::chrono::milliseconds kAlarmRefresh{1000};

std::string instance_id() {
  return std::to_string(::getpid()) + "-" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000007);
}

// The last sequence number a resubscribing client saw on the topic ("since"), if it sent one.
std::optional<std::uint64_t> resubscribed_since(const json& message) {
  auto since = message.find("since");
  if (since == message.end() || !since->is_number_unsigned()) return std::nullopt;
  return since->get<std::uint64_t>();
}

// WebSocket close code (the application's range, RFC 6455 7.4.2) for a socket whose session ended
// or whose roles changed: the client reconnects at once and is whoever its cookie now says.
constexpr std::uint16_t kSessionChangedClose = 4001;

Status session_changed() {
  return Status::unauthorized("session_changed",
                              "Вы вышли из учётной записи или ваши права изменились. Соединение восстанавливается.");
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// The ok reply to a fresh subscribe whose state is text already: byte for byte what dumping
// {"re":…,"ok":true,"data":{<key>:…,"presence":…,"seq":…}} gives, members in nlohmann's order.
std::string subscribe_reply_text(const json& re, const live::TopicFamily::StateText& state, std::int64_t presence,
                                 std::optional<std::uint64_t> seq) {
  std::vector<std::pair<std::string_view, std::string>> data = {{state.key, state.value},
                                                                {"presence", std::to_string(presence)}};
  if (seq) data.emplace_back("seq", std::to_string(*seq));
  std::sort(data.begin(), data.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out = "{\"data\":{";
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (i) out += ',';
    out += dump(data[i].first);
    out += ':';
    out += data[i].second;
  }
  out += "},\"ok\":true,\"re\":";
  out += dump(re);
  out += '}';
  return out;
}

}  // namespace

// The application's state of one WebSocket. Only touched on that connection's strand.
// Most connections are anonymous viewers: who signed in is held only when someone did, and the
// few topics of a connection in a vector, both to keep what an idle viewer costs small.
struct App::Subscriber : net::WsContext {
  struct SignedIn {
    accounts::Identity identity;
    std::string session_token;  // the cookie the identity came from
  };
  std::unique_ptr<const SignedIn> signed_in;  // null: anonymous
  const accounts::Identity* identity() const { return signed_in ? &signed_in->identity : nullptr; }
  bool tracked = false;  // in sockets_by_user_ (from the first op on)
  std::vector<std::string> topics;  // at most config.ws_topics_per_connection
  bool holds(std::string_view topic) const { return std::find(topics.begin(), topics.end(), topic) != topics.end(); }
  std::string member;  // presence member id: the connection
  std::vector<api::WsRequest> opening_subscribes;  // from the upgrade's query, answered at the open
};

App::App(const Config& config, std::vector<timeline::Agenda> agendas, timeline::Clock clock,
         std::unique_ptr<store::Db> db, boost::asio::io_context& io, boost::asio::thread_pool& workers)
    : config_(config),
      clock_(clock),
      events_(std::move(agendas)),
      db_(std::move(db)),
      io_(io),
      workers_(workers),
      web_root_(config.web_root),
      accounts_(*db_, [&] {
        accounts::AccountsService::Options o;
        o.session_lifetime = std::chrono::hours(config.session_lifetime_hours);
        o.on_identity_changed = [this](std::int64_t user_id) { end_sockets_of(user_id); };
        // With several instances, failed logins count for all of them.
        if (config.redis_url)
          if (auto shared = accounts::make_redis_throttle(io, *config.redis_url, o.throttle)) o.shared_throttle = *shared;
        return o;
      }()),
      outbox_(*db_, mail::RetryPolicy{}),
      sender_(outbox_, clock_,
              config.smtp_url ? mail::make_smtp_transport({*config.smtp_url, config.smtp_from, config.smtp_from_name})
                              : nullptr,
              {config.smtp_url.value_or(""), config.smtp_from, config.smtp_from_name}) {
  for (const auto& event : events_.all()) {
    std::string body = timeline::public_json(*event.agenda).dump(-1, ' ', false, json::error_handler_t::replace);
    std::string etag = "\"" + std::to_string(std::hash<std::string>{}(body)) + "\"";
    public_events_.emplace(event.agenda->id, PublicEvent{std::make_shared<const std::string>(std::move(body)), std::move(etag)});
  }
  build_live(io);
  build_stages();
  build_server(io, workers);
  add_routes();
  add_topics();
  build_operations(io, workers);
}

App::~App() = default;

void App::build_live(boost::asio::io_context& io) {
  presence::Options presence_options = config_.presence;
  presence_options.instance_id = instance_id();
  alarm_ = std::make_unique<live::Alarm>(io, clock_);
  auto sink = [this](const std::string& topic, std::int64_t count) {
    publisher_->notify(topic, "presence", {{"count", count}});
  };
  if (!config_.redis_url) {
    presence_ = presence::make_memory_presence(io, presence_options, sink);
    publisher_ = live::make_memory_fanout(hub_, config_.live_replay_events);
    return;
  }
  // load_config checked the URL with the same parser, so this cannot fail here.
  auto redis = presence::make_redis_presence(io, *config_.redis_url, presence_options, sink);
  assert(redis.ok());
  presence_ = std::move(*redis);
  auto fanout = live::make_redis_fanout(io, *config_.redis_url, hub_, config_.live_replay_events);
  assert(fanout.ok());
  publisher_ = std::move(*fanout);
  auto lease = live::Lease::create(io, *config_.redis_url, presence_options.instance_id, kAlarmLease);
  assert(lease.ok());
  lease_ = std::move(*lease);
  alarm_->set_owner([this] { return lease_->held(); }, kAlarmRefresh);
}

void App::build_stages() {
  services_ = std::make_unique<stage::Services>(stage::Services{
      .db = *db_,
      .clock = clock_,
      .events = events_,
      .data_dir = config_.data_dir,
      .limits = {config_.upload_quota_bytes, config_.upload_free_space_margin_bytes},
      .accounts = accounts_,
      .publisher = *publisher_,
      .presence = *presence_,
      .alarm = *alarm_,
      .outbox = outbox_,
      .letters_queued = [this] { sender_.wake(); },
      .identity_changed = [this](std::int64_t user_id) { end_sockets_of(user_id); },
      .workers = workers_,
      .allow_framing = [this](std::string path, std::string ancestors) { allow_framing(std::move(path), std::move(ancestors)); },
      .modules = &stages_,
  });
  // Each is built with only the stages before it in stages_, so it can ask for no later one.
  for (auto& stage : stages()) {
    stage->build(*services_);
    stages_.push_back(std::move(stage));
  }
}

void App::build_server(boost::asio::io_context& io, boost::asio::thread_pool& workers) {
  net::ServerOptions server_options;
  server_options.address = config_.address;
  server_options.port = config_.port;
  server_options.listener_fd = config_.listener_fd;
  server_options.body_limit = config_.body_bytes;
  server_options.header_timeout_s = config_.header_timeout_s;
  server_options.max_connections_per_address = config_.connections_per_address;
  server_options.body_dir = config_.data_dir / "tmp";
  server_options.on_disk_full = [this] { db_->disk_full(); };
  server_options.ws_message_limit = config_.ws_message_bytes;
  server_options.ws_queue_messages = config_.ws_queue_messages;
  server_options.ws_queue_bytes = config_.ws_queue_bytes;
  server_options.ws_idle_timeout_s = config_.ws_idle_timeout_s;
  server_options.trusted_proxies = config_.trusted_proxies;
  server_ = std::make_unique<net::Server>(io, workers, server_options, *this, *this);
}

void App::build_operations(boost::asio::io_context& io, boost::asio::thread_pool& workers) {
  Operations::Sources sources{
      events_.ids(),
      [this](std::string_view id) -> const timeline::Agenda* {
        auto event = find_event(id);
        return event ? event->agenda : nullptr;
      },
      &clock_, &hub_, publisher_.get(), presence_.get(), server_.get(), &outbox_, &sender_,
      // The operations view counts conversions and certificate jobs.
      &stage<flashmob::FlashmobModule>().service(), &stage<certificates::CertificateModule>().service()};
  // load_config checked the list.
  auto allowed = metrics::AddressList::parse(config_.metrics_allow);
  operations_ = std::make_unique<Operations>(std::move(sources), std::get<metrics::AddressList>(allowed), io, workers);
  operations_->add_routes(router_, accounts_);
  operations_->add_live(*this);
}

Status App::start() {
  // Bodies of requests cut off by a crash are worthless: start with an empty folder.
  std::error_code ec;
  std::filesystem::remove_all(config_.data_dir / "tmp", ec);
  std::filesystem::create_directories(config_.data_dir / "tmp", ec);
  if (ec) return Status::internal("data_dir", "Не удалось создать каталог " + (config_.data_dir / "tmp").string());
  presence_->start();
  if (lease_) lease_->start();
  alarm_->start();
  sender_.start();
  // Every stage is ready before the first request.
  for (const auto& stage : stages_)
    if (auto s = stage->start(); !s) return s;
  if (auto s = server_->start(); !s) return s;
  operations_->start();
  return Status::ok();
}

void App::stop() {
  server_->stop();
  operations_->stop();
  alarm_->stop();
  if (lease_) lease_->stop();
  for (auto stage = stages_.rbegin(); stage != stages_.rend(); ++stage) (*stage)->stop();
  presence_->stop();
  publisher_->stop();
  sender_.stop();
}

json App::health() const {
  bool presence_ok = presence_->healthy();
  // The store answers a trivial read: on PostgreSQL this is the network and the server's state.
  const Status store_status = db_->read([](store::Tx& tx) -> Status { return tx.prepare("SELECT 1").run(); });
  json store = {{"dialect", db_->dialect() == store::Dialect::postgresql ? "postgresql" : "sqlite"},
                {"healthy", store_status.is_ok()}};
  if (!store_status) store["error"] = store_status.code();
  json mail = {{"configured", sender_.configured()}};
  if (store_status)
    if (auto counts = outbox_.counts())
      mail.update({{"pending", counts->pending}, {"sent", counts->sent}, {"failed", counts->failed}});
  const auto c = server_->connection_stats();
  json connections = {{"open", c.open},
                       {"per_address_limit", c.per_address_limit},
                       {"descriptor_limit", c.descriptor_limit},
                       {"refused", {{"descriptors", c.refused_descriptors}, {"per_address", c.refused_per_address}}},
                       {"refusing", c.refusing}};
  const bool redis = lease_ != nullptr;
  const bool redis_ok = !redis || (presence_ok && publisher_->healthy());
  // This instance's part in each job the cluster runs once. The alarm (stage pushes, the
  // flashmob feed's boundaries, the section timers' warnings) fires on the lease's owner only;
  // mail and certificates run on every instance, each row claimed by one ("claims").
  json jobs = {{"alarm", !lease_ ? "alone" : lease_->held() ? "owner" : "standby"},
               {"mail", sender_.configured() ? "claims" : "off"},
               {"certificates", "claims"},
               {"login_throttle", redis ? "redis" : "local"}};
  // Turning everyone away for want of descriptors is the server's trouble; one client over its
  // share is not. An unreachable store or Redis degrades the instance (it keeps answering: a
  // load balancer's health check reads the status code, 200, and an operator reads the rest).
  bool ok = presence_ok && !c.out_of_descriptors && store_status.is_ok() && redis_ok;
  return {{"status", ok ? "ok" : "degraded"},
          {"instance", store::claim_holder()},
          {"store", store},
          {"redis", {{"configured", redis}, {"healthy", redis_ok}}},
          {"jobs", jobs},
          {"presence", {{"backend", presence_->backend()}, {"healthy", presence_ok}}},
          {"live",
           {{"backend", publisher_->backend()},
            {"healthy", publisher_->healthy()},
            {"alarm", jobs["alarm"]}}},
          {"connections", connections},
          {"mail", mail},
          {"events", events_.size()},
          {"websockets", server_->websocket_count()},
          {"now", format_instant(clock_.now())},
          // A set clock (--clock) is a demo's or a test's: the site says so, lest 2020 pass for today.
          {"clock", {{"set", clock_.is_simulated()}, {"speed", clock_.speed()}}}};
}

void App::add_topic(std::string family, live::TopicFamily topic) {
  assert(!topics_.count(family) && "a topic family is registered once");
  topics_.emplace(std::move(family), std::move(topic));
}

void App::add_op(std::string name, live::Op op) {
  assert(!ops_.count(name) && name != "ping" && name != "subscribe" && name != "unsubscribe" && name != "publish");
  ops_.emplace(std::move(name), std::move(op));
}

void App::add_topics() {
  if (config_.bench_topics)
    add_topic("bench", {[](const live::Caller&, const std::vector<std::string>&) -> Result<json> {
                          return json::object();
                        },
                        {}});
  for (const auto& id : events_.ids())
    timeline_texts_.emplace(id, std::make_unique<TimelineText>(*events_.find(id)->timeline));
  live::TopicFamily timeline;
  timeline.subscribe = [this](const live::Caller&, const std::vector<std::string>& parts) -> Result<json> {
    if (parts.size() != 1) return errors::invalid_topic();
    auto event = find_event(parts[0]);
    if (!event) return errors::event_not_found();
    return json{{"timeline", event->timeline->to_json(clock_.now())}};
  };
  // The same, as text made once per change: every page subscribes to it, a crowd at once.
  timeline.state_text = [this](const live::Caller&,
                               const std::vector<std::string>& parts) -> Result<live::TopicFamily::StateText> {
    if (parts.size() != 1) return errors::invalid_topic();
    auto text = timeline_texts_.find(parts[0]);
    if (text == timeline_texts_.end()) return errors::event_not_found();
    return live::TopicFamily::StateText{"timeline", text->second->at(clock_.now())};
  };
  add_topic("timeline", std::move(timeline));
  for (const auto& stage : stages_) stage->add_live(*this);
}

// Benchmark-only topics (--bench): anyone may subscribe and publish. Off in production.
Result<App::BenchPublished> App::publish_bench(const json& message) {
  auto topic = message.find("topic");
  if (topic == message.end() || !topic->is_string() || topic->get_ref<const std::string&>().rfind("bench:", 0) != 0)
    return Status::forbidden("forbidden", "Публиковать можно только в темы нагрузочных испытаний.");
  auto event = message.find("event");
  std::string name = event != message.end() && event->is_string() ? event->get<std::string>() : "bench";
  auto data = message.find("data");
  const json& payload = data == message.end() ? json() : *data;
  // "fanout": the path a module's event takes (numbered, and with --redis sent to every
  // instance): what the cluster benchmark measures. Without it, this instance's hub alone.
  if (auto fanout = message.find("fanout"); fanout != message.end() && fanout->is_boolean() && fanout->get<bool>()) {
    publisher_->publish(topic->get<std::string>(), name, payload);
    return BenchPublished{.fanout = true};
  }
  return BenchPublished{.delivered = hub_.publish(topic->get<std::string>(), name, payload)};
}

std::variant<std::unique_ptr<net::WsContext>, net::Response> App::accept(const net::Request& upgrade) {
  if (!api::origin_allowed(upgrade, config_.allowed_origins))
    return api::error_response(Status::forbidden("bad_origin", "Подключение со страницы другого сайта отклонено."));
  auto context = std::make_unique<Subscriber>();
  if (auto token = upgrade.cookie(accounts::kSessionCookie)) {
    auto who = accounts_.authenticate(*token);
    if (who) {
      context->log_user_id = who->user.id;
      context->signed_in = std::make_unique<const Subscriber::SignedIn>(
          Subscriber::SignedIn{.identity = std::move(*who), .session_token = std::string(*token)});
    }
  }
  context->opening_subscribes = api::subscribes_in_query(upgrade.query);
  return context;
}

// The identity was read a moment ago, at the upgrade: these replies go out with the 101.
void App::on_open(net::WsConnection& connection, net::WsContext& context) {
  auto& who = static_cast<Subscriber&>(context);
  auto requests = std::move(who.opening_subscribes);
  if (requests.empty()) return;
  adopt(connection, who);
  for (const auto& request : requests) answer(connection, who, request);
}

void App::on_message(net::WsConnection& connection, net::WsContext& context, std::string_view text) {
  auto& who = static_cast<Subscriber&>(context);
  adopt(connection, who);
  auto request = api::parse_ws_request(text);
  if (request.problem.is_ok() && request.op != "ping" && !identity_still_holds(who)) {
    // The reply says why before the close frame does, for a client that reads replies only.
    connection.send_text(api::ws_error(session_changed(), request.re).dump(-1, ' ', false, json::error_handler_t::replace));
    connection.close(kSessionChangedClose, "session_changed");
    return;
  }
  answer(connection, who, request);
}

// From the connection's first op on: its presence member id, and its place among its person's
// sockets (closed when the session ends).
void App::adopt(net::WsConnection& connection, Subscriber& who) {
  if (who.member.empty()) who.member = std::to_string(connection.id());
  if (who.signed_in && !who.tracked) {
    sockets_by_user_.add(who.signed_in->identity.user.id, connection.shared());
    who.tracked = true;
  }
}

void App::answer(net::WsConnection& connection, Subscriber& who, const api::WsRequest& request) {
  WsReply reply =
      request.problem.is_ok() ? do_op(connection, who, request) : WsReply(api::ws_error(request.problem, request.re));
  if (auto* text = std::get_if<std::string>(&reply)) return connection.send_text(std::move(*text));
  connection.send_text(dump(std::get<json>(reply)));
}

bool App::identity_still_holds(Subscriber& who) {
  if (!who.signed_in) return true;
  auto now = accounts_.recheck(who.signed_in->session_token);
  // A store that cannot answer says nothing about the session; the operation will meet the same
  // store and fail on its own.
  if (!now) return now.status().code() != "not_authenticated";
  return now->roles == who.signed_in->identity.roles;
}

void App::end_sockets_of(std::int64_t user_id) {
  for (auto& socket : sockets_by_user_.take(user_id)) socket->close(kSessionChangedClose, "session_changed");
}

App::WsReply App::do_op(net::WsConnection& connection, Subscriber& who, const api::WsRequest& request) {
  const json& re = request.re;
  auto fail = [&](const Status& s) { return api::ws_error(s, re); };
  auto ok = [&](json data) { return json{{"re", re}, {"ok", true}, {"data", std::move(data)}}; };
  const std::string& op = request.op;
  if (op == "ping") return ok({{"now", format_instant(clock_.now())}});
  if (op == "subscribe" || op == "unsubscribe") return subscribe(connection, who, request);
  if (op == "publish" && config_.bench_topics) {
    auto published = publish_bench(request.message);
    if (!published) return fail(published.status());
    return ok(published->fanout ? json{{"published", true}} : json{{"delivered", published->delivered}});
  }
  if (auto registered = ops_.find(op); registered != ops_.end()) {
    auto done = registered->second(live::Caller{who.identity(), connection.id(), who.member}, request.message);
    return done ? ok(std::move(*done)) : fail(done.status());
  }
  return fail(Status::bad_request("unknown_op", "Неизвестная операция."));
}

// "subscribe" and "unsubscribe": the topic's state in the reply, its events pushed from then on.
App::WsReply App::subscribe(net::WsConnection& connection, Subscriber& who, const api::WsRequest& request) {
  const json& re = request.re;
  const json& message = request.message;
  auto fail = [&](const Status& s) { return api::ws_error(s, re); };
  auto ok = [&](json data) { return json{{"re", re}, {"ok", true}, {"data", std::move(data)}}; };
  auto named = api::topic_of(message);
  if (!named) return fail(named.status());
  const std::string& topic = *named;
  if (request.op == "unsubscribe") {
    if (who.holds(topic)) leave_topic(connection, who, topic);
    return ok(json::object());
  }
  auto parts = api::split_topic(topic);
  auto family = topics_.find(parts.front());
  if (family == topics_.end()) return fail(Status::not_found("unknown_topic", "Такой темы нет."));
  parts.erase(parts.begin());
  const live::Caller caller{who.identity(), connection.id(), who.member};
  const auto since = resubscribed_since(message);
  // A fresh subscription to a family that keeps its state as text: nothing is built for it.
  if (family->second.state_text && !since && !who.holds(topic)) {
    auto state = family->second.state_text(caller, parts);
    if (!state) return fail(state.status());
    if (who.topics.size() >= config_.ws_topics_per_connection) return fail(errors::too_many_topics());
    auto seq = join_topic(connection, who, topic, since, json());
    return subscribe_reply_text(re, *state, presence_->count(topic), seq);
  }
  auto data = family->second.subscribe(caller, parts);
  if (!data) return fail(data.status());
  if (who.holds(topic)) {
    (*data)["presence"] = presence_->count(topic);
    return ok(std::move(*data));
  }
  if (who.topics.size() >= config_.ws_topics_per_connection) return fail(errors::too_many_topics());
  auto seq = join_topic(connection, who, topic, since, *data);
  // A resubscribe gets what it missed (or a resync event with this state) as events instead.
  json reply = since ? json{{"resumed", true}} : std::move(*data);
  reply["presence"] = presence_->count(topic);
  if (seq) reply["seq"] = *seq;
  return ok(std::move(reply));
}

std::optional<std::uint64_t> App::join_topic(net::WsConnection& connection, Subscriber& who, const std::string& topic,
                                             std::optional<std::uint64_t> since, const json& state) {
  who.topics.push_back(topic);
  auto seq = publisher_->subscribe(topic, connection.shared(), since, state);
  presence_->join(topic, who.member);
  return seq;
}

void App::leave_topic(net::WsConnection& connection, Subscriber& who, std::string topic) {
  std::erase(who.topics, topic);
  publisher_->unsubscribe(topic, &connection);
  presence_->leave(topic, who.member);
  auto parts = api::split_topic(topic);
  auto family = topics_.find(parts.front());
  if (family != topics_.end() && family->second.left) {
    parts.erase(parts.begin());
    family->second.left(live::Caller{who.identity(), connection.id(), who.member}, parts);
  }
}

void App::on_close(net::WsConnection& connection, net::WsContext& context) {
  auto& who = static_cast<Subscriber&>(context);
  if (who.tracked) sockets_by_user_.remove(who.signed_in->identity.user.id, connection.id());
  while (!who.topics.empty()) leave_topic(connection, who, who.topics.back());
}

}  // namespace praktika::app
