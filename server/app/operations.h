// What an operator sees of the running server: the Prometheus text at /metrics (only for the
// addresses `metrics.allow` names), and the organiser's live view of the day of an event
// (GET /api/events/{id}/operations and the topic operations:{event}, organisers only): connections
// and viewers per page and per section, letters waiting and failed, conversions and certificate
// jobs, and the recent problems in Russian with what to do. Built by App after its services;
// metrics_response() and snapshot() run on worker threads (they read SQLite through the owning
// modules' typed functions); the push timer runs on its own strand and builds on the workers.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "common/status.h"
#include "hub/hub.h"
#include "live/live.h"
#include "live/publisher.h"
#include "mail/outbox.h"
#include "mail/sender.h"
#include "metrics/metrics.h"
#include "net/router.h"
#include "net/server.h"
#include "presence/presence.h"
#include "timeline/agenda.h"
#include "timeline/clock.h"

namespace boost::asio {
class io_context;
class thread_pool;
}  // namespace boost::asio

namespace praktika::flashmob {
class FlashmobService;
}
namespace praktika::certificates {
class CertificateService;
}

namespace praktika::app {

// The live view of one event at one instant; operations_api.cpp makes its JSON (the route's answer,
// the topic's first frame and every push).
struct OperationsView {
  std::string at;  // UTC
  std::size_t websockets = 0;
  std::size_t open_connections = 0;  // TCP, HTTP and WebSocket
  std::string presence_backend;
  bool presence_healthy = false;
  // Connections on this instance and viewers on every instance, of a kind of page or of a section.
  struct Watched {
    std::string page;  // the page's topic family
    std::string title;
    std::int64_t connections = 0;
    std::int64_t viewers = 0;
  };
  std::vector<Watched> pages;
  struct SectionWatched {
    int number = 0;
    std::string title;
    std::int64_t connections = 0;
    std::int64_t viewers = 0;
  };
  std::vector<SectionWatched> sections;
  struct Mail {
    bool configured = false;
    bool counted = false;  // the counts below were read
    std::int64_t pending = 0, failed = 0, sent = 0;
    std::optional<std::string> oldest_pending_at;
  } mail;
  struct Jobs {
    std::int64_t queued = 0, running = 0, failed = 0;
  };
  std::optional<Jobs> conversions, certificates;  // none: not read
  // A recent problem in the organiser's words, newest first.
  struct Problem {
    std::string code, title, action;
    std::uint64_t count = 0;
    std::optional<std::string> first, last;  // UTC; none for a state rather than an error
  };
  std::vector<Problem> problems;
};
nlohmann::json to_json(const OperationsView& view);

class Operations {
 public:
  // Everything is owned by App and outlives this object.
  struct Sources {
    std::vector<std::string> event_ids;
    std::function<const timeline::Agenda*(std::string_view id)> find_event;
    const timeline::Clock* clock;
    hub::Hub* hub;               // read: who is subscribed where
    live::Publisher* publisher;  // the live view is this instance's figure: notify, never publish
    presence::Presence* presence;
    const net::Server* server;
    mail::Outbox* outbox;
    const mail::Sender* sender;
    flashmob::FlashmobService* flashmob;
    certificates::CertificateService* certificates;
  };
  Operations(Sources sources, metrics::AddressList metrics_allow, boost::asio::io_context& io,
             boost::asio::thread_pool& workers);
  ~Operations();

  // During App's construction.
  void add_routes(net::Router& router, accounts::AccountsService& accounts);
  void add_live(live::Registry& registry);

  void start();  // the live view's pushes, every kPushInterval while an organiser watches
  void stop();

  // GET /metrics: 403 metrics_forbidden unless the client's address is allowed.
  net::Response metrics_response(const net::Request& request);
  // The live view of one event.
  Result<OperationsView> snapshot(std::string_view event_id);

 private:
  void arm();
  void push_all();
  void write_metrics(metrics::Writer& out);

  // Constant after construction.
  const Sources s_;
  const metrics::AddressList metrics_allow_;
  boost::asio::thread_pool& workers_;

  // Only on strand_.
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer timer_;
  std::atomic<bool> stopping_{false};
};

}  // namespace praktika::app
