#include "announcements/announcements_api.h"

#include "accounts/accounts_api.h"
#include "api/http.h"

namespace praktika::announcements {
namespace {

using nlohmann::json;

json to_json(const Announcement& a) {
  return {{"id", a.id}, {"title", a.title}, {"text", a.text}, {"published_at", a.published_at}};
}

}  // namespace

void add_routes(net::Router& router, AnnouncementService& announcements, accounts::AccountsService& accounts) {
  router.add("GET", "/api/events/{id}/announcements",
             [&announcements](const net::Request&, const net::PathParams& p) {
               auto list = announcements.list(p.get("id"));
               if (!list) return api::error_response(list.status());
               json out = json::array();
               for (const auto& a : *list) out.push_back(to_json(a));
               return api::json_response(200, {{"announcements", out}});
             });

  router.add("POST", "/api/events/{id}/announcements",
             accounts::organiser_only(accounts, [&announcements](const accounts::Identity& who, const net::Request& req,
                                                                 const net::PathParams& p) {
               auto body = api::parse_json_object(req);
               if (!body) return api::error_response(body.status());
               auto title = api::string_field(*body, "title", "заголовок", 4096, true);
               if (!title) return api::error_response(title.status());
               auto text = api::string_field(*body, "text", "текст объявления", 65536, true);
               if (!text) return api::error_response(text.status());
               auto r = announcements.publish(who.user, p.get("id"), *title, *text);
               if (!r) return api::error_response(r.status());
               return api::json_response(201, {{"announcement", to_json(r->announcement)}, {"letters", r->letters}});
             }));
}

}  // namespace praktika::announcements
