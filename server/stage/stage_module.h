// The contract every stage of the event keeps with the server (intake, uploads, review, the
// gallery, the flashmob, the section day, certificates, the contest, reminders, announcements):
// read and check its part of each agenda, build its service, wire its routes, live topics and
// operations, start and stop. server/app/stages.cpp holds the one list; App and main iterate it
// and name no stage. Every method runs on main's thread, in the list's order (stop in reverse);
// what a module wires (routes, topics, wake-ups) runs on the threads its own header names.
#pragma once

#include <cassert>
#include <cstdlib>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "timeline/agenda.h"
#include "timeline/clock.h"
#include "timeline/event.h"

namespace boost::asio {
class thread_pool;
}
namespace praktika::store {
class Db;
}
namespace praktika::accounts {
class AccountsService;
}
namespace praktika::live {
class Alarm;
class Publisher;
class Registry;
}  // namespace praktika::live
namespace praktika::mail {
class Outbox;
}
namespace praktika::net {
class Router;
}
namespace praktika::presence {
class Presence;
}

namespace praktika::stage {

class StageModule;

// The server's settings a stage needs (the rest of the configuration is App's).
struct Limits {
  std::uint64_t upload_quota_bytes = 3ULL << 30;  // per participant and event
  std::uint64_t upload_free_space_margin_bytes = 64ULL << 20;
};

// What the server lends every stage: all of it outlives the modules. Constant after construction.
struct Services {
  store::Db& db;
  const timeline::Clock& clock;
  const timeline::Events& events;
  std::filesystem::path data_dir;  // <data>: the modules' files live under it
  Limits limits;
  accounts::AccountsService& accounts;
  live::Publisher& publisher;  // the one way to push
  presence::Presence& presence;
  live::Alarm& alarm;  // the one alarm on the event clock
  mail::Outbox& outbox;
  std::function<void()> letters_queued;  // wakes the mail sender after a letter was committed
  // Closes the open WebSockets of a user whose sessions or roles a stage just ended (any thread).
  std::function<void(std::int64_t user_id)> identity_changed;
  boost::asio::thread_pool& workers;     // for work a wake-up on the alarm's strand must not do
  // Lets partner sites show `path` (a page of the web app) in an <iframe>: the Content-Security-
  // Policy's frame-ancestors for it. Registered once while the server is built.
  std::function<void(std::string path, std::string ancestors)> allow_framing;
  // The modules: while build() runs, those listed before the caller; every one afterwards.
  const std::vector<std::unique_ptr<StageModule>>* modules = nullptr;

  // The module of type M, which must be listed before the caller when asked from build().
  template <class M>
  M& stage() const;
};

class StageModule {
 public:
  virtual ~StageModule() = default;

  virtual std::string_view name() const = 0;
  // Reads this stage's part of `agenda` strictly. main calls it for every agenda before the App
  // is built (without build()), so a mistake stops the start naming the JSON path.
  virtual std::optional<timeline::AgendaError> check(const timeline::Agenda& agenda) const { return std::nullopt; }
  // Builds the stage's service and hooks it to stages listed before it (letter blocks, read
  // grants, checks, wake-ups on the alarm). Once, before everything below.
  virtual void build(const Services& services) = 0;
  virtual void add_routes(net::Router& router, const Services& services) {}
  virtual void add_live(live::Registry& registry) {}
  // Before the server takes its first request; the alarm and the mail sender already run.
  virtual Status start() { return Status::ok(); }
  // After the server stopped taking requests and the alarm stopped.
  virtual void stop() {}
};

template <class M>
M& Services::stage() const {
  assert(modules);
  for (const auto& module : *modules)
    if (auto* found = dynamic_cast<M*>(module.get())) return *found;
  assert(false && "a stage asks only for stages listed before it");
  std::abort();
}

}  // namespace praktika::stage
