// One stage module in-process, without the binary (stage/stage_module.h): a temporary data
// directory with a fresh store (SQLite, or PostgreSQL when PRAKTIKA_TEST_STORE says so, as
// test_store.h opens it), the events of agenda files on a set clock, the server's pieces every
// stage is lent (accounts, the outbox, presence, the alarm, a worker pool) and a publisher that
// records every push instead of sending it. A test adds the stages it needs in stages.cpp's
// order, wires them, and calls their routes, topics and ops directly. One test thread; io()
// runs only when the test runs it (the alarm's wake-ups fire there).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "live/alarm.h"
#include "live/live.h"
#include "live/publisher.h"
#include "mail/outbox.h"
#include "net/router.h"
#include "presence/presence.h"
#include "stage/stage_module.h"
#include "store/db.h"
#include "support/temp_dir.h"
#include "timeline/clock.h"
#include "timeline/event.h"

namespace praktika::test {

// Keeps every push, in order. Thread-safe, like the publishers it stands for.
class RecordingPublisher final : public live::Publisher {
 public:
  struct Push {
    std::string topic;
    std::string event;
    nlohmann::json data;
    bool notified = false;  // notify() (an instance's own figure) rather than publish()
  };

  void publish(const std::string& topic, std::string_view event, const nlohmann::json& data) override;
  void notify(const std::string& topic, std::string_view event, const nlohmann::json& data) override;

  std::vector<Push> pushes() const;
  std::vector<Push> on(std::string_view topic) const;  // the pushes to one topic

 private:
  mutable std::mutex mutex_;
  std::vector<Push> pushes_;  // guarded by mutex_
};

// The topic families and ops the stages registered, to subscribe and call them as App would.
class RecordingRegistry final : public live::Registry {
 public:
  void add_topic(std::string family, live::TopicFamily topic) override { topics[std::move(family)] = std::move(topic); }
  void add_op(std::string name, live::Op op) override { ops[std::move(name)] = std::move(op); }

  // Subscribes to "family:part:part" as `who` (nullopt: anonymous).
  Result<nlohmann::json> subscribe(std::string_view topic, const std::optional<accounts::Identity>& who);
  Result<nlohmann::json> op(const std::string& name, const nlohmann::json& message,
                            const std::optional<accounts::Identity>& who);

  std::map<std::string, live::TopicFamily, std::less<>> topics;
  std::map<std::string, live::Op, std::less<>> ops;
};

class StageHarness {
 public:
  // The events of `agendas` (files in the source tree's agenda/), on a clock set at `now` that
  // runs `speed` times real time.
  explicit StageHarness(TimePoint now, std::vector<std::string> agendas = {"irkutsk-2020.json"}, double speed = 1);
  ~StageHarness();
  StageHarness(const StageHarness&) = delete;
  StageHarness& operator=(const StageHarness&) = delete;

  // Builds a stage and keeps it: add the stages it asks for first, in stages.cpp's order.
  template <class M>
  M& add() {
    return static_cast<M&>(add(std::make_unique<M>()));
  }
  stage::StageModule& add(std::unique_ptr<stage::StageModule> module);
  // Every added stage's routes into router() and topics and ops into registry(); once, after add().
  void wire();
  // Starts the added stages, as App does before its first request (stopped by the destructor).
  Status start();

  // A new user with `grants`, signed in: the session's identity and token.
  struct Person {
    accounts::Identity identity;
    std::string token;
  };
  Person sign_in(const std::string& email, const std::vector<accounts::RoleGrant>& grants = {});
  // Calls the route that matches, as the server does once the body is read; `token` is the
  // session cookie's value (empty: anonymous). 404 with no handler for a path no route matches.
  net::Response call(const std::string& method, const std::string& target, const std::string& token = {},
                     const std::string& body = {});

  const stage::Services& services() const { return services_; }
  const timeline::Events& events() const { return events_; }
  const timeline::Clock& clock() const { return clock_; }
  store::Db& db() { return *db_; }
  accounts::AccountsService& accounts() { return accounts_; }
  mail::Outbox& outbox() { return outbox_; }
  RecordingPublisher& publisher() { return publisher_; }
  RecordingRegistry& registry() { return registry_; }
  net::Router& router() { return router_; }
  live::Alarm& alarm() { return alarm_; }
  boost::asio::io_context& io() { return io_; }
  const std::filesystem::path& data_dir() const { return dir_.path(); }
  // Pages the stages allowed partner sites to frame: path -> frame-ancestors.
  const std::map<std::string, std::string>& framed() const { return framed_; }
  int letters_queued() const { return letters_queued_; }

  // An agenda of the source tree, read as main reads it (for a stage's check()).
  static timeline::Agenda agenda(const std::string& file);

 private:
  TempDir dir_;
  std::unique_ptr<store::Db> db_;
  timeline::Clock clock_;
  timeline::Events events_;
  boost::asio::io_context io_;
  boost::asio::thread_pool workers_{2};
  accounts::AccountsService accounts_;
  mail::Outbox outbox_;
  RecordingPublisher publisher_;
  std::unique_ptr<presence::Presence> presence_;
  live::Alarm alarm_;
  std::map<std::string, std::string> framed_;
  std::atomic<int> letters_queued_{0};
  stage::Services services_;
  std::vector<std::unique_ptr<stage::StageModule>> modules_;  // in the order added
  net::Router router_;
  RecordingRegistry registry_;
  bool started_ = false;
};

}  // namespace praktika::test
