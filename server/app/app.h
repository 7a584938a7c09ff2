// Wires the modules into one server on one port: owns the store, the services, the hub,
// presence, the router, the publisher, the alarm and the transport. Created, started and stopped by
// main's thread; handle() runs on worker threads, the WebSocket callbacks on connection strands.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/accounts.h"
#include "announcements/announcements.h"
#include "api/ws_request.h"
#include "app/config.h"
#include "app/operations.h"
#include "app/sockets_by_user.h"
#include "gallery/gallery.h"
#include "hub/hub.h"
#include "intake/intake.h"
#include "live/alarm.h"
#include "live/live.h"
#include "live/fanout.h"
#include "live/lease.h"
#include "live/publisher.h"
#include "mail/outbox.h"
#include "mail/sender.h"
#include "review/review.h"
#include "uploads/uploads.h"
#include "net/router.h"
#include "net/server.h"
#include "net/static_files.h"
#include "presence/presence.h"
#include "sections/sections.h"
#include "sections/sections_api.h"
#include "sections/speedtest.h"
#include "store/db.h"
#include "timeline/agenda.h"
#include "timeline/clock.h"
#include "timeline/timeline.h"

namespace praktika::contest {
class ContestService;
}

namespace praktika::flashmob {
class FlashmobService;
}

namespace praktika::certificates {
class CertificateService;
}

namespace praktika::reminders {
class ReminderService;
}

namespace praktika::privacy {
class PrivacyService;
}

namespace praktika::app {

struct Event {
  timeline::Agenda agenda;
  timeline::Timeline timeline;
  // GET /api/events/{id}: the agenda is constant after start-up, so its public JSON is
  // serialised once and answered from memory (shared, not copied), with an ETag for conditional
  // requests.
  std::shared_ptr<const std::string> public_body;
  std::string public_etag;
};

class App final : public net::HttpHandler, public net::WsHandler, private live::Registry {
 public:
  App(const Config& config, std::vector<timeline::Agenda> agendas, timeline::Clock clock,
      std::unique_ptr<store::Db> db, boost::asio::io_context& io, boost::asio::thread_pool& workers);
  ~App() override;

  Status start();
  std::uint16_t port() const { return server_->port(); }
  void stop();

  net::BodyPolicy body_policy(const net::Request& head) override;
  net::Response handle(const net::Request& request) override;
  std::variant<std::unique_ptr<net::WsContext>, net::Response> accept(const net::Request& upgrade) override;
  void on_message(net::WsConnection& connection, net::WsContext& context, std::string_view text) override;
  void on_close(net::WsConnection& connection, net::WsContext& context) override;

  const net::Router& router() const { return router_; }

 private:
  struct Subscriber;

  // live::Registry: only during construction.
  void add_topic(std::string family, live::TopicFamily topic) override;
  void add_op(std::string name, live::Op op) override;

  void add_routes();
  void add_topics();
  void leave_topic(net::WsConnection& connection, Subscriber& who, std::string topic);  // a copy: it erases the original
  const Event* find_event(std::string_view id) const;
  std::optional<intake::EventView> event_view(std::string_view id) const;  // what services see of an event
  nlohmann::json health() const;
  void add_reminder_checks();
  void send_reminders(const std::string& event_id);  // posts the work to the worker pool
  // The Content-Security-Policy and its companions, on every response App gives.
  net::Response with_security_headers(const net::Request& request, net::Response response) const;
  nlohmann::json do_op(net::WsConnection& connection, Subscriber& who, const api::WsRequest& request);
  // False when the session behind `who` has ended or its roles are no longer the ones it was
  // given at the upgrade (another instance on the same store may have changed them).
  bool identity_still_holds(Subscriber& who);
  // Closes every open WebSocket of `user_id` with kSessionChanged (from AccountsService, any thread).
  void end_sockets_of(std::int64_t user_id);
  Result<nlohmann::json> publish_bench(const nlohmann::json& message);

  // Constant after construction.
  const Config config_;
  const timeline::Clock clock_;
  std::map<std::string, Event, std::less<>> events_;
  std::unique_ptr<store::Db> db_;
  boost::asio::io_context& io_;
  boost::asio::thread_pool& workers_;  // the reminders' letters are written there, off the alarm's strand
  std::map<std::string, live::TopicFamily, std::less<>> topics_;  // by family: "timeline", ...
  std::map<std::string, live::Op, std::less<>> ops_;              // by name: "section.next", ...
  net::Router router_;  // filled before start(), read-only afterwards

  // Thread-safe services.
  SocketsByUser sockets_by_user_;  // before accounts_, which reports changes to it
  net::WebRoot web_root_;  // the front end's files, with a cache of its own
  accounts::AccountsService accounts_;
  intake::IntakeService intake_;
  uploads::UploadService uploads_;
  mail::Outbox outbox_;
  mail::Sender sender_;  // its own thread, started and stopped with the server
  review::ReviewService review_;
  announcements::AnnouncementService announcements_;
  gallery::GalleryService gallery_;
  hub::Hub hub_;
  std::unique_ptr<live::Fanout> publisher_;  // every module's pushes, onto hub_ here and elsewhere
  std::unique_ptr<presence::Presence> presence_;
  // Every wake-up on the event clock; stopped before the services its wake-ups call go away.
  std::unique_ptr<live::Alarm> alarm_;
  std::unique_ptr<live::Lease> lease_;  // with --redis: which instance's alarm fires
  std::unique_ptr<flashmob::FlashmobService> flashmob_;
  std::unique_ptr<contest::ContestService> contest_;    // built once events_ is filled
  std::unique_ptr<sections::SectionService> sections_;  // built once events_ is filled
  std::unique_ptr<certificates::CertificateService> certificates_;  // after sections_: it reads attendance there
  std::unique_ptr<reminders::ReminderService> reminders_;  // asks review_, certificates_ and contest_
  std::unique_ptr<privacy::PrivacyService> privacy_;      // asks every module that holds personal data
  std::unique_ptr<net::Server> server_;
  std::unique_ptr<Operations> operations_;  // /metrics and the organiser's live view; uses server_
};

}  // namespace praktika::app
