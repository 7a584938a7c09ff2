#include "flashmob/flashmob_api.h"

#include <charconv>

#include "accounts/accounts_api.h"
#include "api/http.h"
#include "common/utf8.h"
#include "flashmob/wire.h"
#include "net/static_files.h"

namespace praktika::flashmob {
namespace {

using nlohmann::json;
using api::parse_id;

std::string text(const json& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The form's strings, trimmed; anything but a string reads as empty (the service says it is required).
std::string cleaned(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string()) return {};
  return clean_text(it->get_ref<const std::string&>(), TextLines::one);
}

Submission submission_from(const json& body) {
  return {.upload_id = cleaned(body, "upload"),
          .work_kind = cleaned(body, "work_kind"),
          .title = cleaned(body, "title"),
          .institution = cleaned(body, "institution")};
}


net::Response with_body(const net::Request& req, const std::function<net::Response(const json&)>& f) {
  auto body = api::parse_json_object(req);
  if (!body) return api::error_response(body.status());
  return f(*body);
}

// The signed-in caller, if any: the routes that also answer anonymous viewers.
std::optional<accounts::Identity> optional_caller(accounts::AccountsService& accounts, const net::Request& req) {
  std::optional<accounts::Identity> who;
  if (auto c = accounts::caller(accounts, req)) who = std::move(*c);
  return who;
}

// The author's own items: sending one, listing them, reading one.
void add_author_routes(net::Router& router, FlashmobService& flashmob, accounts::AccountsService& accounts) {
  router.add("POST", "/api/events/{id}/flashmob/items",
             accounts::signed_in(accounts, [&flashmob](const accounts::Identity& who, const net::Request& req,
                                                       const net::PathParams& p) {
               return with_body(req, [&](const json& body) {
                 return api::reply_typed_as(201, flashmob.submit(who.user, p.get("id"), submission_from(body)));
               });
             }));
  router.add("GET", "/api/events/{id}/flashmob/items/mine",
             accounts::signed_in(accounts, [&flashmob](const accounts::Identity& who,
                                                       const net::Request&, const net::PathParams& p) {
               return api::reply_typed(flashmob.mine(who.user, p.get("id")));
             }));
  router.add("GET", "/api/events/{id}/flashmob/items/{item}",
             accounts::signed_in(accounts, [&flashmob](const accounts::Identity& who,
                                                       const net::Request&, const net::PathParams& p) {
               auto id = parse_id(p.get("item"));
               if (!id) return api::error_response(item_not_found());
               return api::reply_typed(flashmob.item(who, p.get("id"), *id));
             }));
}

// The video itself: the playable file and the adaptive stream.
void add_media_routes(net::Router& router, FlashmobService& flashmob, accounts::AccountsService& accounts) {
  // The playable file: public for an approved item once the feed has started, else for its owner
  // and the organiser. Range requests let a late viewer start mid-video.
  router.add("GET", "/api/events/{id}/flashmob/items/{item}/media",
             [&flashmob, &accounts](const net::Request& req, const net::PathParams& p) {
               auto id = parse_id(p.get("item"));
               if (!id) return api::error_response(item_not_found());
               int slide = 0;
               if (auto s = req.query_param("slide")) {
                 auto n = parse_id(*s);
                 if (!n || *n > 10'000) return api::error_response(Status::not_found("slide_not_found", "Слайда нет."));
                 slide = static_cast<int>(*n);
               }
               auto who = optional_caller(accounts, req);
               auto file = flashmob.media(who, p.get("id"), *id, slide);
               if (!file) return api::error_response(file.status());
               return net::file_response(req, file->path, file->content_type,
                                         file->is_public ? "public, max-age=300" : "private, no-cache");
             });

  // The adaptive stream: master and rendition playlists, segments and the poster, by the same rule.
  // Files never change once made, so segments and posters are cached for a year and playlists
  // briefly; nginx (deploy/nginx/flashmob.conf) may serve the same URLs from <data>/flashmob/hls and
  // ask this route first with HEAD (auth_request), which answers from the store without the file.
  router.add("GET", "/api/events/{id}/flashmob/hls/{item}/{file}",
             [&flashmob, &accounts](const net::Request& req, const net::PathParams& p) {
               auto id = parse_id(p.get("item"));
               if (!id) return api::error_response(item_not_found());
               auto who = optional_caller(accounts, req);
               auto file = flashmob.hls_file(who, p.get("id"), *id, p.get("file"));
               if (!file) return api::error_response(file.status());
               std::string cache = !file->is_public ? "private, no-cache"
                                   : file->immutable ? "public, max-age=31536000, immutable"
                                                     : "public, max-age=60";
               return net::file_response(req, file->path, file->content_type, cache);
             });
}

// Subtitles of an item.
void add_caption_routes(net::Router& router, FlashmobService& flashmob, accounts::AccountsService& accounts) {
  // Subtitles: the owner sends the file's bytes (SRT or WebVTT); anyone who may see the video reads them as WebVTT.
  router.add(
      "PUT", "/api/events/{id}/flashmob/items/{item}/captions",
      accounts::signed_in(accounts, [&flashmob](const accounts::Identity& who,
                                                const net::Request& req, const net::PathParams& p) {
        auto id = parse_id(p.get("item"));
        if (!id) return api::error_response(item_not_found());
        return api::reply_typed(flashmob.attach_captions(who.user, p.get("id"), *id, req.body));
      }),
      net::BodyRule{.limit = static_cast<std::uint64_t>(flashmob.captions_body_limit())});
  router.add("DELETE", "/api/events/{id}/flashmob/items/{item}/captions",
             accounts::signed_in(accounts, [&flashmob](const accounts::Identity& who,
                                                       const net::Request&, const net::PathParams& p) {
               auto id = parse_id(p.get("item"));
               if (!id) return api::error_response(item_not_found());
               return api::reply_typed(flashmob.remove_captions(who, p.get("id"), *id));
             }));
  router.add("GET", "/api/events/{id}/flashmob/items/{item}/captions",
             [&flashmob, &accounts](const net::Request& req, const net::PathParams& p) {
               auto id = parse_id(p.get("item"));
               if (!id) return api::error_response(item_not_found());
               auto who = optional_caller(accounts, req);
               auto file = flashmob.captions(who, p.get("id"), *id);
               if (!file) return api::error_response(file.status());
               // The address carries ?v=<when attached>: a new file is a new address.
               return net::file_response(req, file->path, file->content_type,
                                         file->is_public ? "public, max-age=3600" : "private, no-cache");
             });
}

// The organiser's side: the queue, decisions, the order and the feed's controls.
void add_organiser_routes(net::Router& router, FlashmobService& flashmob, accounts::AccountsService& accounts) {
  router.add("GET", "/api/events/{id}/flashmob/queue",
             accounts::organiser_only(accounts, [&flashmob](const accounts::Identity&,
                                                            const net::Request&, const net::PathParams& p) {
               return api::reply_typed(flashmob.queue(p.get("id")));
             }));
  router.add("POST", "/api/events/{id}/flashmob/items/{item}/decision",
             accounts::organiser_only(accounts, [&flashmob](const accounts::Identity&, const net::Request& req,
                                                            const net::PathParams& p) {
               auto id = parse_id(p.get("item"));
               if (!id) return api::error_response(item_not_found());
               return with_body(req, [&](const json& body) {
                 std::string decision = text(body, "decision");
                 if (decision != "approve" && decision != "reject")
                   return api::error_response(
                       Status::unprocessable("invalid_decision", "Решение: допустить к показу или отклонить."));
                 auto reason = api::string_field(body, "reason", "причина", 2000, false);
                 if (!reason) return api::error_response(reason.status());
                 return api::reply_typed(flashmob.decide(p.get("id"), *id, decision == "approve", *reason));
               });
             }));
  router.add("PUT", "/api/events/{id}/flashmob/order",
             accounts::organiser_only(accounts, [&flashmob](const accounts::Identity&, const net::Request& req,
                                                            const net::PathParams& p) {
               return with_body(req, [&](const json& body) {
                 auto items = body.find("items");
                 std::vector<std::int64_t> order;
                 bool ok = items != body.end() && items->is_array() && items->size() <= 10'000;
                 if (ok)
                   for (const auto& i : *items) {
                     if (!i.is_number_integer()) ok = false;
                     else order.push_back(i.get<std::int64_t>());
                   }
                 if (!ok)
                   return api::error_response(Status::unprocessable(
                       "invalid_field", "Укажите номера допущенных материалов в новом порядке."));
                 return api::reply_typed(flashmob.reorder(p.get("id"), order));
               });
             }));
  router.add("POST", "/api/events/{id}/flashmob/control",
             accounts::organiser_only(accounts, [&flashmob](const accounts::Identity&, const net::Request& req,
                                                            const net::PathParams& p) {
               return with_body(req, [&](const json& body) {
                 return api::reply_typed(flashmob.control(p.get("id"), text(body, "action")));
               });
             }));
}

// The public feed: what plays now and the gallery.
void add_feed_routes(net::Router& router, FlashmobService& flashmob) {
  router.add("GET", "/api/events/{id}/flashmob/now", [&flashmob](const net::Request&, const net::PathParams& p) {
    auto r = api::reply_typed(flashmob.now(p.get("id")));
    r.set_header("Cache-Control", "no-store");
    return r;
  });
  router.add("GET", "/api/events/{id}/flashmob/gallery", [&flashmob](const net::Request&, const net::PathParams& p) {
    return api::reply_typed(flashmob.gallery(p.get("id")));
  });
}

}  // namespace

void add_routes(net::Router& router, FlashmobService& flashmob, accounts::AccountsService& accounts) {
  add_author_routes(router, flashmob, accounts);
  add_media_routes(router, flashmob, accounts);
  add_caption_routes(router, flashmob, accounts);
  add_organiser_routes(router, flashmob, accounts);
  add_feed_routes(router, flashmob);
}

}  // namespace praktika::flashmob
