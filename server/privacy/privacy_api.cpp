#include "privacy/privacy_api.h"

#include <fstream>
#include <iterator>

#include "accounts/accounts_api.h"
#include "api/http.h"
#include "common/time.h"
#include "net/http_types.h"

namespace praktika::privacy {

using nlohmann::json;

void add_routes(net::Router& router, PrivacyService& privacy, accounts::AccountsService& accounts) {
  // The archive is read into the answer and its file removed at once: no copy stays on disk.
  router.add("GET", "/api/events/{id}/personal-data",
             accounts::signed_in(accounts, [&privacy](const accounts::Identity& who, const net::Request&,
                                                      const net::PathParams& p) {
               auto archive = privacy.archive(who, p.get("id"));
               if (!archive) return api::error_response(archive.status());
               net::Response r;
               {
                 std::ifstream in(archive->path, std::ios::binary);
                 r.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
               }
               std::error_code ec;
               std::filesystem::remove(archive->path, ec);
               r.set_header("Content-Type", "application/zip");
               r.set_header("Cache-Control", "private, no-store");
               r.set_header("Content-Disposition", net::content_disposition("attachment", archive->name));
               return r;
             }));

  router.add("POST", "/api/events/{id}/personal-data/withdrawal",
             accounts::signed_in(accounts, [&privacy](const accounts::Identity& who, const net::Request& req,
                                                      const net::PathParams& p) {
               auto body = api::parse_json_object(req);
               if (!body) return api::error_response(body.status());
               auto confirm = body->find("confirm");
               if (confirm == body->end() || *confirm != true)
                 return api::error_response(Status::unprocessable(
                     "confirmation_required", "Подтвердите, что отзываете согласие на обработку персональных данных."));
               if (auto s = privacy.withdraw(who, p.get("id")); !s) return api::error_response(s);
               return api::json_response(200, {{"withdrawn", true}});
             }));

  router.add("GET", "/api/events/{id}/personal-data/requests",
             accounts::organiser_only(accounts, [&privacy](const accounts::Identity&, const net::Request&,
                                                           const net::PathParams& p) {
               auto requests = privacy.requests(p.get("id"));
               if (!requests) return api::error_response(requests.status());
               json rows = json::array();
               for (const auto& r : *requests)
                 rows.push_back({{"id", r.id}, {"user", r.user_id}, {"kind", r.kind}, {"at", format_instant(r.at)}});
               return api::json_response(200, {{"requests", rows}});
             }));
}

}  // namespace praktika::privacy
