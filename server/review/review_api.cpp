#include "review/review_api.h"

#include <charconv>

#include "accounts/accounts_api.h"
#include "api/http.h"
#include "common/errors.h"
#include "intake/intake_api.h"
#include "intake/wire.h"

namespace praktika::review {
namespace {

nlohmann::json wire(const ExpertCap& c) {
  auto optional = [](std::optional<int> n) { return n ? nlohmann::json(*n) : nlohmann::json(); };
  return {{"expert", c.expert}, {"cap", optional(c.cap)}, {"cap_set", optional(c.cap_set)}};
}

nlohmann::json wire(const Conflict& c) {
  nlohmann::json expert = {{"id", c.expert.id}, {"institution", c.expert.institution}};
  if (c.expert.email) expert["email"] = *c.expert.email;
  if (c.expert.full_name) expert["full_name"] = *c.expert.full_name;
  return {{"practice",
           {{"id", c.practice.id}, {"title", c.practice.title}, {"section", c.practice.section},
            {"institution", c.practice.institution}}},
          {"expert", std::move(expert)},
          {"assigned", c.assigned}};
}

// Checked before a body is read, so a stranger learns nothing from validation errors.
Status expert_or_organiser(const accounts::Identity& who, std::string_view event_id) {
  if (accounts::has_role(who, event_id, accounts::Role::expert) || accounts::is_organiser(who, event_id))
    return Status::ok();
  return Status::forbidden("forbidden", "Этот раздел доступен только экспертам мероприятия.");
}

using nlohmann::json;
using api::parse_id;
using api::reply;

// Which decisions exist is the agenda's: the service checks the value.
Result<std::string> decision_of(const json& body, const char* key) {
  return api::string_field(body, key, "решение", 64, true);
}

// The organiser's decisions, the board and the log.
void add_decision_routes(net::Router& router, ReviewService& review, accounts::AccountsService& accounts) {
  auto organiser = [&accounts](accounts::CallerHandler handler) {
    return accounts::organiser_only(accounts, std::move(handler));
  };

  router.add("PUT", "/api/events/{id}/review/practices/{practice}/outcome",
             organiser(intake::on_practice(true, [&review](const accounts::Identity& who, const net::Request&,
                                                           const net::PathParams& p,
                                                                std::int64_t id, const json& body) {
               auto outcome = decision_of(body, "outcome");
               if (!outcome) return api::error_response(outcome.status());
               auto reason = api::string_field(body, "reason", "причина", 4000, false);
               if (!reason) return api::error_response(reason.status());
               return reply(review.set_outcome(who.user, p.get("id"), id, *outcome, *reason));
             })));

  router.add("GET", "/api/events/{id}/review/outcomes",
             organiser([&review](const accounts::Identity&, const net::Request&, const net::PathParams& p) {
               return reply(review.outcomes(p.get("id")));
             }));

  router.add("GET", "/api/events/{id}/review/board",
             organiser([&review](const accounts::Identity&, const net::Request&, const net::PathParams& p) {
               return reply(review.board(p.get("id")));
             }));

  router.add("GET", "/api/events/{id}/review/log",
             organiser([&review](const accounts::Identity&, const net::Request&, const net::PathParams& p) {
               return reply(review.log(p.get("id")));
             }));
}

// The organiser's assignment of experts.
void add_assignment_routes(net::Router& router, ReviewService& review, accounts::AccountsService& accounts) {
  auto organiser = [&accounts](accounts::CallerHandler handler) {
    return accounts::organiser_only(accounts, std::move(handler));
  };

  router.add("POST", "/api/events/{id}/review/assign",
             organiser([&review](const accounts::Identity& who, const net::Request&, const net::PathParams& p) {
               return reply(review.assign(who.user, p.get("id")));
             }));

  router.add("POST", "/api/events/{id}/review/practices/{practice}/experts",
             organiser(intake::on_practice(true, [&review](const accounts::Identity& who, const net::Request&,
                                                           const net::PathParams& p,
                                                   std::int64_t id, const json& body) {
               auto expert = body.find("expert");
               if (expert == body.end() || !expert->is_number_integer())
                 return api::error_response(
                     Status::unprocessable("invalid_field", "Укажите эксперта."));
               return reply(review.add_expert(who.user, p.get("id"), id, expert->get<std::int64_t>()), 201);
             })));

  router.add("DELETE", "/api/events/{id}/review/practices/{practice}/experts/{expert}",
             organiser(intake::on_practice(false, [&review](const accounts::Identity& who, const net::Request&,
                                                            const net::PathParams& p,
                                                    std::int64_t id, const json&) {
               auto expert = parse_id(p.get("expert"));
               if (!expert)
                 return api::error_response(Status::not_found("assignment_not_found", "Эксперт не назначен."));
               auto s = review.remove_expert(who.user, p.get("id"), id, *expert);
               return s ? api::json_response(200, json::object()) : api::error_response(s);
             })));

  router.add("PUT", "/api/events/{id}/review/experts/{expert}/cap",
             organiser([&review](const accounts::Identity& who, const net::Request& req, const net::PathParams& p) {
               auto expert = parse_id(p.get("expert"));
               if (!expert) return api::error_response(Status::not_found("not_an_expert", "Этот человек не эксперт мероприятия."));
               auto body = api::parse_json_object(req);
               if (!body) return api::error_response(body.status());
               auto max = body->find("max_practices");
               if (max == body->end() || !(max->is_null() || max->is_number_integer()))
                 return api::error_response(Status::unprocessable(
                     "invalid_field", "Укажите предел нагрузки: целое число работ или пусто (как в положении)."));
               std::optional<int> cap;
               if (max->is_number_integer()) {
                 auto n = max->get<std::int64_t>();
                 if (n < 0 || n > 1000)
                   return api::error_response(
                       Status::unprocessable("invalid_field", "Предел нагрузки — целое число от 0 до 1000."));
                 cap = static_cast<int>(n);
               }
               auto set = review.set_cap(who.user, p.get("id"), *expert, cap);
               if (!set) return api::error_response(set.status());
               return api::json_response(200, wire(*set));
             }));
}

// Conflicts of interest and the letters to institutions.
void add_notification_routes(net::Router& router, ReviewService& review, accounts::AccountsService& accounts,
                             mail::Outbox& outbox) {
  auto organiser = [&accounts](accounts::CallerHandler handler) {
    return accounts::organiser_only(accounts, std::move(handler));
  };

  router.add("GET", "/api/events/{id}/review/conflicts",
             organiser([&review](const accounts::Identity&, const net::Request&, const net::PathParams& p) {
               auto found = review.conflicts(p.get("id"));
               if (!found) return api::error_response(found.status());
               nlohmann::json list = nlohmann::json::array();
               for (const auto& c : *found) list.push_back(wire(c));
               return api::json_response(200, {{"conflicts", list}});
             }));

  router.add("POST", "/api/events/{id}/review/notifications",
             organiser([&review](const accounts::Identity& who, const net::Request&, const net::PathParams& p) {
               return reply(review.send_notifications(who.user, p.get("id")));
             }));

  router.add("GET", "/api/events/{id}/review/mail",
             organiser([&review, &outbox](const accounts::Identity&, const net::Request&, const net::PathParams& p) {
               auto event = review.event(p.get("id"));
               if (!event) return api::error_response(event.status());
               const auto& timeline = *event->timeline;
               auto list = outbox.list(p.get("id"));
               if (!list) return api::error_response(list.status());
               json out = json::array();
               for (const auto& m : *list)
                 out.push_back({{"id", m.id},
                                {"recipients", m.message.recipients},
                                {"subject", m.message.subject},
                                {"state", m.state},
                                {"attempts", m.attempts},
                                {"last_error", m.last_error.empty() ? json() : json(m.last_error)},
                                {"created_at", timeline.format(m.created_at)},
                                {"sent_at", m.sent_at ? json(timeline.format(*m.sent_at)) : json()}});
               return api::json_response(200, {{"messages", out}});
             }));
}

// {"practice","review","criteria","review_open"}, and "reviews" for the organiser.
json wire(const ReviewedPractice& r) {
  json out = {{"practice", intake::to_json(r.practice)},
              {"review", r.review},
              {"criteria", r.criteria},
              {"review_open", r.review_open}};
  if (r.reviews) out["reviews"] = *r.reviews;
  return out;
}

// The expert's queue and reviews.
void add_expert_routes(net::Router& router, ReviewService& review, accounts::AccountsService& accounts) {
  auto signed_in = [&accounts](accounts::CallerHandler handler) {
    return accounts::signed_in(accounts, std::move(handler));
  };

  router.add("GET", "/api/events/{id}/review/queue",
             signed_in([&review](const accounts::Identity& who, const net::Request&, const net::PathParams& p) {
               return reply(review.queue(who, p.get("id")));
             }));

  router.add("GET", "/api/events/{id}/review/practices/{practice}",
             signed_in(intake::on_practice(false, [&review](const accounts::Identity& who, const net::Request&,
                                                            const net::PathParams& p,
                                                    std::int64_t id, const json&) {
               if (auto s = expert_or_organiser(who, p.get("id")); !s) return api::error_response(s);
               auto practice = review.practice(who, p.get("id"), id);
               return practice ? api::json_response(200, wire(*practice)) : api::error_response(practice.status());
             })));

  router.add("PUT", "/api/events/{id}/review/practices/{practice}/review",
             signed_in(intake::on_practice(true, [&review](const accounts::Identity& who, const net::Request&,
                                                                const net::PathParams& p, std::int64_t id,
                                                                const json& body) {
               if (auto s = expert_or_organiser(who, p.get("id")); !s) return api::error_response(s);
               auto decision = decision_of(body, "decision");
               if (!decision) return api::error_response(decision.status());
               auto reason = api::string_field(body, "reason", "причина", 4000, false);
               if (!reason) return api::error_response(reason.status());
               return reply(review.save_review(who, p.get("id"), id, *decision, *reason, body.value("scores", json())));
             })));
}

}  // namespace

void add_routes(net::Router& router, ReviewService& review, accounts::AccountsService& accounts, mail::Outbox& outbox) {
  add_decision_routes(router, review, accounts);
  add_assignment_routes(router, review, accounts);
  add_notification_routes(router, review, accounts, outbox);
  add_expert_routes(router, review, accounts);
}

}  // namespace praktika::review
