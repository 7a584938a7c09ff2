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

namespace {

// {"kinds": [{"kind", "title", "description", "enabled", "next_at", "people", "sent", "hours_before"}]}
net::Response kinds_response(ParticipantReminders& reminders, std::string_view event) {
  auto found = reminders.schedule(event);
  if (!found) return api::error_response(found.status());
  const timeline::Agenda* agenda = reminders.agenda(event);
  const int offset = agenda ? agenda->utc_offset_minutes : 0;
  nlohmann::json kinds = nlohmann::json::array();
  for (const auto& k : *found)
    kinds.push_back({{"kind", std::string(kind_id(k.kind))},
                     {"title", k.title},
                     {"description", k.description},
                     {"enabled", k.enabled},
                     {"next_at", k.next_at ? nlohmann::json(format_instant(*k.next_at, offset)) : nlohmann::json(nullptr)},
                     {"people", k.people},
                     {"sent", k.sent},
                     {"hours_before", k.hours_before}});
  return api::json_response(200, {{"kinds", std::move(kinds)}});
}

}  // namespace

void add_participant_routes(net::Router& router, ParticipantReminders& reminders, accounts::AccountsService& accounts) {
  router.add("GET", "/api/events/{id}/reminders/participants",
             accounts::organiser_only(accounts, [&reminders](const accounts::Identity&, const net::Request&,
                                                             const net::PathParams& p) {
               return kinds_response(reminders, p.get("id"));
             }));
  // {"enabled": true | false}
  router.add("PUT", "/api/events/{id}/reminders/participants/{kind}",
             accounts::organiser_only(accounts, [&reminders](const accounts::Identity& who, const net::Request& request,
                                                             const net::PathParams& p) {
               auto body = api::parse_json_object(request);
               if (!body) return api::error_response(body.status());
               auto enabled = body->find("enabled");
               if (enabled == body->end() || !enabled->is_boolean())
                 return api::error_response(Status::unprocessable(
                     "invalid_reminder_switch", "Укажите, включено напоминание или выключено."));
               if (auto s = reminders.set_enabled(who, p.get("id"), p.get("kind"), enabled->get<bool>()); !s)
                 return api::error_response(s);
               return kinds_response(reminders, p.get("id"));
             }));
}

}  // namespace praktika::reminders
