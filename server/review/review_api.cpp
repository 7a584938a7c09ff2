#include "review/review_api.h"


#include <charconv>

#include "accounts/accounts_api.h"
#include "api/http.h"
#include "common/errors.h"
#include "common/or_null.h"
#include "intake/intake_api.h"
#include "intake/wire.h"
#include "review/wire.h"

namespace praktika::review {
namespace {

using nlohmann::json;


json wire(const ExpertCap& c) { return {{"expert", c.expert}, {"cap", or_null(c.cap)}, {"cap_set", or_null(c.cap_set)}}; }

// The person with their institution.
json wire(const Conflict::Expert& e) {
  json out = to_json(static_cast<const Person&>(e));
  out["institution"] = e.institution;
  return out;
}

json wire(const Conflict& c) {
  return {{"practice",
           {{"id", c.practice.id}, {"title", c.practice.title}, {"section", c.practice.section},
            {"institution", c.practice.institution}}},
          {"expert", wire(c.expert)},
          {"assigned", c.assigned}};
}

json wire(const std::optional<Decision>& d) {
  if (!d) return json();
  return {{"practice", d->practice},
          {"outcome", d->outcome},
          {"reason", d->reason},
          {"decided_at", d->decided_at},
          {"notified_at", or_null(d->notified_at)},
          {"decided_by", to_json(d->decided_by)}};
}

json wire(const std::vector<Decision>& decisions) {
  json list = json::array();
  for (const auto& d : decisions) list.push_back(wire(std::optional<Decision>(d)));
  return {{"outcomes", list}};
}

json wire(const Assignment& a) { return {{"practice", a.practice}, {"expert", a.expert}}; }

json wire(const AssignmentRound& round) {
  json assigned = json::array();
  for (const auto& a : round.assigned) assigned.push_back(wire(a));
  json refused = json::array();
  for (const auto& r : round.refused)
    refused.push_back({{"practice", r.practice}, {"missing", r.missing}, {"code", "expert_load_cap"}});
  json out = {{"assigned", assigned}, {"refused", refused}};
  if (!round.refused.empty())
    out["warning"] = {{"code", "expert_load_cap"},
                      {"message", "Не всем работам хватило экспертов: у подходящих экспертов достигнут предел нагрузки (работ без экспертов: " +
                                      std::to_string(round.refused.size()) + "). Увеличьте предел на доске или назначьте вручную."}};
  return out;
}

json wire(const PracticeHeading& p) {
  return {{"id", p.id}, {"title", p.title}, {"section", p.section}, {"section_title", p.section_title}};
}

json wire(const BoardPractice& p) {
  json row = wire(static_cast<const PracticeHeading&>(p));
  row["institution"] = p.institution;
  json experts = json::array();
  for (const auto& r : p.experts)
    experts.push_back({{"user", to_json(r.user)}, {"by_hand", r.by_hand}, {"conflict", r.conflict}, {"review", to_json(r.review)}});
  row["experts"] = std::move(experts);
  json conflicts = json::array();
  for (const auto& e : p.conflicts) conflicts.push_back(wire(e));
  row["conflicts"] = std::move(conflicts);
  row["outcome"] = wire(p.outcome);
  return row;
}

json wire(const BoardExpert& e) {
  return {{"user", to_json(e.user)},
          {"sections", e.sections},
          {"institution", e.institution},
          {"load", e.load},
          {"cap", or_null(e.cap)},
          {"cap_set", or_null(e.cap_set)}};
}

json wire(const Board& board) {
  json practices = json::array();
  for (const auto& p : board.practices) practices.push_back(wire(p));
  json experts = json::array();
  for (const auto& e : board.experts) experts.push_back(wire(e));
  return {{"practices", practices},
          {"experts", experts},
          {"criteria", to_json(board.criteria)},
          {"outcome_titles", board.outcome_titles},
          {"default_cap", or_null(board.default_cap)},
          {"review_open", board.review_open},
          {"review_opened", board.review_opened}};
}

// A log line's detail as written, with the agenda's words beside each decision id (the log page
// shows no id) and the account its "expert" names.
json wire(const LogEntry& e, const std::map<std::string, std::string>& outcome_titles) {
  auto titled = [&](json& detail, const char* key) {
    auto it = detail.find(key);
    if (it == detail.end() || !it->is_string()) return;
    auto title = outcome_titles.find(it->get<std::string>());
    if (title != outcome_titles.end()) detail[std::string(key) + "_title"] = title->second;
  };
  json detail = e.detail;
  if (detail.is_object()) {
    titled(detail, "decision");
    titled(detail, "outcome");
    if (auto previous = detail.find("previous"); previous != detail.end() && previous->is_object()) {
      titled(*previous, "decision");
      titled(*previous, "outcome");
    }
    if (e.expert) detail["expert_user"] = to_json(*e.expert);
  }
  return {{"id", e.id},
          {"practice", or_null(e.practice)},
          {"practice_title", or_null(e.practice_title)},
          {"actor", to_json(e.actor)},
          {"action", e.action},
          {"detail", detail},
          {"at", e.at}};
}

json wire(const ReviewLog& log) {
  json entries = json::array();
  for (const auto& e : log.entries) entries.push_back(wire(e, log.outcome_titles));
  return {{"entries", entries}};
}

json wire(const Notifications& n) {
  json institutions = json::array();
  for (const auto& l : n.institutions)
    institutions.push_back(
        {{"institution", l.institution}, {"recipients", l.recipients}, {"practices", l.practices}, {"queued", l.queued}});
  return {{"queued", n.queued}, {"institutions", institutions}, {"undecided", n.undecided}};
}

json wire(const ExpertQueue& q) {
  json practices = json::array();
  for (const auto& p : q.practices) {
    practices.push_back(wire(static_cast<const PracticeHeading&>(p)));
    practices.back()["review"] = to_json(p.review);
  }
  return {{"practices", practices}, {"review_open", q.review_open}, {"criteria", to_json(q.criteria)}};
}

json wire(const ExpertReview& r) { return to_json(std::optional<ExpertReview>(r)); }

// A service's answer as a response: `status` with its JSON, or the error.
template <typename T>
net::Response reply_as(const Result<T>& result, int status = 200) {
  if (!result) return api::error_response(result.status());
  return api::json_response(status, wire(*result));
}

// Checked before a body is read, so a stranger learns nothing from validation errors.
Status expert_or_organiser(const accounts::Identity& who, std::string_view event_id) {
  if (accounts::has_role(who, event_id, accounts::Role::expert) || accounts::is_organiser(who, event_id))
    return Status::ok();
  return Status::forbidden("forbidden", "Этот раздел доступен только экспертам мероприятия.");
}

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
               return reply_as(review.set_outcome(who.user, p.get("id"), id, *outcome, *reason));
             })));

  router.add("GET", "/api/events/{id}/review/outcomes",
             organiser([&review](const accounts::Identity&, const net::Request&, const net::PathParams& p) {
               return reply_as(review.outcomes(p.get("id")));
             }));

  router.add("GET", "/api/events/{id}/review/board",
             organiser([&review](const accounts::Identity&, const net::Request&, const net::PathParams& p) {
               return reply_as(review.board(p.get("id")));
             }));

  router.add("GET", "/api/events/{id}/review/log",
             organiser([&review](const accounts::Identity&, const net::Request&, const net::PathParams& p) {
               return reply_as(review.log(p.get("id")));
             }));
}

// The organiser's assignment of experts.
void add_assignment_routes(net::Router& router, ReviewService& review, accounts::AccountsService& accounts) {
  auto organiser = [&accounts](accounts::CallerHandler handler) {
    return accounts::organiser_only(accounts, std::move(handler));
  };

  router.add("POST", "/api/events/{id}/review/assign",
             organiser([&review](const accounts::Identity& who, const net::Request&, const net::PathParams& p) {
               return reply_as(review.assign(who.user, p.get("id")));
             }));

  router.add("POST", "/api/events/{id}/review/practices/{practice}/experts",
             organiser(intake::on_practice(true, [&review](const accounts::Identity& who, const net::Request&,
                                                           const net::PathParams& p,
                                                   std::int64_t id, const json& body) {
               auto expert = body.find("expert");
               if (expert == body.end() || !expert->is_number_integer())
                 return api::error_response(
                     Status::unprocessable("invalid_field", "Укажите эксперта."));
               return reply_as(review.add_expert(who.user, p.get("id"), id, expert->get<std::int64_t>()), 201);
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
               return reply_as(review.send_notifications(who.user, p.get("id")));
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
              {"review", to_json(r.review)},
              {"criteria", to_json(r.criteria)},
              {"review_open", r.review_open}};
  if (!r.reviews) return out;
  json reviews = json::array();
  for (const auto& e : *r.reviews) reviews.push_back({{"user", to_json(e.user)}, {"review", to_json(e.review)}});
  out["reviews"] = std::move(reviews);
  return out;
}

// The expert's queue and reviews.
void add_expert_routes(net::Router& router, ReviewService& review, accounts::AccountsService& accounts) {
  auto signed_in = [&accounts](accounts::CallerHandler handler) {
    return accounts::signed_in(accounts, std::move(handler));
  };

  router.add("GET", "/api/events/{id}/review/queue",
             signed_in([&review](const accounts::Identity& who, const net::Request&, const net::PathParams& p) {
               return reply_as(review.queue(who, p.get("id")));
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
               return reply_as(review.save_review(who, p.get("id"), id, *decision, *reason, body.value("scores", json())));
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
