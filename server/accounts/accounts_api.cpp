#include "accounts/accounts_api.h"

#include <nlohmann/json.hpp>

#include "api/http.h"
#include "common/errors.h"

namespace praktika::accounts {
namespace {

Status user_not_found() { return Status::not_found("user_not_found", "Пользователь не найден."); }

using nlohmann::json;

std::string session_cookie(const std::string& token, const CookiePolicy& policy, int max_age) {
  std::string cookie = std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                       std::to_string(max_age);
  if (policy.secure) cookie += "; Secure";
  return cookie;
}

net::Response logged_in(AccountsService& accounts, const Session& session, const CookiePolicy& policy, int status) {
  auto roles = accounts.roles_of(session.user.id);
  Identity identity{session.user, roles ? *roles : std::vector<RoleGrant>{}};
  auto r = api::json_response(status, to_json(identity));
  // The cookie lives exactly as long as the session it names.
  auto left = std::chrono::duration_cast<std::chrono::seconds>(session.expires_at.time_since_epoch() -
                                                               std::chrono::system_clock::now().time_since_epoch());
  r.set_header("Set-Cookie", session_cookie(session.token, policy, static_cast<int>(std::max<long>(0, left.count()))));
  return r;
}

net::Response login_failure(const Status& status, std::chrono::seconds retry_after) {
  auto r = api::error_response(status);
  if (status.http_status() == 429) r.set_header("Retry-After", std::to_string(std::max<long>(1, retry_after.count())));
  return r;
}

// {email|user_id, role, section?} of a role grant or revocation. `user_id` is 0 when an e-mail
// was given that has no account: `email` then names the person to invite.
struct RoleRequest {
  std::int64_t user_id = 0;
  std::string email;
  Role role = Role::participant;
  std::optional<int> section;
};

Result<RoleRequest> read_role_request(AccountsService& accounts, const net::Request& request) {
  auto body = api::parse_json_object(request);
  if (!body) return body.status();
  RoleRequest out;
  auto role_text = api::string_field(*body, "role", "роль", 32, true);
  if (!role_text) return role_text.status();
  auto role = parse_role(*role_text);
  if (!role)
    return Status::unprocessable("invalid_role", "Роль должна быть одной из: организатор, эксперт, модератор, участник.");
  out.role = *role;
  if (auto s = body->find("section"); s != body->end() && !s->is_null()) {
    if (!s->is_number_integer()) return Status::unprocessable("invalid_section", "Номер секции должен быть числом.");
    out.section = s->get<int>();
  }
  if (auto id = body->find("user_id"); id != body->end() && id->is_number_integer()) {
    out.user_id = id->get<std::int64_t>();
    return out;
  }
  auto email = api::string_field(*body, "email", "e-mail", 320, true);
  if (!email) return email.status();
  out.email = *email;
  auto user = accounts.find_user_by_email(*email);
  if (user) {
    out.user_id = user->id;
  } else if (user.status().code() != "user_not_found") {
    return user.status();
  }
  return out;
}

// The site as the organiser's page names it: the Origin of the request (checked against the
// allowed origins before any handler runs), else the Host it was sent to.
std::string site_of(const net::Request& request) {
  if (auto origin = request.header("origin"); !origin.empty() && origin != "null") return std::string(origin);
  return "http://" + std::string(request.header("host"));
}

}  // namespace

Result<Identity> caller(AccountsService& accounts, const net::Request& request) {
  auto token = request.cookie(kSessionCookie);
  if (!token || token->empty()) return errors::not_authenticated();
  return accounts.authenticate(*token);
}

net::RouteHandler signed_in(AccountsService& accounts, CallerHandler handler) {
  return [&accounts, handler = std::move(handler)](const net::Request& req, const net::PathParams& params) {
    auto who = caller(accounts, req);
    if (!who) return api::error_response(who.status());
    return handler(*who, req, params);
  };
}

net::RouteHandler organiser_only(AccountsService& accounts, CallerHandler handler) {
  return signed_in(accounts, [handler = std::move(handler)](const Identity& who, const net::Request& req,
                                                            const net::PathParams& p) {
    if (!is_organiser(who, p.get("id")))
      return api::error_response(
          Status::forbidden("forbidden", "Этот раздел доступен только организатору мероприятия."));
    return handler(who, req, p);
  });
}

namespace {

// The caller, when they organise that event; event_not_found for an unknown one.
Result<Identity> event_organiser(AccountsService& accounts, const EventLookup& events, const net::Request& req,
                                 const std::string& event) {
  if (!events(event, std::nullopt)) return errors::event_not_found();
  auto who = caller(accounts, req);
  if (!who) return who.status();
  if (!is_organiser(*who, event)) return errors::organiser_only();
  return who;
}

// Registration, signing in and out, and who the caller is.
void add_session_routes(net::Router& router, AccountsService& accounts, CookiePolicy cookie) {
  router.add("POST", "/api/auth/register", [&accounts, cookie](const net::Request& req, const net::PathParams&) {
    auto body = api::parse_json_object(req);
    if (!body) return api::error_response(body.status());
    auto email = api::string_field(*body, "email", "e-mail", 320, true);
    if (!email) return api::error_response(email.status());
    auto name = api::string_field(*body, "full_name", "ФИО", 400, true);
    if (!name) return api::error_response(name.status());
    auto password = body->find("password");
    if (password == body->end() || !password->is_string())
      return api::error_response(Status::unprocessable("weak_password", "Придумайте пароль не короче 8 символов."));
    auto user = accounts.register_user(*email, password->get_ref<const std::string&>(), *name);
    if (!user) return api::error_response(user.status());
    std::chrono::seconds retry{0};
    auto session = accounts.login(*email, password->get_ref<const std::string&>(), req.client_address, &retry);
    if (!session) return login_failure(session.status(), retry);
    return logged_in(accounts, *session, cookie, 201);
  });

  router.add("POST", "/api/auth/login", [&accounts, cookie](const net::Request& req, const net::PathParams&) {
    auto body = api::parse_json_object(req);
    if (!body) return api::error_response(body.status());
    auto email = api::string_field(*body, "email", "e-mail", 320, true);
    if (!email) return api::error_response(email.status());
    auto password = body->find("password");
    if (password == body->end() || !password->is_string())
      return api::error_response(Status::unprocessable("invalid_field", "Введите пароль."));
    std::chrono::seconds retry{0};
    auto session = accounts.login(*email, password->get_ref<const std::string&>(), req.client_address, &retry);
    if (!session) return login_failure(session.status(), retry);
    return logged_in(accounts, *session, cookie, 200);
  });

  router.add("POST", "/api/auth/logout", [&accounts, cookie](const net::Request& req, const net::PathParams&) {
    if (auto token = req.cookie(kSessionCookie)) {
      if (auto s = accounts.logout(*token); !s) return api::error_response(s);
    }
    auto r = api::json_response(200, json::object());
    r.set_header("Set-Cookie", session_cookie("", cookie, 0));
    return r;
  });

  router.add("GET", "/api/me", [&accounts](const net::Request& req, const net::PathParams&) {
    auto who = caller(accounts, req);
    if (!who) return api::error_response(who.status());
    return api::json_response(200, to_json(*who));
  });
}

// The organiser's list of the event's roles and invitations, and granting a role or inviting to one.
void add_grant_routes(net::Router& router, AccountsService& accounts, EventLookup events, InvitationLetter letter,
                      std::function<void()> letter_queued) {
  auto organiser_only = [&accounts, events](const net::Request& req, const std::string& event) {
    return event_organiser(accounts, events, req, event);
  };

  router.add("GET", "/api/events/{id}/roles",
             [&accounts, organiser_only](const net::Request& req, const net::PathParams& params) {
               auto who = organiser_only(req, params.get("id"));
               if (!who) return api::error_response(who.status());
               auto list = accounts.list_roles(params.get("id"));
               if (!list) return api::error_response(list.status());
               json roles = json::array();
               for (const auto& a : *list) roles.push_back(to_json(a));
               auto waiting = accounts.list_invitations(params.get("id"));
               if (!waiting) return api::error_response(waiting.status());
               json invitations = json::array();
               for (const auto& i : *waiting) invitations.push_back(to_json(i));
               return api::json_response(200, {{"roles", roles}, {"invitations", invitations}});
             });

  router.add("POST", "/api/events/{id}/roles",
             [&accounts, organiser_only, events, letter, letter_queued](const net::Request& req, const net::PathParams& params) {
               auto who = organiser_only(req, params.get("id"));
               if (!who) return api::error_response(who.status());
               auto r = read_role_request(accounts, req);
               if (!r) return api::error_response(r.status());
               if (r->section && !events(params.get("id"), r->section))
                 return api::error_response(
                     Status::unprocessable("invalid_section", "В программе мероприятия нет такой секции."));
               if (r->user_id == 0 && r->email.empty())
                 return api::error_response(user_not_found());
               if (r->user_id == 0) {
                 const RoleGrant grant{params.get("id"), r->role, r->section};
                 const std::string site = site_of(req);
                 auto queue_letter = [&](store::Tx& tx, const Invitation& invitation) {
                   return letter ? letter(tx, invitation, site) : Status::ok();
                 };
                 auto invited = accounts.invite(r->email, grant, who->user.id, queue_letter);
                 if (!invited) return api::error_response(invited.status());
                 if (letter_queued) letter_queued();
                 return api::json_response(202, {{"invitation", to_json(*invited)}});
               }
               if (auto s = accounts.grant_role(r->user_id, params.get("id"), r->role, r->section); !s)
                 return api::error_response(s);
               auto user = accounts.find_user(r->user_id);
               if (!user) return api::error_response(user.status());
               RoleAssignment assignment{*user, {params.get("id"), r->role, r->section}};
               return api::json_response(201, to_json(assignment));
             });
}

// The organiser's withdrawal of a role or an invitation.
void add_revoke_routes(net::Router& router, AccountsService& accounts, EventLookup events) {
  auto organiser_only = [&accounts, events](const net::Request& req, const std::string& event) {
    return event_organiser(accounts, events, req, event);
  };

  router.add("DELETE", "/api/events/{id}/roles",
             [&accounts, organiser_only](const net::Request& req, const net::PathParams& params) {
               auto who = organiser_only(req, params.get("id"));
               if (!who) return api::error_response(who.status());
               auto r = read_role_request(accounts, req);
               if (!r) return api::error_response(r.status());
               if (r->user_id == 0 && !r->email.empty()) {
                 if (auto s = accounts.withdraw_invitation(r->email, {params.get("id"), r->role, r->section}); !s)
                   return api::error_response(s);
                 return api::json_response(200, json::object());
               }
               if (r->user_id == 0)
                 return api::error_response(user_not_found());
               if (auto s = accounts.revoke_role(r->user_id, params.get("id"), r->role, r->section); !s)
                 return api::error_response(s);
               return api::json_response(200, json::object());
             });
}

}  // namespace

void add_routes(net::Router& router, AccountsService& accounts, CookiePolicy cookie, EventLookup events,
                InvitationLetter letter, std::function<void()> letter_queued) {
  add_session_routes(router, accounts, cookie);
  add_grant_routes(router, accounts, events, std::move(letter), std::move(letter_queued));
  add_revoke_routes(router, accounts, std::move(events));
}

}  // namespace praktika::accounts
