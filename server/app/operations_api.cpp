// The organiser's live view on the wire: its route, its topic and the JSON of OperationsView.
#include "app/operations.h"

#include "accounts/accounts_api.h"
#include "api/http.h"
#include "common/errors.h"

namespace praktika::app {
namespace {

using nlohmann::json;

constexpr std::string_view kTopicFamily = "operations";

json jobs_json(const std::optional<OperationsView::Jobs>& jobs) {
  if (!jobs) return json::object();
  return {{"queued", jobs->queued}, {"running", jobs->running}, {"failed", jobs->failed}};
}

json problem_json(const OperationsView::Problem& p) {
  json out = {{"code", p.code}, {"title", p.title}, {"action", p.action}, {"count", p.count}};
  if (p.first) out["first"] = *p.first;
  if (p.last) out["last"] = *p.last;
  return out;
}

}  // namespace

json to_json(const OperationsView& view) {
  json pages = json::array();
  for (const auto& p : view.pages)
    pages.push_back({{"page", p.page}, {"title", p.title}, {"connections", p.connections}, {"viewers", p.viewers}});
  json sections = json::array();
  for (const auto& s : view.sections)
    sections.push_back({{"number", s.number}, {"title", s.title}, {"connections", s.connections}, {"viewers", s.viewers}});
  json mail = {{"configured", view.mail.configured}};
  if (view.mail.counted) mail.update({{"pending", view.mail.pending}, {"failed", view.mail.failed}, {"sent", view.mail.sent}});
  if (view.mail.oldest_pending_at) mail["oldest_pending_at"] = *view.mail.oldest_pending_at;
  json problems = json::array();
  for (const auto& p : view.problems) problems.push_back(problem_json(p));
  return {{"at", view.at},
          {"connections", {{"websockets", view.websockets}, {"open", view.open_connections}}},
          {"presence", {{"backend", view.presence_backend}, {"healthy", view.presence_healthy}}},
          {"pages", pages},
          {"sections", sections},
          {"mail", mail},
          {"conversions", jobs_json(view.conversions)},
          {"certificates", jobs_json(view.certificates)},
          {"problems", problems}};
}

void Operations::add_routes(net::Router& router, accounts::AccountsService& accounts) {
  router.add("GET", "/api/events/{id}/operations",
             accounts::organiser_only(accounts, [this](const accounts::Identity&, const net::Request&,
                                                       const net::PathParams& p) {
               auto view = snapshot(p.get("id"));
               return view ? api::json_response(200, {{"operations", to_json(*view)}})
                           : api::error_response(view.status());
             }));
}

void Operations::add_live(live::Registry& registry) {
  // One short read per subscribe, as other topics' policies: the snapshot's SQL is three small
  // counting queries.
  registry.add_topic(std::string(kTopicFamily),
                     {[this](const live::Caller& caller, const std::vector<std::string>& parts) -> Result<json> {
                        if (parts.size() != 1) return errors::invalid_topic();
                        if (!s_.find_event(parts[0])) return errors::event_not_found();
                        if (!caller.identity) return errors::not_authenticated();
                        if (!accounts::is_organiser(*caller.identity, parts[0])) return errors::organiser_only();
                        auto view = snapshot(parts[0]);
                        if (!view) return view.status();
                        return json{{"operations", to_json(*view)}};
                      },
                      {}});
}

}  // namespace praktika::app
