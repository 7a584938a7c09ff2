#include "reminders/reminders_api.h"

#include "accounts/accounts_api.h"
#include "api/http.h"

namespace praktika::reminders {

void add_routes(net::Router& router, ReminderService& reminders, accounts::AccountsService& accounts) {
  // {"warnings": [{"milestone", "title", "at", "warn_from", "deadline_text", "passed", "left": [{"count", "text"}]}]}
  router.add("GET", "/api/events/{id}/reminders",
             accounts::organiser_only(accounts, [&reminders](const accounts::Identity&, const net::Request&,
                                                             const net::PathParams& p) {
               auto found = reminders.warnings(p.get("id"));
               if (!found) return api::error_response(found.status());
               nlohmann::json out = nlohmann::json::array();
               for (const auto& w : *found) {
                 nlohmann::json left = nlohmann::json::array();
                 for (const auto& l : w.left) left.push_back({{"count", l.count}, {"text", l.text}});
                 out.push_back({{"milestone", w.milestone},
                                {"title", w.title},
                                {"at", format_instant(w.at, w.utc_offset_minutes)},
                                {"warn_from", format_instant(w.warn_from, w.utc_offset_minutes)},
                                {"deadline_text", w.deadline_text},
                                {"passed", w.passed},
                                {"left", std::move(left)}});
               }
               return api::json_response(200, {{"warnings", std::move(out)}});
             }));
}

}  // namespace praktika::reminders
