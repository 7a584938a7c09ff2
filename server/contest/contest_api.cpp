#include "contest/contest_api.h"

#include "accounts/accounts_api.h"
#include "api/http.h"
#include "common/errors.h"
#include "export/export.h"

namespace praktika::contest {

void add_routes(net::Router& router, ContestService& contest, accounts::AccountsService& accounts) {
  // Public: anyone, signed in or not; the organiser also sees the list before it is published.
  router.add("GET", "/api/events/{id}/laureates", [&contest, &accounts](const net::Request& req, const net::PathParams& p) {
    auto who = accounts::caller(accounts, req);
    return api::reply(contest.laureates(who ? &*who : nullptr, p.get("id")));
  });

  // For the regional authorities: CSV (default) or XLSX, grouped by region.
  router.add("GET", "/api/events/{id}/laureates/export",
             accounts::organiser_only(accounts, [&contest](const accounts::Identity&, const net::Request& req,
                                                           const net::PathParams& p) {
               auto format = exporting::format_from_query(req.query_param("format").value_or("csv"));
               if (!format) return api::error_response(format.status());
               if (*format == exporting::Format::json)
                 return api::error_response(errors::invalid_export_format());
               auto table = contest.laureates_by_region(p.get("id"));
               if (!table) return api::error_response(table.status());
               auto file = exporting::download(*table, *format, "laureates-" + p.get("id"));
               return file ? std::move(*file) : api::error_response(file.status());
             }));
}

}  // namespace praktika::contest
