#include "app/app.h"

#include <cassert>
#include <cctype>
#include <cstdio>
#include <set>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <nlohmann/json.hpp>

#include "accounts/accounts_api.h"
#include "accounts/redis_throttle.h"
#include "announcements/announcements_api.h"
#include "api/http.h"
#include "api/ws_request.h"
#include "certificates/certificates.h"
#include "certificates/certificates_api.h"
#include "common/errors.h"
#include "common/json_guard.h"
#include "mail/template.h"
#include "contest/contest.h"
#include "contest/contest_api.h"
#include "flashmob/flashmob.h"
#include "flashmob/flashmob_api.h"
#include "flashmob/flashmob_live.h"
#include "live/stage_pushes.h"
#include "gallery/gallery_api.h"
#include "intake/intake_api.h"
#include "log/log.h"
#include "net/encoding.h"
#include "net/static_files.h"
#include "privacy/privacy_api.h"
#include "reminders/reminders.h"
#include "reminders/reminders_api.h"
#include "review/review_api.h"
#include "uploads/uploads_api.h"

namespace praktika::app {
namespace {

using nlohmann::json;

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; media-src 'self' blob:; "
    "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'";

// The same policy for a page that partner sites may show in an <iframe> (the flashmob widget).
std::string policy_framed_by(const std::string& ancestors) {
  std::string policy(kContentSecurityPolicy);
  constexpr std::string_view kNone = "frame-ancestors 'none'";
  policy.replace(policy.find(kNone), kNone.size(), "frame-ancestors " + ancestors);
  return policy;
}

int flashmob_workers(const std::vector<timeline::Agenda>& agendas) {
  int workers = 1;
  for (const auto& agenda : agendas) {
    auto settings = flashmob::read_settings(agenda);
    if (auto* s = std::get_if<flashmob::Settings>(&settings)) workers = std::max(workers, s->conversions_at_once);
  }
  return workers;
}

// With --redis the alarm's lease lives this long unrenewed: a dead holder's wake-ups move to
// another instance within about this much. The owner asks its sources again every second.
constexpr std::chrono::milliseconds kAlarmLease{3000};
constexpr std::chrono::milliseconds kAlarmRefresh{1000};

std::string instance_id() {
  return std::to_string(::getpid()) + "-" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000007);
}

// Letters, digits, '-' and '_' in '/'-separated segments: what the front end's router uses.
bool is_client_route(const std::string& path) {
  if (path.size() < 2 || path.size() > 200 || path[0] != '/') return false;
  char previous = '/';
  for (size_t i = 1; i < path.size(); ++i) {
    char c = path[i];
    bool word = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    if (!word && !(c == '/' && previous != '/')) return false;
    previous = c;
  }
  return true;
}

net::Request index_request(const net::Request& request) {
  net::Request index = request;
  index.path = "/";
  return index;
}

std::uint64_t largest_file(const std::vector<timeline::Agenda>& agendas) {
  std::uint64_t largest = 0;
  for (const auto& agenda : agendas)
    for (const auto& [purpose, rules] : agenda.files)
      for (const auto& kind : rules.kinds) largest = std::max<std::uint64_t>(largest, kind.max_bytes.value_or(0));
  return largest;
}

bool is_state_changing(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// A state-changing request from another site's page is refused. One that carries the session
// cookie must also name the page it was sent from (Origin or Referer): without that check a
// request with the cookie and neither header was taken for one from our own client.
std::optional<net::Response> cross_site_refusal(const net::Request& request, const std::vector<std::string>& allowed) {
  if (!is_state_changing(request.method)) return std::nullopt;
  if (!api::origin_allowed(request, allowed))
    return api::error_response(
        Status::forbidden("bad_origin", "Запрос отправлен со страницы другого сайта и отклонён."));
  if (request.cookie(accounts::kSessionCookie) && !api::sender_page_allowed(request, allowed))
    return api::error_response(Status::forbidden(
        "bad_origin", "Запрос отклонён: в нём не указано, с какой страницы сайта он отправлен."));
  return std::nullopt;
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

// The letter inviting a person to the site for a role (the agenda's mail template "invitation":
// {event_title}, {role}, {email}, {site_url}, {event_url}); the role in words is the snippet
// "invitation_role_<role>", followed for one section by "invitation_section" ({section},
// {section_title}). Every word of it is the agenda's.
Result<mail::Message> invitation_letter(const timeline::Agenda& agenda, const accounts::Invitation& invitation,
                                        std::string_view site) {
  auto part = mail::read_mail_part(agenda);
  auto* templates = std::get_if<mail::MailPart>(&part);
  auto missing = Status::unprocessable("invitation_template_missing",
                                       "В программе мероприятия нет текста письма-приглашения: пригласить нельзя.");
  if (!templates) return missing;
  auto letter = templates->templates.find("invitation");
  auto role = templates->snippets.find(std::string("invitation_role_") + accounts::to_string(invitation.grant.role));
  if (letter == templates->templates.end() || role == templates->snippets.end()) return missing;
  std::string role_words = role->second;
  if (const auto& section = invitation.grant.section) {
    auto words = templates->snippets.find("invitation_section");
    const timeline::Section* found = agenda.find_section(*section);
    if (words != templates->snippets.end())
      role_words += mail::fill(words->second, {{"section", std::to_string(*section)},
                                              {"section_title", found ? found->title : std::string()}});
  }
  const std::string site_url(site);
  const std::map<std::string, std::string> values = {{"event_title", agenda.title},
                                                     {"role", role_words},
                                                     {"email", invitation.email},
                                                     {"site_url", site_url},
                                                     {"event_url", site_url + "/events/" + agenda.id}};
  const auto& g = invitation.grant;
  mail::Message message;
  message.idempotency_key = "invitation:" + g.event_id + ":" + accounts::to_string(g.role) + ":" +
                            (g.section ? std::to_string(*g.section) : std::string("all")) + ":" + invitation.email;
  message.event_id = g.event_id;
  message.recipients = {invitation.email};
  message.subject = mail::fill(letter->second.subject, values);
  message.body = mail::fill(letter->second.body, values);
  return message;
}

}  // namespace

// The application's state of one WebSocket. Only touched on that connection's strand.
struct App::Subscriber : net::WsContext {
  std::optional<accounts::Identity> identity;
  std::string session_token;  // the cookie the identity came from; empty when anonymous
  bool tracked = false;       // in sockets_by_user_ (from the first message on)
  std::set<std::string> topics;
  std::string member;  // presence member id: the connection
};

App::App(const Config& config, std::vector<timeline::Agenda> agendas, timeline::Clock clock,
         std::unique_ptr<store::Db> db, boost::asio::io_context& io, boost::asio::thread_pool& workers)
    : config_(config),
      clock_(clock),
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
      intake_(*db_, clock_, [this](std::string_view id) { return event_view(id); }, config.data_dir / "files"),
      uploads_(*db_, clock_,
               [this](std::string_view id) { return event_view(id); },
               uploads::Options{config.data_dir, config.upload_quota_bytes, largest_file(agendas),
                                config.upload_free_space_margin_bytes}),
      outbox_(*db_, mail::RetryPolicy{}),
      sender_(outbox_, clock_,
              config.smtp_url ? mail::make_smtp_transport({*config.smtp_url, config.smtp_from, config.smtp_from_name})
                              : nullptr,
              {config.smtp_url.value_or(""), config.smtp_from, config.smtp_from_name}),
      review_(*db_, clock_,
              [this](std::string_view id) { return event_view(id); },
              intake_, [this] { sender_.wake(); }),
      announcements_(*db_, clock_, [this](std::string_view id) { return event_view(id); }, [this] { sender_.wake(); }),
      gallery_(*db_, clock_,
               [this](std::string_view id) { return event_view(id); },
               intake_, uploads_.files_dir()) {
  const int conversion_workers = flashmob_workers(agendas);
  for (auto& agenda : agendas) {
    std::string id = agenda.id;
    timeline::Timeline timeline(agenda);
    std::string body = timeline::public_json(agenda).dump(-1, ' ', false, json::error_handler_t::replace);
    std::string etag = "\"" + std::to_string(std::hash<std::string>{}(body)) + "\"";
    events_.emplace(id, Event{std::move(agenda), std::move(timeline),
                              std::make_shared<const std::string>(std::move(body)), std::move(etag)});
  }

  presence::Options presence_options;
  presence_options.report_interval_ms = config.presence_report_interval_ms;
  presence_options.heartbeat_interval_ms = config.presence_heartbeat_interval_ms;
  presence_options.expiry_ms = config.presence_expiry_ms;
  presence_options.large_topic_members = config.presence_large_topic_members;
  presence_options.large_topic_interval_ms = config.presence_large_topic_interval_ms;
  presence_options.large_topic_step_percent = config.presence_large_topic_step_percent;
  presence_options.instance_id = instance_id();
  alarm_ = std::make_unique<live::Alarm>(io, clock_);
  auto sink = [this](const std::string& topic, std::int64_t count) {
    publisher_->notify(topic, "presence", {{"count", count}});
  };
  if (config.redis_url) {
    // load_config checked the URL with the same parser, so this cannot fail here.
    auto redis = presence::make_redis_presence(io, *config.redis_url, presence_options, sink);
    assert(redis.ok());
    presence_ = std::move(*redis);
    auto fanout = live::make_redis_fanout(io, *config.redis_url, hub_, config.live_replay_events);
    assert(fanout.ok());
    publisher_ = std::move(*fanout);
    auto lease = live::Lease::create(io, *config.redis_url, presence_options.instance_id, kAlarmLease);
    assert(lease.ok());
    lease_ = std::move(*lease);
    alarm_->set_owner([this] { return lease_->held(); }, kAlarmRefresh);
  } else {
    presence_ = presence::make_memory_presence(io, presence_options, sink);
    publisher_ = live::make_memory_fanout(hub_, config.live_replay_events);
  }

  std::vector<intake::EventView> views;
  for (const auto& [id, event] : events_) views.push_back({&event.agenda, &event.timeline});
  contest_ = std::make_unique<contest::ContestService>(*db_, clock_, views, intake_);
  flashmob::Options flashmob_options;
  flashmob_options.data_dir = config.data_dir;
  flashmob_options.upload_files_dir = uploads_.files_dir();
  flashmob_options.workers = conversion_workers;
  flashmob_ = std::make_unique<flashmob::FlashmobService>(*db_, clock_, views, *publisher_, uploads_, flashmob_options);
  for (const auto& id : flashmob_->event_ids()) flashmob::push_feed_changes(*alarm_, *flashmob_, id);
  alarm_->add_source([this](bool) {
    for (const auto& id : flashmob_->event_ids()) flashmob::push_feed_changes(*alarm_, *flashmob_, id);
  });
  flashmob_->set_feed_listener(
      [this](const std::string& event_id) { flashmob::push_feed_changes(*alarm_, *flashmob_, event_id); });
  flashmob::add_live(*this, *flashmob_);
  std::map<std::string, sections::EventRef, std::less<>> section_events;
  for (const auto& [id, event] : events_) {
    // main checked every agenda's part before building the App, so this reads without error.
    auto settings = sections::read_settings(event.agenda);
    auto* read = std::get_if<sections::Settings>(&settings);
    section_events.emplace(id, sections::EventRef{&event.agenda, &event.timeline, read ? *read : sections::Settings{}});
  }
  sections_ = std::make_unique<sections::SectionService>(
      *db_, clock_, std::move(section_events), *publisher_);
  // An admission letter to present lists what the presenter needs at home (Appendix 2).
  review_.add_letter_block("presenter_requirements", [this](std::string_view event, const std::vector<std::string>& outcomes) {
    return sections_->letter_requirements(event, outcomes);
  });
  sections_->set_arm(sections::alarm_arm(*alarm_, *sections_));
  alarm_->add_source([this](bool) {
    if (auto s = sections_->rearm(); !s) std::fprintf(stderr, "section timers: %s\n", s.message().c_str());
  });
  std::map<std::string, certificates::EventRef, std::less<>> certificate_events;
  for (const auto& [id, event] : events_) certificate_events.emplace(id, certificates::EventRef{&event.agenda, &event.timeline});
  certificates_ = std::make_unique<certificates::CertificateService>(
      *db_, clock_, std::move(certificate_events), config.data_dir, *publisher_,
      [this](const accounts::Identity& who, std::string_view event) { return sections_->attendance(who, event); },
      [this] { sender_.wake(); });
  reminders_ = std::make_unique<reminders::ReminderService>(
      *db_, clock_, views,
      [this](std::string_view event) -> Result<std::vector<std::string>> {
        auto roles = accounts_.list_roles(event);
        if (!roles) return roles.status();
        std::vector<std::string> emails;
        for (const auto& r : *roles)
          if (r.grant.role == accounts::Role::organiser) emails.push_back(r.user.email);
        return emails;
      },
      [this] { sender_.wake(); });
  add_reminder_checks();
  std::map<std::string, privacy::Settings, std::less<>> privacy_events;
  for (const auto& [id, event] : events_)  // main checked every agenda's part
    if (auto read = privacy::read_settings(event.agenda); std::holds_alternative<std::optional<privacy::Settings>>(read))
      if (auto& settings = std::get<std::optional<privacy::Settings>>(read)) privacy_events.emplace(id, std::move(*settings));
  privacy_ = std::make_unique<privacy::PrivacyService>(*db_, clock_, std::move(privacy_events), config.data_dir,
                                                       [this](std::int64_t user_id) { end_sockets_of(user_id); });
  for (const auto& [id, event] : events_)
    alarm_->add_source(live::push_stage_changes(*alarm_, *publisher_, event.timeline, clock_,
                                                reminders_->warn_instants(id), [this, id = id] { send_reminders(id); }));

  net::ServerOptions server_options;
  server_options.address = config.address;
  server_options.port = config.port;
  server_options.body_limit = config.body_bytes;
  server_options.header_timeout_s = config.header_timeout_s;
  server_options.max_connections_per_address = config.connections_per_address;
  server_options.body_dir = config.data_dir / "tmp";
  server_options.on_disk_full = [this] { db_->disk_full(); };
  server_options.ws_message_limit = config.ws_message_bytes;
  server_options.ws_queue_messages = config.ws_queue_messages;
  server_options.ws_queue_bytes = config.ws_queue_bytes;
  server_options.trusted_proxies = config.trusted_proxies;
  server_ = std::make_unique<net::Server>(io, workers, server_options, *this, *this);

  add_routes();
  add_topics();

  std::vector<std::string> event_ids;
  for (const auto& [id, event] : events_) event_ids.push_back(id);
  Operations::Sources sources{
      event_ids,
      [this](std::string_view id) -> const timeline::Agenda* {
        const Event* event = find_event(id);
        return event ? &event->agenda : nullptr;
      },
      &clock_, &hub_, publisher_.get(), presence_.get(), server_.get(), &outbox_, &sender_, flashmob_.get(), certificates_.get()};
  // load_config checked the list.
  auto allowed = metrics::AddressList::parse(config.metrics_allow);
  operations_ = std::make_unique<Operations>(std::move(sources), std::get<metrics::AddressList>(allowed), io, workers);
  operations_->add_routes(router_, accounts_);
  operations_->add_live(*this);
}

App::~App() = default;

Status App::start() {
  // Bodies of requests cut off by a crash are worthless: start with an empty folder.
  std::error_code ec;
  std::filesystem::remove_all(config_.data_dir / "tmp", ec);
  std::filesystem::create_directories(config_.data_dir / "tmp", ec);
  if (ec) return Status::internal("data_dir", "Не удалось создать каталог " + (config_.data_dir / "tmp").string());
  // A warning window that opened while the server was down is caught up before the first request
  // (the outbox key keeps each letter once).
  for (const auto& [id, event] : events_)
    if (auto sent = reminders_->send_due(id); !sent)
      std::fprintf(stderr, "reminders for %s: %s\n", id.c_str(), sent.status().message().c_str());
  if (auto s = server_->start(); !s) return s;
  presence_->start();
  if (lease_) lease_->start();
  alarm_->start();
  sender_.start();
  flashmob_->start();
  if (auto s = sections_->start(); !s) return s;
  certificates_->start();
  operations_->start();
  return Status::ok();
}

void App::add_reminder_checks() {
  // A module that has nothing to do for an event (no review, no certificates) answers 404: nothing left.
  auto counted = [](Result<std::int64_t> n, const std::string& what) -> Result<reminders::Left> {
    if (!n) return n.status().http_status() == 404 ? Result<reminders::Left>(reminders::Left{}) : Result<reminders::Left>(n.status());
    return reminders::Left{*n, *n > 0 ? std::string(what) + std::to_string(*n) : std::string()};
  };
  reminders_->add_check("decision_notice_by", [this, counted](std::string_view event) {
    // The event's own word: «заявки без решения» for the contest.
    const Event* found = find_event(event);
    return counted(review_.undecided(event), (found ? found->agenda.words.many : std::string("работы")) + " без решения: ");
  });
  reminders_->add_check("certificates_by", [this, counted](std::string_view event) {
    return counted(certificates_->not_issued(event), "участники без выпущенного сертификата: ");
  });
  std::set<std::string> post_deadlines;
  for (const auto& [id, event] : events_)
    if (auto m = contest_->post_deadline(id)) post_deadlines.insert(*m);
  for (const auto& m : post_deadlines)
    reminders_->add_check(m, [this, counted](std::string_view event) {
      return counted(contest_->post_left(event), "документы, не отправленные по почте: ");
    });
}

void App::send_reminders(const std::string& event_id) {
  boost::asio::post(workers_, [this, event_id] {
    if (auto sent = reminders_->send_due(event_id); !sent)
      std::fprintf(stderr, "reminders for %s: %s\n", event_id.c_str(), sent.status().message().c_str());
  });
}

void App::stop() {
  server_->stop();
  operations_->stop();
  alarm_->stop();
  if (lease_) lease_->stop();
  flashmob_->stop();
  certificates_->stop();
  presence_->stop();
  publisher_->stop();
  sender_.stop();
}

std::optional<intake::EventView> App::event_view(std::string_view id) const {
  const Event* event = find_event(id);
  if (!event) return std::nullopt;
  return intake::EventView{&event->agenda, &event->timeline};
}

const Event* App::find_event(std::string_view id) const {
  auto it = events_.find(id);
  return it == events_.end() ? nullptr : &it->second;
}

json App::health() const {
  bool presence_ok = presence_->healthy();
  json mail = {{"configured", sender_.configured()}};
  if (auto counts = outbox_.counts())
    mail.update({{"pending", counts->pending}, {"sent", counts->sent}, {"failed", counts->failed}});
  const auto c = server_->connection_stats();
  json connections = {{"open", c.open},
                       {"per_address_limit", c.per_address_limit},
                       {"descriptor_limit", c.descriptor_limit},
                       {"refused", {{"descriptors", c.refused_descriptors}, {"per_address", c.refused_per_address}}},
                       {"refusing", c.refusing}};
  // Turning everyone away for want of descriptors is the server's trouble; one client over its
  // share is not.
  return {{"status", presence_ok && !c.out_of_descriptors ? "ok" : "degraded"},
          {"presence", {{"backend", presence_->backend()}, {"healthy", presence_ok}}},
          {"live",
           {{"backend", publisher_->backend()},
            {"healthy", publisher_->healthy()},
            {"alarm", !lease_ ? "alone" : lease_->held() ? "owner" : "standby"}}},
          {"connections", connections},
          {"mail", mail},
          {"events", events_.size()},
          {"websockets", server_->websocket_count()},
          {"now", format_instant(clock_.now())},
          // A set clock (--clock) is a demo's or a test's: the site says so, lest 2020 pass for today.
          {"clock", {{"set", clock_.is_simulated()}, {"speed", clock_.speed()}}}};
}

void App::add_routes() {
  router_.add("GET", "/api/health",
              [this](const net::Request&, const net::PathParams&) { return api::json_response(200, health()); });

  router_.add("GET", "/api/events", [this](const net::Request&, const net::PathParams&) {
    json list = json::array();
    for (const auto& [id, event] : events_) {
      const auto& a = event.agenda;
      list.push_back({{"id", a.id},
                      {"title", a.title},
                      {"time_zone", a.time_zone},
                      {"utc_offset", a.raw.value("utc_offset", "")}});
    }
    return api::json_response(200, {{"events", list}});
  });

  router_.add(
      "GET", "/api/events/{id}",
      [this](const net::Request& request, const net::PathParams& p) {
        const Event* event = find_event(p.get("id"));
        if (!event) return api::error_response(errors::event_not_found());
        net::Response r;
        if (request.header("if-none-match") == event->public_etag)
          r.status = 304;
        else
          r.shared_body = event->public_body;
        r.set_header("Content-Type", "application/json; charset=utf-8");
        r.set_header("Cache-Control", "no-cache");
        r.set_header("ETag", event->public_etag);
        return r;
      },
      net::BodyRule{.from_memory = true});

  router_.add("GET", "/api/events/{id}/timeline", [this](const net::Request&, const net::PathParams& p) {
    const Event* event = find_event(p.get("id"));
    if (!event) return api::error_response(errors::event_not_found());
    return api::json_response(200, event->timeline.to_json(clock_.now()));
  });

  accounts::CookiePolicy cookie{config_.cookie_secure};
  auto invite = [this](store::Tx& tx, const accounts::Invitation& invitation, std::string_view site) -> Status {
    const Event* event = find_event(invitation.grant.event_id);
    if (!event) return errors::event_not_found();
    auto letter = invitation_letter(event->agenda, invitation, site);
    if (!letter) return letter.status();
    auto queued = mail::Outbox::enqueue(tx, *letter, clock_.now());
    if (!queued) return queued.status();
    return Status::ok();
  };
  accounts::add_routes(
      router_, accounts_, cookie,
      [this](std::string_view id, std::optional<int> section) {
        const Event* event = find_event(id);
        return event && (!section || event->agenda.find_section(*section) != nullptr);
      },
      invite, [this] { sender_.wake(); });
  // One byte over the largest allowed file still reaches the check, which names the limit.
  intake::add_routes(router_, intake_, accounts_, uploads_.max_length() + 1);
  uploads::add_routes(router_, uploads_, accounts_);
  review::add_routes(router_, review_, accounts_, outbox_);
  announcements::add_routes(router_, announcements_, accounts_);
  // What the agenda still holds as placeholders, for the organiser's desk (start-up warns too).
  router_.add("GET", "/api/events/{id}/placeholders",
              accounts::organiser_only(accounts_, [this](const accounts::Identity&, const net::Request&,
                                                         const net::PathParams& p) {
                const Event* event = find_event(p.get("id"));
                if (!event) return api::error_response(errors::event_not_found());
                json list = json::array();
                for (const auto& ph : timeline::placeholders(event->agenda))
                  list.push_back({{"path", ph.path}, {"title", ph.title}, {"fields", ph.fields}});
                return api::json_response(200, {{"placeholders", list}, {"file", std::filesystem::path(event->agenda.source).filename().string()}});
              }));
  // The outbox's «Отправить ещё раз» (the list is review's GET …/review/mail).
  router_.add("POST", "/api/events/{id}/mail/{letter}/resend",
              accounts::organiser_only(accounts_, [this](const accounts::Identity&, const net::Request&,
                                                         const net::PathParams& p) {
                auto letter = api::parse_id(p.get("letter"));
                if (!letter) return api::error_response(Status::not_found("letter_not_found", "Письмо не найдено."));
                if (auto s = outbox_.resend(p.get("id"), *letter, clock_.now()); !s) return api::error_response(s);
                sender_.wake();
                return api::json_response(200, json::object());
              }));
  // Gallery readers fetch the materials of admitted practices through the uploads' file route.
  uploads_.add_read_grant([this](const accounts::Identity* who, const uploads::Upload& upload) {
    return gallery_.may_read_upload(who, upload.event_id, upload.owner_id, upload.purpose, upload.practice_id);
  });
  // The practice document's formatting (clause 6.5) is read as soon as its last byte is in, so the
  // author sees the findings beside the upload without sending the file twice.
  uploads_.add_inspector("document", "formatting", [this](const uploads::Upload& u, const std::filesystem::path& file) {
    auto checked = intake_.check_document(u.event_id, file, u.file_name);
    if (checked) return *checked;
    return nlohmann::json{{"ok", false},
                          {"findings", nlohmann::json::array()},
                          {"error", {{"code", checked.status().code()}, {"message", checked.status().message()}}}};
  });
  // Experts read the materials of the practices assigned to them.
  uploads_.add_read_grant([this](const accounts::Identity* who, const uploads::Upload& upload) {
    return review_.may_read_upload(who, upload.event_id, upload.owner_id, upload.purpose, upload.practice_id);
  });
  gallery::add_routes(router_, gallery_, accounts_, *publisher_, *presence_);
  flashmob::add_routes(router_, *flashmob_, accounts_);
  sections::add_routes(router_, *sections_, accounts_, config_.data_dir / "files");
  sections::add_speedtest_routes(router_, config_.data_dir / "tmp");
  certificates::add_routes(router_, *certificates_, accounts_);
  contest::add_routes(router_, *contest_, accounts_, [this](std::string_view id) -> const timeline::Timeline* {
    const Event* event = find_event(id);
    return event ? &event->timeline : nullptr;
  });
  reminders::add_routes(router_, *reminders_, accounts_);
  privacy::add_routes(router_, *privacy_, accounts_);
}

net::BodyPolicy App::body_policy(const net::Request& head) {
  // Refused before the body is read: a route that streams its body to disk (a tus PATCH appends
  // to the upload) would otherwise have written another site's bytes before handle() said no.
  if (auto refusal = cross_site_refusal(head, config_.allowed_origins)) {
    net::BodyPolicy refused;
    refused.refuse = with_security_headers(head, std::move(*refusal));
    refused.refuse->log.route = router_.match(head.method, head.path).pattern;
    return refused;
  }
  // The web app's files are a stat and a read from the page cache (or a sendfile() by the
  // transport): answered on the connection's strand, as nginx does on its event loop, without
  // the hop to a worker thread and back that cost more than the file itself.
  const bool api = head.path.rfind("/api/", 0) == 0 || head.path == "/api";
  if (head.path == "/metrics") return {};  // counts from the store: on a worker
  if (!api) {
    net::BodyPolicy policy;
    policy.from_memory = true;
    return policy;
  }
  auto match = router_.match(head.method, head.path);
  if (match.outcome != net::Router::Outcome::matched) return {};
  if (match.body.prepare) {
    log::RequestScope scope;  // prepare may sign the caller in
    auto policy = match.body.prepare(head, match.params);
    if (policy.refuse) {
      policy.refuse = with_security_headers(head, std::move(*policy.refuse));
      policy.refuse->log.route = match.pattern;
      policy.refuse->log.user_id = scope.user_id();
    }
    return policy;
  }
  net::BodyPolicy policy;
  policy.limit = match.body.limit;
  policy.to_file = match.body.to_file;
  policy.from_memory = match.body.from_memory;
  return policy;
}

net::Response App::handle(const net::Request& request) {
  log::RequestScope scope;  // the accounts module notes the signed-in user here
  net::Response response;
  std::string_view route = "unmatched";
  if (auto refusal = cross_site_refusal(request, config_.allowed_origins)) {
    response = std::move(*refusal);
  } else if (request.path == "/metrics") {
    route = "/metrics";
    response = operations_->metrics_response(request);
  } else if (request.path.rfind("/api/", 0) == 0 || request.path == "/api") {
    auto match = router_.match(request.method, request.path);
    switch (match.outcome) {
      case net::Router::Outcome::matched:
        route = match.pattern;
        try {
          response = (*match.handler)(request, match.params);
        } catch (const std::exception& e) {
          // Handlers answer with Status values; an exception here is a bug, not a client error.
          response = api::error_response(Status::internal("internal_error", "Внутренняя ошибка сервера."));
          response.log.detail = e.what();
        }
        break;
      case net::Router::Outcome::method_not_allowed:
        response = api::json_response(405, api::error_json(Status::bad_request(
                                               "method_not_allowed", "Этот метод не поддерживается для адреса.")));
        response.set_header("Allow", match.allowed);
        break;
      case net::Router::Outcome::no_such_path:
        response = api::error_response(Status::not_found("not_found", "Такого адреса API нет."));
        break;
    }
  } else if (auto file = web_root_.serve(request)) {
    route = "static";
    response = std::move(*file);
  } else {
    // Client-side routes (/events/irkutsk-2020) get the single page; anything else is a 404.
    auto page = is_client_route(request.path) ? web_root_.serve(index_request(request))
                                              : std::nullopt;
    if (page) route = "page";
    response = page ? std::move(*page)
                    : api::error_response(Status::not_found("not_found", "Страница не найдена."));
  }
  net::compress_answer(request, response);
  response.log.route = route;
  response.log.user_id = scope.user_id();
  return with_security_headers(request, std::move(response));
}

net::Response App::with_security_headers(const net::Request& request, net::Response response) const {
  auto framed_by = flashmob_->frame_ancestors(request.path);
  response.set_header("Content-Security-Policy",
                      framed_by ? policy_framed_by(*framed_by) : std::string(kContentSecurityPolicy));
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "same-origin");
  return response;
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
  gallery::add_live(*this, gallery_);
  add_topic("timeline", {[this](const live::Caller&, const std::vector<std::string>& parts) -> Result<json> {
                           if (parts.size() != 1) return errors::invalid_topic();
                           const Event* event = find_event(parts[0]);
                           if (!event) return errors::event_not_found();
                           return json{{"timeline", event->timeline.to_json(clock_.now())}};
                         },
                         {}});
  sections::add_live(*this, *sections_);
  certificates::add_live(*this, *certificates_);
}

// Benchmark-only topics (--bench): anyone may subscribe and publish. Off in production.
Result<json> App::publish_bench(const json& message) {
  auto topic = message.find("topic");
  if (topic == message.end() || !topic->is_string() || topic->get_ref<const std::string&>().rfind("bench:", 0) != 0)
    return Status::forbidden("forbidden", "Публиковать можно только в темы нагрузочных испытаний.");
  auto event = message.find("event");
  std::string name = event != message.end() && event->is_string() ? event->get<std::string>() : "bench";
  auto data = message.find("data");
  auto delivered = hub_.publish(topic->get<std::string>(), name, data == message.end() ? json() : *data);
  return json{{"delivered", delivered}};
}

std::variant<std::unique_ptr<net::WsContext>, net::Response> App::accept(const net::Request& upgrade) {
  if (!api::origin_allowed(upgrade, config_.allowed_origins))
    return api::error_response(Status::forbidden("bad_origin", "Подключение со страницы другого сайта отклонено."));
  auto context = std::make_unique<Subscriber>();
  if (auto token = upgrade.cookie(accounts::kSessionCookie)) {
    auto who = accounts_.authenticate(*token);
    if (who) {
      context->log_user_id = who->user.id;
      context->identity = std::move(*who);
      context->session_token = std::string(*token);
    }
  }
  return context;
}

void App::on_message(net::WsConnection& connection, net::WsContext& context, std::string_view text) {
  auto& who = static_cast<Subscriber&>(context);
  if (who.member.empty()) who.member = std::to_string(connection.id());
  if (who.identity && !who.tracked) {
    sockets_by_user_.add(who.identity->user.id, connection.shared());
    who.tracked = true;
  }
  auto request = api::parse_ws_request(text);
  if (request.problem.is_ok() && request.op != "ping" && !identity_still_holds(who)) {
    // The reply says why before the close frame does, for a client that reads replies only.
    connection.send_text(api::ws_error(session_changed(), request.re).dump(-1, ' ', false, json::error_handler_t::replace));
    connection.close(kSessionChangedClose, "session_changed");
    return;
  }
  json reply = request.problem.is_ok() ? do_op(connection, who, request) : api::ws_error(request.problem, request.re);
  connection.send_text(reply.dump(-1, ' ', false, json::error_handler_t::replace));
}

bool App::identity_still_holds(Subscriber& who) {
  if (who.session_token.empty()) return true;
  auto now = accounts_.recheck(who.session_token);
  // A store that cannot answer says nothing about the session; the operation will meet the same
  // store and fail on its own.
  if (!now) return now.status().code() != "not_authenticated";
  return now->roles == who.identity->roles;
}

void App::end_sockets_of(std::int64_t user_id) {
  for (auto& socket : sockets_by_user_.take(user_id)) socket->close(kSessionChangedClose, "session_changed");
}

json App::do_op(net::WsConnection& connection, Subscriber& who, const api::WsRequest& request) {
  const json& re = request.re;
  const json& message = request.message;
  auto fail = [&](const Status& s) { return api::ws_error(s, re); };
  auto ok = [&](json data) { return json{{"re", re}, {"ok", true}, {"data", std::move(data)}}; };
  const std::string& op = request.op;
  const live::Caller caller{who.identity, connection.id(), who.member};

  if (op == "ping") return ok({{"now", format_instant(clock_.now())}});

  if (op == "subscribe" || op == "unsubscribe") {
    auto named = api::topic_of(message);
    if (!named) return fail(named.status());
    const std::string& topic = *named;
    if (op == "unsubscribe") {
      if (who.topics.count(topic)) leave_topic(connection, who, topic);
      return ok(json::object());
    }
    auto parts = api::split_topic(topic);
    auto family = topics_.find(parts.front());
    if (family == topics_.end()) return fail(Status::not_found("unknown_topic", "Такой темы нет."));
    parts.erase(parts.begin());
    auto data = family->second.subscribe(caller, parts);
    if (!data) return fail(data.status());
    if (who.topics.count(topic)) {
      (*data)["presence"] = presence_->count(topic);
      return ok(std::move(*data));
    }
    if (who.topics.size() >= config_.ws_topics_per_connection)
      return fail(Status::too_many("too_many_topics", "Слишком много подписок в одном соединении."));
    who.topics.insert(topic);
    auto since = resubscribed_since(message);
    auto seq = publisher_->subscribe(topic, connection.shared(), since, *data);
    presence_->join(topic, who.member);
    // A resubscribe gets what it missed (or a resync event with this state) as events instead.
    json reply = since ? json{{"resumed", true}} : std::move(*data);
    reply["presence"] = presence_->count(topic);
    if (seq) reply["seq"] = *seq;
    return ok(std::move(reply));
  }
  if (op == "publish" && config_.bench_topics) {
    auto published = publish_bench(message);
    return published ? ok(std::move(*published)) : fail(published.status());
  }
  if (auto registered = ops_.find(op); registered != ops_.end()) {
    auto done = registered->second(caller, message);
    return done ? ok(std::move(*done)) : fail(done.status());
  }
  return fail(Status::bad_request("unknown_op", "Неизвестная операция."));
}

void App::leave_topic(net::WsConnection& connection, Subscriber& who, std::string topic) {
  who.topics.erase(topic);
  publisher_->unsubscribe(topic, &connection);
  presence_->leave(topic, who.member);
  auto parts = api::split_topic(topic);
  auto family = topics_.find(parts.front());
  if (family != topics_.end() && family->second.left) {
    parts.erase(parts.begin());
    family->second.left(live::Caller{who.identity, connection.id(), who.member}, parts);
  }
}

void App::on_close(net::WsConnection& connection, net::WsContext& context) {
  auto& who = static_cast<Subscriber&>(context);
  if (who.tracked) sockets_by_user_.remove(who.identity->user.id, connection.id());
  while (!who.topics.empty()) leave_topic(connection, who, *who.topics.begin());
}

}  // namespace praktika::app
