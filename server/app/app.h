// Wires the stages (app/stages.h) into one server on one port: owns the store, the events, the
// accounts, the mail, the hub, presence, the router, the publisher, the alarm and the transport,
// and lends them to every stage module (stage::Services). Created, started and stopped by
// main's thread; handle() runs on worker threads, the WebSocket callbacks on connection strands.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "accounts/accounts.h"
#include "api/ws_request.h"
#include "app/config.h"
#include "app/operations.h"
#include "app/sockets_by_user.h"
#include "app/timeline_text.h"
#include "hub/hub.h"
#include "live/alarm.h"
#include "live/live.h"
#include "live/fanout.h"
#include "live/lease.h"
#include "live/publisher.h"
#include "mail/outbox.h"
#include "mail/sender.h"
#include "net/router.h"
#include "net/server.h"
#include "net/static_files.h"
#include "presence/presence.h"
#include "stage/stage_module.h"
#include "store/db.h"
#include "timeline/agenda.h"
#include "timeline/clock.h"
#include "timeline/event.h"
#include "timeline/timeline.h"

namespace praktika::app {

class App final : public net::HttpHandler, public net::WsHandler, private live::Registry {
 public:
  App(const Config& config, std::vector<timeline::Agenda> agendas, timeline::Clock clock,
      std::unique_ptr<store::Db> db, boost::asio::io_context& io, boost::asio::thread_pool& workers);
  ~App() override;

  Status start();
  std::uint16_t port() const { return server_->port(); }
  void stop();
  // After stop(): see net::Server::only_close_handshakes_left.
  bool only_close_handshakes_left() const { return server_->only_close_handshakes_left(); }
  std::size_t websocket_count() const { return server_->websocket_count(); }

  net::BodyPolicy body_policy(const net::Request& head) override;
  net::Response handle(const net::Request& request) override;
  std::variant<std::unique_ptr<net::WsContext>, net::Response> accept(const net::Request& upgrade) override;
  void on_open(net::WsConnection& connection, net::WsContext& context) override;
  void on_message(net::WsConnection& connection, net::WsContext& context, std::string_view text) override;
  void on_close(net::WsConnection& connection, net::WsContext& context) override;

  const net::Router& router() const { return router_; }

 private:
  struct Subscriber;
  // GET /api/events/{id}: the agenda is constant after start-up, so its public JSON is
  // serialised once and answered from memory (shared, not copied), with an ETag for conditional
  // requests.
  struct PublicEvent {
    std::shared_ptr<const std::string> body;
    std::string etag;
  };

  // Construction, in this order (app.cpp).
  void build_live(boost::asio::io_context& io);  // presence, the publisher, the alarm, its lease
  void build_stages();  // lends every stage what it is given (stage::Services), builds them in order
  void build_server(boost::asio::io_context& io, boost::asio::thread_pool& workers);
  void build_operations(boost::asio::io_context& io, boost::asio::thread_pool& workers);

  // live::Registry: only during construction.
  void add_topic(std::string family, live::TopicFamily topic) override;
  void add_op(std::string name, live::Op op) override;

  // HTTP (app_routes.cpp): App's own routes, then every stage's.
  void allow_framing(std::string path, std::string ancestors);  // only during construction
  void add_routes();
  void add_event_routes();
  void add_account_routes();
  void add_mail_routes();
  void add_topics();
  void leave_topic(net::WsConnection& connection, Subscriber& who, std::string topic);  // a copy: it erases the original
  std::optional<timeline::EventView> find_event(std::string_view id) const { return events_.find(id); }
  nlohmann::json health() const;
  net::Response dispatch(const net::Request& request, std::string_view& route);
  // The Content-Security-Policy and its companions, on every response App gives.
  net::Response with_security_headers(const net::Request& request, net::Response response) const;
  // A WebSocket reply: JSON to serialise, or text already serialised (a subscribe reply made
  // from a family's cached state).
  using WsReply = std::variant<nlohmann::json, std::string>;
  void adopt(net::WsConnection& connection, Subscriber& who);
  void answer(net::WsConnection& connection, Subscriber& who, const api::WsRequest& request);
  WsReply do_op(net::WsConnection& connection, Subscriber& who, const api::WsRequest& request);
  WsReply subscribe(net::WsConnection& connection, Subscriber& who, const api::WsRequest& request);
  // Subscribes the connection and counts it present; the topic's last number, if known.
  std::optional<std::uint64_t> join_topic(net::WsConnection& connection, Subscriber& who, const std::string& topic,
                                          std::optional<std::uint64_t> since, const nlohmann::json& state);
  // False when the session behind `who` has ended or its roles are no longer the ones it was
  // given at the upgrade (another instance on the same store may have changed them).
  bool identity_still_holds(Subscriber& who);
  // Closes every open WebSocket of `user_id` with kSessionChanged (from AccountsService, any thread).
  void end_sockets_of(std::int64_t user_id);
  // What a benchmark publish did: sent on the fan-out path (to every instance), or delivered by
  // this instance's hub to `delivered` subscribers.
  struct BenchPublished {
    bool fanout = false;
    std::size_t delivered = 0;
  };
  Result<BenchPublished> publish_bench(const nlohmann::json& message);
  template <class M>
  M& stage() const {
    return services_->stage<M>();
  }

  // Constant after construction.
  const Config config_;
  const timeline::Clock clock_;
  const timeline::Events events_;
  std::map<std::string, PublicEvent, std::less<>> public_events_;
  // Pages partner sites may show in an <iframe> (the flashmob widget): path -> the security
  // headers with the policy that lets them.
  std::map<std::string, std::shared_ptr<const net::Headers>, std::less<>> framed_;
  std::unique_ptr<store::Db> db_;
  boost::asio::io_context& io_;
  boost::asio::thread_pool& workers_;  // lent to the stages for work off the alarm's strand
  std::map<std::string, live::TopicFamily, std::less<>> topics_;  // by family: "timeline", ...
  // Each event's timeline as its subscribers get it (by event id; filled by add_topics).
  std::map<std::string, std::unique_ptr<TimelineText>, std::less<>> timeline_texts_;
  std::map<std::string, live::Op, std::less<>> ops_;              // by name: "section.next", ...
  net::Router router_;  // filled before start(), read-only afterwards

  // Thread-safe services.
  SocketsByUser sockets_by_user_;  // before accounts_, which reports changes to it
  net::WebRoot web_root_;  // the front end's files, with a cache of its own
  accounts::AccountsService accounts_;
  mail::Outbox outbox_;
  mail::Sender sender_;  // its own thread, started and stopped with the server
  hub::Hub hub_;
  std::unique_ptr<live::Fanout> publisher_;  // every module's pushes, onto hub_ here and elsewhere
  std::unique_ptr<presence::Presence> presence_;
  // Every wake-up on the event clock; stopped before the stages its wake-ups call go away.
  std::unique_ptr<live::Alarm> alarm_;
  std::unique_ptr<live::Lease> lease_;  // with --redis: which instance's alarm fires
  std::unique_ptr<stage::Services> services_;
  std::vector<std::unique_ptr<stage::StageModule>> stages_;  // in app/stages.cpp's order
  std::unique_ptr<net::Server> server_;
  std::unique_ptr<Operations> operations_;  // /metrics and the organiser's live view; uses server_
};

}  // namespace praktika::app
