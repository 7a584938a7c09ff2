#include "support/stage_harness.h"

#include <gtest/gtest.h>

#include "support/test_store.h"
#include "timeline/agenda.h"

namespace praktika::test {

namespace fs = std::filesystem;

void RecordingPublisher::publish(const std::string& topic, std::string_view event, const nlohmann::json& data) {
  std::lock_guard lock(mutex_);
  pushes_.push_back({topic, std::string(event), data, false});
}

void RecordingPublisher::notify(const std::string& topic, std::string_view event, const nlohmann::json& data) {
  std::lock_guard lock(mutex_);
  pushes_.push_back({topic, std::string(event), data, true});
}

std::vector<RecordingPublisher::Push> RecordingPublisher::pushes() const {
  std::lock_guard lock(mutex_);
  return pushes_;
}

std::vector<RecordingPublisher::Push> RecordingPublisher::on(std::string_view topic) const {
  std::vector<Push> found;
  for (auto& push : pushes())
    if (push.topic == topic) found.push_back(std::move(push));
  return found;
}

Result<nlohmann::json> RecordingRegistry::subscribe(std::string_view topic,
                                                    const std::optional<accounts::Identity>& who) {
  std::vector<std::string> parts;
  for (std::size_t from = 0;;) {
    auto colon = topic.find(':', from);
    parts.emplace_back(topic.substr(from, colon == std::string_view::npos ? topic.npos : colon - from));
    if (colon == std::string_view::npos) break;
    from = colon + 1;
  }
  auto family = topics.find(parts.front());
  if (family == topics.end()) return Status::not_found("unknown_topic", "no such topic family");
  parts.erase(parts.begin());
  return family->second.subscribe(live::Caller{who ? &*who : nullptr, 1, "1"}, parts);
}

Result<nlohmann::json> RecordingRegistry::op(const std::string& name, const nlohmann::json& message,
                                             const std::optional<accounts::Identity>& who) {
  auto found = ops.find(name);
  if (found == ops.end()) return Status::bad_request("unknown_op", "no such op");
  return found->second(live::Caller{who ? &*who : nullptr, 1, "1"}, message);
}

timeline::Agenda StageHarness::agenda(const std::string& file) {
  auto loaded = timeline::load_agenda(fs::path(PRAKTIKA_SOURCE_DIR) / "agenda" / file);
  if (auto* error = std::get_if<timeline::AgendaError>(&loaded)) ADD_FAILURE() << error->describe();
  return std::get<timeline::Agenda>(std::move(loaded));
}

namespace {

std::vector<timeline::Agenda> agendas_of(const std::vector<std::string>& files) {
  std::vector<timeline::Agenda> agendas;
  for (const auto& file : files) agendas.push_back(StageHarness::agenda(file));
  return agendas;
}

std::unique_ptr<store::Db> fresh_store(const fs::path& dir) {
  auto db = open_test_store(dir / "praktika.sqlite3");
  if (!db) ADD_FAILURE() << db.status().code() << ": " << db.status().message();
  return std::move(*db);
}

accounts::AccountsService::Options cheap_passwords() {
  accounts::AccountsService::Options options;
  options.password_cost = accounts::PasswordCost::cheapest_for_tests();
  return options;
}

}  // namespace

StageHarness::StageHarness(TimePoint now, std::vector<std::string> agendas, double speed)
    : db_(fresh_store(dir_.path())),
      clock_(timeline::Clock::simulated(now, speed)),
      events_(agendas_of(agendas)),
      accounts_(*db_, cheap_passwords()),
      outbox_(*db_, mail::RetryPolicy{}),
      presence_(presence::make_memory_presence(io_, presence::Options{}, [](const std::string&, std::int64_t) {})),
      alarm_(io_, clock_),
      services_{
          .db = *db_,
          .clock = clock_,
          .events = events_,
          .data_dir = dir_.path(),
          .limits = {},
          .accounts = accounts_,
          .publisher = publisher_,
          .presence = *presence_,
          .alarm = alarm_,
          .outbox = outbox_,
          .letters_queued = [this] { ++letters_queued_; },
          .identity_changed = [](std::int64_t) {},
          .workers = workers_,
          .allow_framing = [this](std::string path, std::string ancestors) { framed_[path] = ancestors; },
          .modules = &modules_,
      } {
  fs::create_directories(dir_.path() / "files");
  fs::create_directories(dir_.path() / "tmp");
}

StageHarness::~StageHarness() {
  alarm_.stop();
  if (started_)
    for (auto module = modules_.rbegin(); module != modules_.rend(); ++module) (*module)->stop();
  workers_.join();
  modules_.clear();
}

stage::StageModule& StageHarness::add(std::unique_ptr<stage::StageModule> module) {
  module->build(services_);
  modules_.push_back(std::move(module));
  return *modules_.back();
}

void StageHarness::wire() {
  for (const auto& module : modules_) {
    module->add_routes(router_, services_);
    module->add_live(registry_);
  }
}

Status StageHarness::start() {
  started_ = true;
  for (const auto& module : modules_)
    if (auto s = module->start(); !s) return s;
  return Status::ok();
}

StageHarness::Person StageHarness::sign_in(const std::string& email, const std::vector<accounts::RoleGrant>& grants) {
  const std::string password = "correct horse battery staple";
  auto user = accounts_.create_user(email, password, "Участник Проверки", grants);
  EXPECT_TRUE(user.ok()) << user.status().message();
  auto session = accounts_.login(email, password, "127.0.0.1");
  EXPECT_TRUE(session.ok()) << session.status().message();
  auto identity = accounts_.authenticate(session->token);
  EXPECT_TRUE(identity.ok()) << identity.status().message();
  return {*identity, session->token};
}

net::Response StageHarness::call(const std::string& method, const std::string& target, const std::string& token,
                                 const std::string& body) {
  net::Request request;
  request.method = method;
  request.target = target;
  auto question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) request.query = target.substr(question + 1);
  if (!token.empty()) request.headers.emplace_back("cookie", "praktika_session=" + token);
  if (!body.empty()) request.headers.emplace_back("content-type", "application/json");
  request.body = body;
  request.remote_address = request.client_address = "127.0.0.1";
  auto match = router_.match(method, request.path);
  if (match.outcome != net::Router::Outcome::matched) {
    net::Response none;
    none.status = 404;
    return none;
  }
  return (*match.handler)(request, match.params);
}

}  // namespace praktika::test
