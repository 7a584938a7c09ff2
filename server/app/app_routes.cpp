// App's HTTP side: its own routes (health, events, accounts, the outbox), every stage's, and the
// answer to each request with its security headers.
#include <cctype>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "accounts/accounts_api.h"
#include "api/http.h"
#include "app/app.h"
#include "common/errors.h"
#include "log/log.h"
#include "mail/template.h"
#include "net/encoding.h"

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

// The Content-Security-Policy and its companions, made once for all the answers that carry them.
std::shared_ptr<const net::Headers> security_headers(std::string policy) {
  return std::make_shared<const net::Headers>(net::Headers{{"Content-Security-Policy", std::move(policy)},
                                                           {"X-Content-Type-Options", "nosniff"},
                                                           {"Referrer-Policy", "same-origin"}});
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

void App::add_routes() {
  add_event_routes();
  add_account_routes();
  add_mail_routes();
  for (const auto& stage : stages_) stage->add_routes(router_, *services_);
}

void App::add_event_routes() {
  router_.add("GET", "/api/health",
              [this](const net::Request&, const net::PathParams&) { return api::json_response(200, health()); });
  router_.add("GET", "/api/events", [this](const net::Request&, const net::PathParams&) {
    json list = json::array();
    for (const auto& event : events_.all()) {
      const auto& a = *event.agenda;
      list.push_back({{"id", a.id}, {"title", a.title}, {"time_zone", a.time_zone}, {"utc_offset", a.raw.value("utc_offset", "")}});
    }
    return api::json_response(200, {{"events", list}});
  });
  router_.add(
      "GET", "/api/events/{id}",
      [this](const net::Request& request, const net::PathParams& p) {
        auto event = public_events_.find(p.get("id"));
        if (event == public_events_.end()) return api::error_response(errors::event_not_found());
        net::Response r;
        if (request.header("if-none-match") == event->second.etag)
          r.status = 304;
        else
          r.shared_body = event->second.body;
        r.set_header("Content-Type", "application/json; charset=utf-8");
        r.set_header("Cache-Control", "no-cache");
        r.set_header("ETag", event->second.etag);
        return r;
      },
      net::BodyRule{.from_memory = true});
  router_.add("GET", "/api/events/{id}/timeline", [this](const net::Request&, const net::PathParams& p) {
    auto event = find_event(p.get("id"));
    if (!event) return api::error_response(errors::event_not_found());
    return api::json_response(200, event->timeline->to_json(clock_.now()));
  });
  // What the agenda still holds as placeholders, for the organiser's desk (start-up warns too).
  router_.add("GET", "/api/events/{id}/placeholders",
              accounts::organiser_only(accounts_, [this](const accounts::Identity&, const net::Request&,
                                                         const net::PathParams& p) {
                auto event = find_event(p.get("id"));
                if (!event) return api::error_response(errors::event_not_found());
                json list = json::array();
                for (const auto& ph : timeline::placeholders(*event->agenda))
                  list.push_back({{"path", ph.path}, {"title", ph.title}, {"fields", ph.fields}});
                return api::json_response(200, {{"placeholders", list}, {"file", std::filesystem::path(event->agenda->source).filename().string()}});
              }));
}

void App::add_account_routes() {
  accounts::CookiePolicy cookie{config_.cookie_secure};
  auto invite = [this](store::Tx& tx, const accounts::Invitation& invitation, std::string_view site) -> Status {
    auto event = find_event(invitation.grant.event_id);
    if (!event) return errors::event_not_found();
    auto letter = invitation_letter(*event->agenda, invitation, site);
    if (!letter) return letter.status();
    auto queued = mail::Outbox::enqueue(tx, *letter, clock_.now());
    if (!queued) return queued.status();
    return Status::ok();
  };
  accounts::add_routes(
      router_, accounts_, cookie,
      [this](std::string_view id, std::optional<int> section) {
        auto event = find_event(id);
        return event && (!section || event->agenda->find_section(*section) != nullptr);
      },
      invite, [this] { sender_.wake(); });
}

void App::add_mail_routes() {
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
  std::string_view route = "unmatched";
  net::Response response = dispatch(request, route);
  net::compress_answer(request, response);
  response.log.route = route;
  response.log.user_id = scope.user_id();
  return with_security_headers(request, std::move(response));
}

// The answer before compression and headers; `route` names what answered, for logs and metrics.
net::Response App::dispatch(const net::Request& request, std::string_view& route) {
  net::Response response;
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
  return response;
}

void App::allow_framing(std::string path, std::string ancestors) {
  framed_.insert_or_assign(std::move(path), security_headers(policy_framed_by(ancestors)));
}

net::Response App::with_security_headers(const net::Request& request, net::Response response) const {
  static const auto kEverywhere = security_headers(std::string(kContentSecurityPolicy));
  auto framed = framed_.find(request.path);
  response.shared_headers = framed != framed_.end() ? framed->second : kEverywhere;
  return response;
}

}  // namespace praktika::app
