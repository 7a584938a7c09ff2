#include "gallery/gallery_api.h"

#include <algorithm>
#include <charconv>

#include "accounts/accounts_api.h"
#include "api/http.h"
#include "common/errors.h"
#include "gallery/wire.h"
#include "intake/wire.h"
#include "net/static_files.h"

namespace praktika::gallery {
namespace {

Status comment_not_found() { return Status::not_found("comment_not_found", "Комментарий не найден."); }

using nlohmann::json;
using api::parse_id;
using api::reply;

constexpr std::size_t kMaxQueryBytes = 400;
constexpr std::size_t kBusiestShown = 20;

// The caller when signed in; nothing for an anonymous visitor (the public gallery).
std::optional<accounts::Identity> optional_caller(accounts::AccountsService& accounts, const net::Request& req) {
  auto who = accounts::caller(accounts, req);
  if (!who) return std::nullopt;
  return std::move(*who);
}

Status bad_filter(std::string message) { return Status::bad_request("invalid_filter", std::move(message)); }

Result<Filter> read_filter(const net::Request& req) {
  Filter f;
  f.q = req.query_param("q").value_or("");
  f.target = req.query_param("target").value_or("");
  f.type = req.query_param("type").value_or("");
  if (f.q.size() > kMaxQueryBytes || f.target.size() > kMaxQueryBytes) return bad_filter("Слишком длинный запрос.");
  auto number = [&](const char* name, const char* what) -> Result<std::optional<int>> {
    auto text = req.query_param(name);
    if (!text || text->empty()) return std::optional<int>{};
    auto n = parse_id(*text);
    if (!n || *n > 100000) return bad_filter(std::string("Неверное значение: ") + what + ".");
    return std::optional<int>(static_cast<int>(*n));
  };
  auto section = number("section", "секция");
  if (!section) return section.status();
  auto year = number("year", "год");
  if (!year) return year.status();
  auto page = number("page", "страница");
  if (!page) return page.status();
  f.section = *section;
  f.year = *year;
  f.page = page->value_or(1);
  return f;
}

json wire(const SectionCount& s) { return {{"number", s.number}, {"title", s.title}, {"practices", s.practices}}; }

json wire(const PreviewPages& p) { return {{"pages", p.pages}, {"width", p.width}, {"urls", p.urls}}; }

json wire(const Discussion& d) {
  json comments = json::array();
  for (const auto& c : d.comments) comments.push_back(wire(c));
  return {{"comments", comments},
          {"writable", d.writable},
          {"moderator", d.moderator},
          {"max_chars", d.max_chars},
          {"may_flag", d.may_flag},
          {"flagged", d.flagged}};
}

// Each comment as its moderators read it, with "practice_title", "section", "flags" (open),
// "reasons" {id: count} and "flagged_at".
json wire(const std::vector<FlaggedComment>& list) {
  json comments = json::array();
  for (const auto& f : list) {
    json item = wire(f.comment);
    item["practice_title"] = f.practice_title;
    item["section"] = f.section;
    item["flags"] = f.flags;
    item["reasons"] = f.reasons;
    item["flagged_at"] = f.flagged_at ? json(*f.flagged_at) : json();
    comments.push_back(std::move(item));
  }
  return {{"comments", comments}};
}

// A service's answer as a response: 200 with its JSON, or the error.
template <typename T>
net::Response reply_as(const Result<T>& result) {
  if (!result) return api::error_response(result.status());
  return api::json_response(200, wire(*result));
}

// A comment's text from the body: any string (the service trims and measures it).
Result<std::string> comment_text(const json& body) {
  auto text = body.find("text");
  if (text == body.end() || text->is_null()) return std::string();
  if (!text->is_string()) return Status::unprocessable("empty_comment", "Текст комментария должен быть строкой.");
  return text->get<std::string>();
}

// A practice page's file: {"id","purpose","kind","file_name","length","url"}, a document's "preview"
// and, for its author and the organiser, "format" (the check, or {"ok":false,"findings":[],"error"}).
json wire(const GalleryFile& f, std::string_view event_id, std::int64_t practice) {
  const uploads::StoredFile& file = f.file;
  json out = {{"id", file.id},
              {"purpose", file.purpose},
              {"kind", file.verdict.is_object() ? file.verdict.value("kind", json()) : json()},
              {"file_name", file.file_name},
              {"length", file.length},
              {"url", "/api/uploads/" + file.id + "/file"}};
  if (f.format)
    out["format"] = *f.format ? intake::to_json(**f.format)
                              : json{{"ok", false}, {"findings", json::array()}, {"error", f.format->status().code()}};
  if (f.document)
    out["preview"] = "/api/events/" + std::string(event_id) + "/gallery/practices/" + std::to_string(practice) +
                     "/files/" + file.id + "/pages";
  return out;
}

// The summary's fields with "event", "answers", "owner", "files", "comments_open" and "topic".
json wire(const GalleryPractice& p) {
  json out = wire(p.summary);
  out["event"] = p.event_id;
  out["answers"] = p.answers;
  out["owner"] = {{"id", p.owner_id}, {"full_name", p.owner_name}};
  json files = json::array();
  for (const auto& f : p.files) files.push_back(wire(f, p.event_id, p.summary.id));
  out["files"] = std::move(files);
  out["comments_open"] = p.comments_open;
  out["topic"] = p.topic;
  return out;
}

// The intake's answer for the caller's practices, each with "outcome" (the decision, or null) and
// "in_gallery", and "gallery": {"readable","open","opens"}.
json wire(const Cabinet& c) {
  json out = intake::to_json(c.mine);
  for (std::size_t i = 0; i < c.decisions.size(); ++i) {
    json& p = out["practices"][i];
    const auto& d = c.decisions[i].decision;
    p["outcome"] = d ? json{{"outcome", d->outcome}, {"reason", d->reason}, {"decided_at", d->decided_at}} : json();
    p["in_gallery"] = c.decisions[i].in_gallery;
  }
  out["gallery"] = {{"readable", c.gallery_readable},
                    {"open", c.gallery_open},
                    {"opens", c.gallery_opens ? json(*c.gallery_opens) : json()}};
  return out;
}

// The gallery as anyone browses it, each practice and section with its viewers now.
void add_browse_routes(net::Router& router, GalleryService& gallery, accounts::AccountsService& accounts,
                       const presence::Presence& presence) {
  auto viewers = [&presence](const std::string& topic) { return presence.count(topic); };

  router.add("GET", "/api/events/{id}/practices", [&, viewers](const net::Request& req, const net::PathParams& p) {
    auto who = optional_caller(accounts, req);
    auto filter = read_filter(req);
    if (!filter) return api::error_response(filter.status());
    auto found = gallery.search(who ? &*who : nullptr, p.get("id"), *filter);
    if (!found) return api::error_response(found.status());
    json practices = json::array();
    for (const auto& practice : found->practices) {
      practices.push_back(wire(practice));
      practices.back()["viewers"] = viewers(practice_topic(p.get("id"), practice.id));
    }
    return api::json_response(200, {{"practices", practices},
                                    {"total", found->total},
                                    {"page", found->page},
                                    {"page_size", found->page_size},
                                    {"pages", found->pages}});
  });

  router.add("GET", "/api/events/{id}/gallery/sections", [&, viewers](const net::Request& req,
                                                                      const net::PathParams& p) {
    auto who = optional_caller(accounts, req);
    auto found = gallery.sections(who ? &*who : nullptr, p.get("id"));
    if (!found) return api::error_response(found.status());
    json sections = json::array();
    for (const auto& section : *found) {
      sections.push_back(wire(section));
      sections.back()["viewers"] = viewers(section_topic(p.get("id"), section.number));
    }
    return api::json_response(200, {{"sections", sections}});
  });

  router.add("GET", "/api/events/{id}/gallery/practices/{practice}",
             [&, viewers](const net::Request& req, const net::PathParams& p) {
               auto id = parse_id(p.get("practice"));
               if (!id) return api::error_response(errors::practice_not_found());
               auto who = optional_caller(accounts, req);
               auto found = gallery.practice(who ? &*who : nullptr, p.get("id"), *id);
               if (!found) return api::error_response(found.status());
               json out = wire(*found);
               out["viewers"] = viewers(practice_topic(p.get("id"), *id));
               return api::json_response(200, out);
             });
}

// A document's pages, the organiser's view of where people are, and the participant's cabinet.
void add_page_routes(net::Router& router, GalleryService& gallery, accounts::AccountsService& accounts,
                     const presence::Presence& presence) {
  auto viewers = [&presence](const std::string& topic) { return presence.count(topic); };

  // A practice document's pages as images (the same readers as the file itself).
  auto on_file = [&](const net::Request& req, const net::PathParams& p, auto&& then) -> net::Response {
    auto practice = parse_id(p.get("practice"));
    if (!practice) return api::error_response(errors::practice_not_found());
    auto who = optional_caller(accounts, req);
    return then(who ? &*who : nullptr, *practice);
  };
  router.add("GET", "/api/events/{id}/gallery/practices/{practice}/files/{upload}/pages",
             [&, on_file](const net::Request& req, const net::PathParams& p) {
               return on_file(req, p, [&](Who who, std::int64_t practice) {
                 auto pages = gallery.preview(who, p.get("id"), practice, p.get("upload"));
                 if (!pages) return api::error_response(pages.status());
                 return api::json_response(200, wire(*pages));
               });
             });
  router.add("GET", "/api/events/{id}/gallery/practices/{practice}/files/{upload}/pages/{page}",
             [&, on_file](const net::Request& req, const net::PathParams& p) {
               return on_file(req, p, [&](Who who, std::int64_t practice) {
                 auto page = parse_id(p.get("page"));
                 if (!page || *page > 100000)
                   return api::error_response(Status::not_found("page_not_found", "Такой страницы в документе нет."));
                 auto file = gallery.preview_page(who, p.get("id"), practice, p.get("upload"), static_cast<int>(*page));
                 if (!file) return api::error_response(file.status());
                 // A page never changes once made; the browser may keep it while the session lasts.
                 return net::file_response(req, *file, "image/png", "private, max-age=86400");
               });
             });

  // The organiser's view of where people are: every admitted practice by its viewers now. With
  // Redis, a practice nobody on this instance watches is counted from the next report round on
  // (presence counts a topic once it is asked for), so the first call may show it at 0.
  router.add("GET", "/api/events/{id}/gallery/busiest", [&, viewers](const net::Request& req,
                                                                     const net::PathParams& p) {
    auto who = accounts::caller(accounts, req);
    if (!who) return api::error_response(who.status());
    if (!accounts::is_organiser(*who, p.get("id")))
      return api::error_response(Status::forbidden("forbidden", "Этот раздел доступен только организатору."));
    auto list = gallery.admitted(p.get("id"));
    if (!list) return api::error_response(list.status());
    struct Watched {
      const AdmittedTitle* practice;
      std::string topic;
      std::int64_t viewers;
    };
    std::vector<Watched> rows;
    std::int64_t total = 0;
    for (const auto& practice : *list) {
      std::string topic = practice_topic(p.get("id"), practice.id);
      std::int64_t n = viewers(topic);
      total += n;
      rows.push_back({&practice, std::move(topic), n});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Watched& a, const Watched& b) { return a.viewers > b.viewers; });
    if (rows.size() > kBusiestShown) rows.resize(kBusiestShown);
    json practices = json::array();
    for (const auto& row : rows)
      practices.push_back({{"id", row.practice->id},
                           {"title", row.practice->title},
                           {"section", row.practice->section},
                           {"topic", row.topic},
                           {"viewers", row.viewers}});
    return api::json_response(200, {{"practices", practices}, {"viewers", total}});
  });

  router.add("GET", "/api/events/{id}/cabinet", [&](const net::Request& req, const net::PathParams& p) {
    auto who = accounts::caller(accounts, req);
    if (!who) return api::error_response(who.status());
    auto cabinet = gallery.cabinet(*who, p.get("id"));
    return cabinet ? api::json_response(200, wire(*cabinet)) : api::error_response(cabinet.status());
  });
}

// The discussion. Every change is pushed to the practice's topic as a "comment" event carrying
// the comment as anyone may see it; clients put it in place by its id.
using CommentHandler = std::function<Result<Comment>(const accounts::Identity&, const std::string& event,
                                                     std::int64_t practice, std::int64_t comment, const json& body)>;
net::RouteHandler on_comment(accounts::AccountsService& accounts, live::Publisher& publisher, bool has_comment,
                        bool reads_body, int status, CommentHandler handler) {
  return [&accounts, &publisher, has_comment, reads_body, status, handler](const net::Request& req,
                                                                          const net::PathParams& p) {
    auto who = accounts::caller(accounts, req);
    if (!who) return api::error_response(who.status());
    auto practice = parse_id(p.get("practice"));
    if (!practice) return api::error_response(errors::practice_not_found());
    std::int64_t comment = 0;
    if (has_comment) {
      auto c = parse_id(p.get("comment"));
      if (!c) return api::error_response(comment_not_found());
      comment = *c;
    }
    json body = json::object();
    if (reads_body) {
      auto parsed = api::parse_json_object(req);
      if (!parsed) return api::error_response(parsed.status());
      body = std::move(*parsed);
    }
    auto done = handler(*who, p.get("id"), *practice, comment, body);
    if (!done) return api::error_response(done.status());
    json pushed = wire(*done);
    publisher.publish(live::topic::practice(p.get("id"), *practice), "comment", pushed);
    return api::json_response(status, pushed);
  };
}

void add_comment_routes(net::Router& router, GalleryService& gallery, accounts::AccountsService& accounts,
                        live::Publisher& publisher) {
  router.add("GET", "/api/events/{id}/practices/{practice}/comments",
             [&](const net::Request& req, const net::PathParams& p) {
               auto practice = parse_id(p.get("practice"));
               if (!practice) return api::error_response(errors::practice_not_found());
               auto who = optional_caller(accounts, req);
               return reply_as(gallery.comments(who ? &*who : nullptr, p.get("id"), *practice));
             });

  router.add("POST", "/api/events/{id}/practices/{practice}/comments",
             on_comment(accounts, publisher, false, true, 201,
                        [&gallery](const accounts::Identity& who, const std::string& event, std::int64_t practice,
                                   std::int64_t, const json& body) -> Result<Comment> {
                          auto text = comment_text(body);
                          if (!text) return text.status();
                          std::optional<std::int64_t> parent;
                          if (auto it = body.find("parent"); it != body.end() && !it->is_null()) {
                            if (!it->is_number_integer())
                              return comment_not_found();
                            parent = it->get<std::int64_t>();
                          }
                          return gallery.add_comment(who, event, practice, *text, parent);
                        }));

  router.add("PATCH", "/api/events/{id}/practices/{practice}/comments/{comment}",
             on_comment(accounts, publisher, true, true, 200,
                        [&gallery](const accounts::Identity& who, const std::string& event, std::int64_t practice,
                                   std::int64_t comment, const json& body) -> Result<Comment> {
                          auto text = comment_text(body);
                          if (!text) return text.status();
                          return gallery.edit_comment(who, event, practice, comment, *text);
                        }));

  router.add("DELETE", "/api/events/{id}/practices/{practice}/comments/{comment}",
             on_comment(accounts, publisher, true, false, 200,
                        [&gallery](const accounts::Identity& who, const std::string& event, std::int64_t practice,
                                   std::int64_t comment, const json&) -> Result<Comment> {
                          return gallery.delete_comment(who, event, practice, comment);
                        }));

  router.add("POST", "/api/events/{id}/practices/{practice}/comments/{comment}/hide",
             on_comment(accounts, publisher, true, true, 200,
                        [&gallery](const accounts::Identity& who, const std::string& event, std::int64_t practice,
                                   std::int64_t comment, const json& body) -> Result<Comment> {
                          auto hidden = body.find("hidden");
                          if (hidden != body.end() && !hidden->is_boolean())
                            return Status::unprocessable("invalid_field", "Укажите, скрыть комментарий или показать.");
                          return gallery.hide_comment(who, event, practice, comment,
                                                      hidden == body.end() || hidden->get<bool>());
                        }));
}

// Flagging abuse and the moderators' view of it. Nothing here is pushed: the author of a flagged
// comment is not told, and the comment itself does not change until a moderator hides it.
void add_flag_routes(net::Router& router, GalleryService& gallery, accounts::AccountsService& accounts) {
  // The caller and the comment the path names, or the error response to send.
  struct Target {
    accounts::Identity who;
    std::int64_t practice = 0, comment = 0;
  };
  auto target = [&accounts](const net::Request& req, const net::PathParams& p) -> Result<Target> {
    auto who = accounts::caller(accounts, req);
    if (!who) return who.status();
    auto practice = parse_id(p.get("practice"));
    if (!practice) return errors::practice_not_found();
    auto comment = parse_id(p.get("comment"));
    if (!comment) return comment_not_found();
    return Target{std::move(*who), *practice, *comment};
  };

  router.add("POST", "/api/events/{id}/practices/{practice}/comments/{comment}/flag",
             [&, target](const net::Request& req, const net::PathParams& p) {
               auto t = target(req, p);
               if (!t) return api::error_response(t.status());
               auto body = api::parse_json_object(req);
               if (!body) return api::error_response(body.status());
               auto reason = body->find("reason");
               if (reason != body->end() && !reason->is_null() && !reason->is_string())
                 return api::error_response(Status::unprocessable("invalid_reason", "Выберите причину жалобы из списка."));
               std::string why = reason != body->end() && reason->is_string() ? reason->get<std::string>() : "";
               if (auto s = gallery.flag_comment(t->who, p.get("id"), t->practice, t->comment, why); !s)
                 return api::error_response(s);
               return api::json_response(200, {{"id", t->comment}, {"flagged", true}});
             });

  router.add("DELETE", "/api/events/{id}/practices/{practice}/comments/{comment}/flags",
             [&, target](const net::Request& req, const net::PathParams& p) {
               auto t = target(req, p);
               if (!t) return api::error_response(t.status());
               if (auto s = gallery.clear_flags(t->who, p.get("id"), t->practice, t->comment); !s)
                 return api::error_response(s);
               return api::json_response(200, {{"id", t->comment}, {"flags", 0}});
             });

  router.add("GET", "/api/events/{id}/gallery/moderation", [&](const net::Request& req, const net::PathParams& p) {
    auto who = accounts::caller(accounts, req);
    if (!who) return api::error_response(who.status());
    return reply_as(gallery.moderation(*who, p.get("id")));
  });
}

}  // namespace

void add_routes(net::Router& router, GalleryService& gallery, accounts::AccountsService& accounts, live::Publisher& publisher,
                const presence::Presence& presence) {
  add_browse_routes(router, gallery, accounts, presence);
  add_page_routes(router, gallery, accounts, presence);
  add_comment_routes(router, gallery, accounts, publisher);
  add_flag_routes(router, gallery, accounts);
}

void add_live(live::Registry& registry, GalleryService& gallery) {
  registry.add_topic(
      "practice", {[&gallery](const live::Caller& caller, const std::vector<std::string>& parts) -> Result<json> {
                     if (parts.size() != 2) return errors::invalid_topic();
                     auto id = parse_id(parts[1]);
                     if (!id) return errors::practice_not_found();
                     const accounts::Identity* who = caller.identity;
                     if (auto s = gallery.may_read_practice(who, parts[0], *id); !s) return s;
                     return json{{"practice", *id}};
                   },
                   {}});
  registry.add_topic(
      "gallery", {[&gallery](const live::Caller& caller, const std::vector<std::string>& parts) -> Result<json> {
                    if (parts.size() != 2) return errors::invalid_topic();
                    auto section = parse_id(parts[1]);
                    if (!section) return Status::not_found("section_not_found", "Секция не найдена.");
                    const accounts::Identity* who = caller.identity;
                    if (auto s = gallery.may_read(who, parts[0]); !s) return s;
                    return json{{"section", *section}};
                  },
                  {}});
}

}  // namespace praktika::gallery
