// TEMPORARY, dropped at merge: the review module owns PUT
// /api/events/{id}/review/practices/{practice}/outcome. This minimal copy exists only so the
// section day's tests can admit practices on this branch; it writes practice_outcomes and
// checks nothing beyond the organiser role, the practice and the outcome's shape.
#include <charconv>

#include "accounts/accounts_api.h"
#include "api/http.h"
#include "sections/sections_api.h"
#include "store/db.h"

namespace praktika::sections {

void add_outcome_stub_for_tests(net::Router& router, store::Db& db, accounts::AccountsService& accounts,
                                const timeline::Clock& clock) {
  router.add("PUT", "/api/events/{id}/review/practices/{practice}/outcome",
             [&db, &accounts, &clock](const net::Request& req, const net::PathParams& p) {
               auto who = accounts::caller(accounts, req);
               if (!who) return api::error_response(who.status());
               if (!accounts::is_organiser(*who, p.get("id")))
                 return api::error_response(Status::forbidden("forbidden", "Только организатор."));
               std::int64_t practice = 0;
               const auto& text = p.get("practice");
               auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), practice);
               if (ec != std::errc{} || end != text.data() + text.size())
                 return api::error_response(Status::not_found("practice_not_found", "Практика не найдена."));
               auto body = api::parse_json_object(req);
               if (!body) return api::error_response(body.status());
               std::string outcome = body->value("outcome", "");
               std::string reason = body->value("reason", "");
               if (outcome != "present" && outcome != "gallery" && outcome != "rejected")
                 return api::error_response(Status::unprocessable("invalid_outcome", "Неверное решение."));
               Status s = db.transaction([&](store::Tx& tx) -> Status {
                 auto q = tx.prepare("SELECT 1 FROM practices WHERE id = ?1 AND event_id = ?2 AND state = 'submitted'");
                 q.bind_int(1, practice).bind_text(2, p.get("id"));
                 auto row = q.step();
                 if (!row) return row.status();
                 if (!*row) return Status::not_found("practice_not_found", "Практика не найдена.");
                 return tx
                     .prepare(
                         "INSERT INTO practice_outcomes (practice_id, outcome, reason, decided_by, decided_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (practice_id) DO UPDATE SET outcome = excluded.outcome, "
                         "reason = excluded.reason, decided_by = excluded.decided_by, decided_at = excluded.decided_at")
                     .bind_int(1, practice)
                     .bind_text(2, outcome)
                     .bind_text(3, reason)
                     .bind_int(4, who->user.id)
                     .bind_int(5, clock.now().time_since_epoch().count())
                     .run();
               });
               if (!s) return api::error_response(s);
               return api::json_response(200, {{"practice", practice}, {"outcome", outcome}, {"reason", reason}});
             });
}

}  // namespace praktika::sections
