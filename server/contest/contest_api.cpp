#include "contest/contest_api.h"

#include "accounts/accounts_api.h"
#include "api/csv.h"
#include "api/http.h"

namespace praktika::contest {

void add_routes(net::Router& router, ContestService& contest, accounts::AccountsService& accounts) {
  // Public: anyone, signed in or not; the organiser also sees the list before it is published.
  router.add("GET", "/api/events/{id}/laureates", [&contest, &accounts](const net::Request& req, const net::PathParams& p) {
    auto who = accounts::caller(accounts, req);
    return api::reply(contest.laureates(who ? &*who : nullptr, p.get("id")));
  });

  router.add("GET", "/api/events/{id}/laureates/export",
             accounts::organiser_only(accounts, [&contest](const accounts::Identity&, const net::Request& req,
                                                           const net::PathParams& p) {
               auto format = req.query_param("format").value_or("csv");
               if (format != "csv")
                 return api::error_response(
                     Status::bad_request("invalid_format", "Формат выгрузки — csv."));
               auto table = contest.laureates_by_region(p.get("id"));
               if (!table) return api::error_response(table.status());
               return api::csv_response("laureates-" + p.get("id") + ".csv", api::to_csv(table->columns, table->rows));
             }));
}

}  // namespace praktika::contest
