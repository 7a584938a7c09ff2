#include "gallery/outcome_stub_for_tests.h"

#include "accounts/accounts_api.h"
#include "api/http.h"
#include "store/db.h"

namespace praktika::gallery {

void add_outcome_stub_route(net::Router& router, store::Db& db, accounts::AccountsService& accounts,
                            const timeline::Clock& clock) {
  router.add("PUT", "/api/events/{id}/review/practices/{practice}/outcome",
             [&db, &accounts, &clock](const net::Request& req, const net::PathParams& p) {
               auto who = accounts::caller(accounts, req);
               if (!who) return api::error_response(who.status());
               if (!accounts::is_organiser(*who, p.get("id")))
                 return api::error_response(Status::forbidden("forbidden", "Только организатор."));
               auto body = api::parse_json_object(req);
               if (!body) return api::error_response(body.status());
               std::string outcome = body->value("outcome", "");
               std::string reason = body->value("reason", "");
               if (outcome != "present" && outcome != "gallery" && outcome != "rejected")
                 return api::error_response(Status::unprocessable("invalid_outcome", "Неверное решение."));
               std::int64_t practice = std::atoll(p.get("practice").c_str());
               auto s = db.transaction([&](store::Tx& tx) {
                 return tx
                     .prepare(
                         "INSERT INTO practice_outcomes(practice_id, outcome, reason, decided_by, decided_at) "
                         "SELECT id, ?2, ?3, ?4, ?5 FROM practices WHERE id = ?1 AND event_id = ?6 "
                         "ON CONFLICT(practice_id) DO UPDATE SET outcome = excluded.outcome, reason = excluded.reason, "
                         "decided_by = excluded.decided_by, decided_at = excluded.decided_at")
                     .bind_int(1, practice)
                     .bind_text(2, outcome)
                     .bind_text(3, reason)
                     .bind_int(4, who->user.id)
                     .bind_int(5, clock.now().time_since_epoch().count())
                     .bind_text(6, p.get("id"))
                     .run();
               });
               if (!s) return api::error_response(s);
               return api::json_response(200, {{"practice", practice}, {"outcome", outcome}, {"reason", reason}});
             });
}

}  // namespace praktika::gallery
