#include "contest/contest_api.h"

#include "accounts/accounts_api.h"
#include "api/http.h"
#include "common/errors.h"
#include "export/export.h"

namespace praktika::contest {
namespace {

using nlohmann::json;

// A list of some hundred institutions is tens of kilobytes; this leaves room for a spreadsheet
// with formatting and refuses anything that is plainly not such a list before it is read.
constexpr std::uint64_t kMaxTableUpload = 4u << 20;

Result<exporting::TableFormat> table_format(const net::Request& req) {
  auto format = req.query_param("format").value_or("");
  if (format.empty()) return exporting::TableFormat::detect;
  if (format == "csv") return exporting::TableFormat::csv;
  if (format == "xlsx") return exporting::TableFormat::xlsx;
  return Status::bad_request("invalid_format", "Списки загружаются в форматах CSV и XLSX.");
}

// A table as the file the request asks for: CSV (the default) or XLSX.
net::Response table_download(const net::Request& req, Result<exporting::Table> table, const std::string& name) {
  auto format = exporting::format_from_query(req.query_param("format").value_or("csv"));
  if (!format) return api::error_response(format.status());
  if (*format == exporting::Format::json) return api::error_response(errors::invalid_export_format());
  if (!table) return api::error_response(table.status());
  auto file = exporting::download(*table, *format, name);
  return file ? std::move(*file) : api::error_response(file.status());
}

json item_json(const PostItem& item) {
  return {{"practice", item.practice},
          {"institution", item.institution},
          {"head", item.head},
          {"address", item.address},
          {"outcome", item.outcome},
          {"document", item.document},
          {"sent_on", item.sent_on ? json(*item.sent_on) : json(nullptr)}};
}

// {"deadline": {"title", "at", "text", "warn_from"}, "to_send", "recipients": [...]}; instants in
// the event's offset.
json list_json(const PostList& list, const timeline::Timeline& timeline) {
  json items = json::array();
  for (const auto& item : list.items) items.push_back(item_json(item));
  return {{"deadline",
           {{"title", list.deadline_title},
            {"at", timeline.format(list.deadline)},
            {"text", list.deadline_text},
            {"warn_from", list.warn_from ? json(timeline.format(*list.warn_from)) : json(nullptr)}}},
          {"to_send", list.to_send},
          {"recipients", std::move(items)}};
}

json to_json(const PastEntry& p) {
  return {{"institution", p.institution}, {"inn", p.inn},         {"region", p.region},
          {"edition", p.edition},         {"outcome", p.outcome}, {"outcome_title", p.outcome_title}};
}

json to_json(const PastResults& r) {
  json editions = json::array();
  for (const auto& e : r.editions) editions.push_back({{"edition", e.edition}, {"count", e.count}});
  json results = json::array();
  for (const auto& p : r.results) results.push_back(to_json(p));
  return {{"source", r.source}, {"editions", editions}, {"results", results}};
}

json to_json(const PastPreview& p) {
  json rows = json::array();
  for (const auto& r : p.rows) rows.push_back(to_json(r));
  json errors = json::array();
  for (const auto& e : p.errors) errors.push_back({{"row", e.row}, {"message", e.message}});
  return {{"rows", rows}, {"errors", errors}, {"editions", p.editions}};
}

json to_json(const SavedPastResults& s) {
  json out = to_json(s.stored);
  out["saved"] = s.saved;
  out["skipped"] = s.skipped;
  out["replaced_editions"] = s.replaced_editions;
  return out;
}

json to_json(const UnsureMatch& m) {
  return {{"practice", m.practice},
          {"state", m.state},
          {"institution", m.institution},
          {"inn", m.inn},
          {"kind", m.kind},
          {"past", to_json(m.past)},
          {"past_key", m.past_key},
          {"may_apply_from", m.may_apply_from},
          {"decision", m.decision ? json(*m.decision) : json()}};
}

json to_json(const Laureates& l) {
  json columns = json::array();
  for (const auto& c : l.columns) columns.push_back({{"field", c.field}, {"label", c.label}});
  json rows = json::array();
  for (const auto& r : l.laureates)
    rows.push_back({{"practice", r.practice},
                    {"outcome", r.outcome},
                    {"outcome_title", r.outcome_title},
                    {"values", r.values},
                    {"region", r.region}});
  return {{"published", l.published},
          {"public_from", l.public_from},
          {"title", l.title},
          {"columns", columns},
          {"laureates", rows}};
}

// A service's typed answer as 200 with its JSON, or the error.
template <typename T>
net::Response reply(const Result<T>& r) {
  if (!r) return api::error_response(r.status());
  return api::json_response(200, to_json(*r));
}

// The laureates, and the printed documents sent by post.
void add_laureate_routes(net::Router& router, ContestService& contest, accounts::AccountsService& accounts,
                         TimelineOf timeline_of) {
  // Public: anyone, signed in or not; the organiser also sees the list before it is published.
  router.add("GET", "/api/events/{id}/laureates", [&contest, &accounts](const net::Request& req, const net::PathParams& p) {
    auto who = accounts::caller(accounts, req);
    return reply(contest.laureates(who ? &*who : nullptr, p.get("id")));
  });

  // For the regional authorities: CSV (default) or XLSX, grouped by region.
  router.add("GET", "/api/events/{id}/laureates/export",
             accounts::organiser_only(accounts, [&contest](const accounts::Identity&, const net::Request& req,
                                                           const net::PathParams& p) {
               return table_download(req, contest.laureates_by_region(p.get("id")), "laureates-" + p.get("id"));
             }));

  // The printed documents sent by post: the organiser's address list and marks.
  router.add("GET", "/api/events/{id}/post",
             accounts::organiser_only(accounts, [&contest, timeline_of](const accounts::Identity&, const net::Request&,
                                                                        const net::PathParams& p) {
               auto list = contest.post_list(p.get("id"));
               if (!list) return api::error_response(list.status());
               return api::json_response(200, list_json(*list, *timeline_of(p.get("id"))));
             }));

  router.add("GET", "/api/events/{id}/post/export",
             accounts::organiser_only(accounts, [&contest](const accounts::Identity&, const net::Request& req,
                                                           const net::PathParams& p) {
               return table_download(req, contest.post_table(p.get("id")), "post-" + p.get("id"));
             }));

  // {"sent_on": "2025-02-20"}: the day the envelope left; again with another day moves it.
  router.add("PUT", "/api/events/{id}/post/{practice}",
             accounts::organiser_only(accounts, [&contest](const accounts::Identity& who, const net::Request& req,
                                                           const net::PathParams& p) {
               auto practice = api::parse_id(p.get("practice"));
               if (!practice) return api::error_response(errors::practice_not_found());
               auto body = api::parse_json_object(req);
               if (!body) return api::error_response(body.status());
               auto day = api::string_field(*body, "sent_on", "день отправки", 32, true);
               if (!day) return api::error_response(day.status());
               auto item = contest.mark_sent(who.user, p.get("id"), *practice, *day);
               if (!item) return api::error_response(item.status());
               return api::json_response(200, item_json(*item));
             }));

  router.add("DELETE", "/api/events/{id}/post/{practice}",
             accounts::organiser_only(accounts, [&contest](const accounts::Identity&, const net::Request&,
                                                           const net::PathParams& p) {
               auto practice = api::parse_id(p.get("practice"));
               if (!practice) return api::error_response(errors::practice_not_found());
               auto item = contest.unmark_sent(p.get("id"), *practice);
               if (!item) return api::error_response(item.status());
               return api::json_response(200, item_json(*item));
             }));
}

// The lists of earlier editions and the matches the organiser decides.
void add_past_result_routes(net::Router& router, ContestService& contest, accounts::AccountsService& accounts) {
  // The lists of earlier editions: the organiser uploads a table (the body is the file's bytes),
  // sees what was read, then sends the same bytes again to save them.
  router.add("GET", "/api/events/{id}/contest/past-results",
             accounts::organiser_only(accounts, [&contest](const accounts::Identity&, const net::Request&,
                                                           const net::PathParams& p) {
               return reply(contest.past_results(p.get("id")));
             }));
  router.add("POST", "/api/events/{id}/contest/past-results/preview",
             accounts::organiser_only(accounts, [&contest](const accounts::Identity&, const net::Request& req,
                                                           const net::PathParams& p) {
               auto format = table_format(req);
               if (!format) return api::error_response(format.status());
               return reply(contest.preview_past_results(p.get("id"), req.body, *format));
             }),
             net::BodyRule{.limit = kMaxTableUpload});
  router.add("POST", "/api/events/{id}/contest/past-results",
             accounts::organiser_only(accounts, [&contest](const accounts::Identity& who, const net::Request& req,
                                                           const net::PathParams& p) {
               auto format = table_format(req);
               if (!format) return api::error_response(format.status());
               return reply(contest.save_past_results(who, p.get("id"), req.body, *format));
             }),
             net::BodyRule{.limit = kMaxTableUpload});
  router.add("GET", "/api/events/{id}/contest/matches",
             accounts::organiser_only(accounts, [&contest](const accounts::Identity&, const net::Request&,
                                                           const net::PathParams& p) {
               auto matches = contest.unsure_matches(p.get("id"));
               if (!matches) return api::error_response(matches.status());
               json out = json::array();
               for (const auto& m : *matches) out.push_back(to_json(m));
               return api::json_response(200, {{"matches", out}});
             }));
  router.add("PUT", "/api/events/{id}/contest/matches/{practice}",
             accounts::organiser_only(accounts, [&contest](const accounts::Identity& who, const net::Request& req,
                                                           const net::PathParams& p) {
               auto body = api::parse_json_object(req);
               if (!body) return api::error_response(body.status());
               auto practice = api::parse_id(p.get("practice"));
               if (!practice) return api::error_response(Status::not_found("practice_not_found", "Такой заявки нет."));
               auto key = api::string_field(*body, "past_key", "прошлый итог", 2000, true);
               if (!key) return api::error_response(key.status());
               auto decision = api::string_field(*body, "decision", "решение", 16, true);
               if (!decision) return api::error_response(decision.status());
               return reply(contest.decide_match(who, p.get("id"), *practice, *key, *decision));
             }));
}

}  // namespace

void add_routes(net::Router& router, ContestService& contest, accounts::AccountsService& accounts,
                TimelineOf timeline_of) {
  add_laureate_routes(router, contest, accounts, std::move(timeline_of));
  add_past_result_routes(router, contest, accounts);
}

}  // namespace praktika::contest
