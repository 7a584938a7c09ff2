#include "sections/sections_api.h"

#include <charconv>
#include <cctype>
#include <map>
#include <mutex>


#include "accounts/accounts_api.h"
#include "api/http.h"
#include "export/export.h"
#include "media/media.h"
#include "net/static_files.h"
#include "sections/wire.h"
#include "uploads/stored.h"

namespace praktika::sections {
namespace {

using nlohmann::json;
using api::parse_id;
using api::reply;

std::optional<std::int64_t> parse_number(std::string_view text) {
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || p != text.data() + text.size() || n <= 0 || n > 1'000'000) return std::nullopt;
  return n;
}

// A topic's snapshot: the value's JSON under `key`, or the error.
template <typename T>
Result<json> snapshot(const Result<T>& result, const char* key) {
  if (!result) return result.status();
  return json{{key, to_json(*result)}};
}

Status bad_section() { return Status::not_found("section_not_found", "Такой секции нет."); }

using Handler = std::function<net::Response(const accounts::Identity*, const net::Request&, const net::PathParams&)>;

// `required`: a signed-in caller, else 401. Otherwise anonymous callers pass with no identity.
net::RouteHandler caller_route(accounts::AccountsService& accounts, bool required, Handler handler) {
  return [&accounts, required, handler](const net::Request& req, const net::PathParams& p) {
    auto who = accounts::caller(accounts, req);
    if (!who && required) return api::error_response(who.status());
    return handler(who ? &*who : nullptr, req, p);
  };
}

using SectionHandler =
    std::function<net::Response(const accounts::Identity*, const net::Request&, const net::PathParams&, int section)>;

// The section number {n} read for the handler, else 404.
Handler on_section(SectionHandler handler) {
  return [handler](const accounts::Identity* who, const net::Request& req, const net::PathParams& p) {
    auto n = parse_number(p.get("n"));
    if (!n) return api::error_response(bad_section());
    return handler(who, req, p, static_cast<int>(*n));
  };
}

// An iCalendar file; `no-cache` so a subscribed calendar sees a moved schedule on its next poll.
net::Response calendar_response(const Result<std::string>& ics, const std::string& name) {
  if (!ics) return api::error_response(ics.status());
  net::Response r;
  r.body = *ics;
  r.set_header("Content-Type", "text/calendar; charset=utf-8");
  r.set_header("Content-Disposition", net::content_disposition("inline", name));
  r.set_header("Cache-Control", "private, no-cache");
  return r;
}

// The calendars: the event's, a section's, the caller's own, and the caller's subscription address.
void add_calendar_routes(net::Router& router, SectionService& sections, accounts::AccountsService& accounts) {
  auto with_caller = [&accounts](bool required, Handler handler) { return caller_route(accounts, required, handler); };
  router.add("GET", "/api/events/{id}/calendar.ics",
             with_caller(false, [&sections](const accounts::Identity*, const net::Request&, const net::PathParams& p) {
               return calendar_response(sections.event_calendar(p.get("id")), std::string(p.get("id")) + ".ics");
             }));
  router.add("GET", "/api/events/{id}/sections/{n}/calendar.ics",
             with_caller(false, on_section([&sections](const accounts::Identity*, const net::Request&,
                                                       const net::PathParams& p, int n) {
               return calendar_response(sections.section_calendar(p.get("id"), n),
                                        std::string(p.get("id")) + "-section-" + std::to_string(n) + ".ics");
             })));
  router.add("GET", "/api/events/{id}/calendar/mine.ics",
             with_caller(true, [&sections](const accounts::Identity* who, const net::Request&, const net::PathParams& p) {
               return calendar_response(sections.my_calendar(who->user, p.get("id")), std::string(p.get("id")) + "-mine.ics");
             }));
  router.add("GET", "/api/events/{id}/calendar/feed",
             with_caller(true, [&sections](const accounts::Identity* who, const net::Request&, const net::PathParams& p) {
               return api::reply_typed(sections.calendar_feed(who->user, p.get("id")));
             }));
  router.add("POST", "/api/events/{id}/calendar/feed",
             with_caller(true, [&sections](const accounts::Identity* who, const net::Request&, const net::PathParams& p) {
               return api::reply_typed(sections.renew_calendar_feed(who->user, p.get("id")));
             }));
  router.add("DELETE", "/api/events/{id}/calendar/feed",
             with_caller(true, [&sections](const accounts::Identity* who, const net::Request&, const net::PathParams& p) {
               auto s = sections.revoke_calendar_feed(who->user, p.get("id"));
               return s ? api::json_response(200, to_json(CalendarFeed{})) : api::error_response(s);
             }));
  // The subscription: no cookie (a calendar application polls it), the secret is the address.
  router.add("GET", "/api/calendar/{file}", [&sections](const net::Request&, const net::PathParams& p) {
    std::string file(p.get("file"));
    constexpr std::string_view kSuffix = ".ics";
    if (file.size() <= kSuffix.size() || file.compare(file.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0)
      return api::error_response(
          Status::not_found("calendar_not_found", "Календарь по этой ссылке не найден: ссылку отозвали или она неверна."));
    return calendar_response(sections.feed_calendar(file.substr(0, file.size() - kSuffix.size())), "praktika.ics");
  });
}

// A section's running order (read, drafted, edited, published), its live state and the moderators' view.
void add_schedule_routes(net::Router& router, SectionService& sections, accounts::AccountsService& accounts) {
  auto with_caller = [&accounts](bool required, Handler handler) { return caller_route(accounts, required, handler); };
  router.add("GET", "/api/events/{id}/sections/{n}/schedule",
             with_caller(false, on_section([&sections](const accounts::Identity* who, const net::Request&,
                                                       const net::PathParams& p, int n) {
               return api::reply_typed(sections.schedule(who, p.get("id"), n));
             })));
  router.add("POST", "/api/events/{id}/sections/{n}/schedule/draft",
             with_caller(true, on_section([&sections](const accounts::Identity* who, const net::Request&,
                                                      const net::PathParams& p, int n) {
               return api::reply_typed(sections.make_draft(*who, p.get("id"), n));
             })));
  router.add("PUT", "/api/events/{id}/sections/{n}/schedule",
             with_caller(true, on_section([&sections](const accounts::Identity* who, const net::Request& req,
                                                      const net::PathParams& p, int n) {
               auto body = api::parse_json_object(req);
               if (!body) return api::error_response(body.status());
               return api::reply_typed(sections.edit_draft(*who, p.get("id"), n, body->value("slots", json())));
             })));
  router.add("POST", "/api/events/{id}/sections/{n}/schedule/publish",
             with_caller(true, on_section([&sections](const accounts::Identity* who, const net::Request&,
                                                      const net::PathParams& p, int n) {
               return api::reply_typed(sections.publish_schedule(*who, p.get("id"), n));
             })));
  router.add("GET", "/api/events/{id}/sections/{n}/state",
             with_caller(false, on_section([&sections](const accounts::Identity*, const net::Request&,
                                                       const net::PathParams& p, int n) {
               return api::reply_typed(sections.state(p.get("id"), n));
             })));
  router.add("GET", "/api/events/{id}/sections/{n}/moderation",
             with_caller(true, on_section([&sections](const accounts::Identity* who, const net::Request&,
                                                      const net::PathParams& p, int n) {
               return api::reply_typed(sections.moderation(who, p.get("id"), n));
             })));
}

}  // namespace

void add_routes(net::Router& router, SectionService& sections, accounts::AccountsService& accounts,
                std::filesystem::path files_dir) {
  auto with_caller = [&accounts](bool required, Handler handler) { return caller_route(accounts, required, handler); };

  router.add("GET", "/api/events/{id}/sections",
             with_caller(false, [&sections](const accounts::Identity*, const net::Request&, const net::PathParams& p) {
               return api::reply_typed(sections.overview(p.get("id")));
             }));
  // Literal segments before {n}: the router takes the first pattern that fits.
  router.add("GET", "/api/events/{id}/sections/mine",
             with_caller(true, [&sections](const accounts::Identity* who, const net::Request&, const net::PathParams& p) {
               return api::reply_typed(sections.my_slots(*who, p.get("id")));
             }));
  router.add("GET", "/api/events/{id}/sections/attendance",
             with_caller(true, [&sections](const accounts::Identity* who, const net::Request& req,
                                           const net::PathParams& p) {
               std::optional<int> section;
               if (auto text = req.query_param("section"); text && !text->empty()) {
                 auto n = parse_number(*text);
                 if (!n) return api::error_response(bad_section());
                 section = static_cast<int>(*n);
               }
               auto format = exporting::format_from_query(req.query_param("format"));
               if (!format) return api::error_response(format.status());
               auto list = sections.attendance(*who, p.get("id"), section);
               if (!list || *format == exporting::Format::json) return api::reply_typed(list);
               exporting::Table table{"Посещаемость", {"Секция", "ФИО", "E-mail", "Вошёл", "Минут"}, {}};
               for (const auto& row : *list)
                 table.rows.push_back({row.section, row.full_name, row.email,
                                       exporting::date_time_text(row.first_joined), static_cast<int>(row.minutes)});
               std::string name = "attendance-" + p.get("id") +
                                  (section ? "-section-" + std::to_string(*section) : std::string());
               auto file = exporting::download(table, *format, name);
               if (!file) return api::error_response(file.status());
               return std::move(*file);
             }));
  add_schedule_routes(router, sections, accounts);
  add_calendar_routes(router, sections, accounts);
  router.add("POST", "/api/events/{id}/sections/{n}/actions/{action}",
             with_caller(true, on_section([&sections](const accounts::Identity* who, const net::Request& req,
                                                      const net::PathParams& p, int n) {
               json args = json::object();
               if (!req.body.empty()) {
                 auto body = api::parse_json_object(req);
                 if (!body) return api::error_response(body.status());
                 args = std::move(*body);
               }
               return api::reply_typed(sections.act(who, p.get("id"), n, p.get("action"), args));
             })));
  router.add("GET", "/api/events/{id}/sections/{n}/materials/{upload}",
             with_caller(false, on_section([&sections, files_dir](const accounts::Identity*, const net::Request& req,
                                                                  const net::PathParams& p, int n) {
               auto material = sections.material(p.get("id"), n, p.get("upload"));
               if (!material) return api::error_response(material.status());
               auto file = uploads::complete_file(files_dir, material->id);
               auto sniffed = media::sniff(file);
               std::string type(sniffed ? media::mime_type(*sniffed) : "application/octet-stream");
               net::Response r = net::file_response(req, file, type, "private, no-cache");
               r.set_header("Content-Disposition", net::content_disposition("inline", material->file_name));
               return r;
             })));
  router.add("GET", "/api/events/{id}/results",
             with_caller(false, [&sections](const accounts::Identity*, const net::Request&, const net::PathParams& p) {
               return api::reply_typed(sections.results(p.get("id")));
             }));
  router.add("PUT", "/api/events/{id}/results",
             with_caller(true, [&sections](const accounts::Identity* who, const net::Request& req, const net::PathParams& p) {
               auto body = api::parse_json_object(req);
               if (!body) return api::error_response(body.status());
               return api::reply_typed(sections.publish_results(*who, p.get("id"), *body));
             }));
}

void add_live(live::Registry& registry, SectionService& sections) {
  // "<family>:{event}:{n}" → the section number, when the parts are exactly that.
  auto section_of = [](const std::vector<std::string>& parts) -> std::optional<int> {
    if (parts.size() != 2) return std::nullopt;
    auto n = parse_number(parts[1]);
    if (!n) return std::nullopt;
    return static_cast<int>(*n);
  };
  auto identity = [](const live::Caller& c) { return c.identity; };

  registry.add_topic(
      "section",
      {[&sections, section_of](const live::Caller& caller, const std::vector<std::string>& parts) -> Result<json> {
         auto n = section_of(parts);
         if (!n) return Status::bad_request("invalid_topic", "Неверное имя темы секции: нужны мероприятие и номер секции.");
         auto state = sections.state(parts[0], *n);
         if (!state) return state.status();
         // Attendance counts people, so only signed-in viewers are recorded.
         if (caller.identity) sections.joined(*caller.identity, parts[0], *n, caller.member);
         return snapshot(state, "state");
       },
       [&sections, section_of](const live::Caller& caller, const std::vector<std::string>& parts) {
         if (auto n = section_of(parts); n && caller.identity) sections.left(parts[0], *n, caller.member);
       }});

  registry.add_topic(
      "section-moderation",
      {[&sections, section_of, identity](const live::Caller& caller,
                                         const std::vector<std::string>& parts) -> Result<json> {
         auto n = section_of(parts);
         if (!n) return Status::bad_request("invalid_topic", "Неверное имя темы модератора: нужны мероприятие и номер секции.");
         return snapshot(sections.moderation(identity(caller), parts[0], *n), "moderation");
       },
       {}});

  registry.add_topic("author", {[&sections](const live::Caller& caller,
                                            const std::vector<std::string>& parts) -> Result<json> {
                                  if (parts.size() != 2) return Status::bad_request("invalid_topic", "Неверное имя темы уведомлений: нужны мероприятие и номер пользователя.");
                                  if (!caller.identity)
                                    return Status::unauthorized("not_authenticated", "Войдите, чтобы видеть свои уведомления.");
                                  if (parts[1] != std::to_string(caller.identity->user.id))
                                    return Status::forbidden("forbidden", "Это чужие уведомления.");
                                  auto mine = sections.my_slots(*caller.identity, parts[0]);
                                  if (!mine) return mine.status();
                                  return to_json(*mine);
                                },
                                {}});

  registry.add_topic("results", {[&sections](const live::Caller&, const std::vector<std::string>& parts) -> Result<json> {
                                   if (parts.size() != 1) return Status::bad_request("invalid_topic", "Неверное имя темы итогов: нужно мероприятие.");
                                   auto results = sections.results(parts[0]);
                                   if (!results) return results.status();
                                   return to_json(*results);
                                 },
                                 {}});

  for (auto action : action_names()) {
    registry.add_op("section." + std::string(action),
                    [&sections, action, identity](const live::Caller& caller, const json& message) -> Result<json> {
                      auto event = message.find("event");
                      auto section = message.find("section");
                      if (event == message.end() || !event->is_string() || section == message.end() ||
                          !section->is_number_integer())
                        return Status::bad_request("invalid_op", "Укажите мероприятие и номер секции.");
                      auto reply = sections.act(identity(caller), event->get<std::string>(), section->get<int>(),
                                                action, message);
                      if (!reply) return reply.status();
                      return to_json(*reply);
                    });
  }
}

Arm alarm_arm(live::Alarm& alarm, SectionService& service) {
  return [&alarm, &service](const std::string& event, int section, std::optional<TimePoint> at) {
    alarm.set(live::topic::section(event, section), at, [&service, event, section] { service.on_timer(event, section); });
  };
}

}  // namespace praktika::sections
