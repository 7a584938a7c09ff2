#include "uploads/uploads_api.h"

#include <cctype>

#include "accounts/accounts_api.h"
#include "api/http.h"
#include "media/media.h"
#include "net/static_files.h"
#include "uploads/tus_headers.h"

namespace praktika::uploads {
namespace {

using nlohmann::json;

constexpr const char* kTusVersion = "1.0.0";

net::Response tus(net::Response r) {
  r.set_header("Tus-Resumable", kTusVersion);
  r.set_header("Cache-Control", "no-store");
  return r;
}

net::Response tus_error(const Status& s) { return tus(api::error_response(s)); }

Status check_tus_version(const net::Request& req) {
  auto version = req.header("tus-resumable");
  if (!version.empty() && version != kTusVersion)
    return Status::bad_request("tus_version", "Поддерживается только протокол tus 1.0.0.");
  return Status::ok();
}

// A PATCH's body before it is read: refused at once (tus version, type, owner, offset), or
// appended to the upload's file with what is still missing as its limit.
net::BodyPolicy patch_policy(UploadService& uploads, accounts::AccountsService& accounts, const net::Request& head,
                             const net::PathParams& p) {
  net::BodyPolicy policy;
  auto refuse = [&](const Status& s) {
    policy.refuse = tus_error(s);
    return policy;
  };
  if (auto s = check_tus_version(head); !s) return refuse(s);
  if (head.header("content-type") != "application/offset+octet-stream")
    return refuse(Status::unsupported("unsupported_media_type",
                                      "Части файла отправляются как двоичные данные по протоколу tus."));
  auto who = accounts::caller(accounts, head);
  if (!who) return refuse(who.status());
  auto offset = parse_tus_number(head.header("upload-offset"));
  if (!offset) return refuse(Status::bad_request("upload_offset", "Не указано, с какого байта продолжается файл."));
  auto ticket = uploads.begin_patch(who->user, p.get("upload"), *offset);
  if (!ticket) return refuse(ticket.status());
  policy.to_file = true;
  policy.append_to = ticket->file;
  // One byte more than what is missing would be refused by the parser: 0 would mean "default".
  policy.limit = std::max<std::uint64_t>(ticket->remaining, 1);
  policy.hold = ticket->hold;
  policy.stop_early = ticket->header_refuses;
  return policy;
}

// tus: what the server supports, creation and the state of an upload.
void add_tus_routes(net::Router& router, UploadService& uploads, accounts::AccountsService& accounts) {
  router.add("OPTIONS", "/api/uploads", [&uploads](const net::Request&, const net::PathParams&) {
    net::Response r;
    r.status = 204;
    r.set_header("Tus-Version", kTusVersion);
    r.set_header("Tus-Extension", "creation,termination");
    r.set_header("Tus-Max-Size", std::to_string(uploads.max_length()));
    return tus(r);
  });

  // Creation: the purpose in ?purpose= or the metadata; the file's name in the metadata.
  router.add("POST", "/api/events/{id}/uploads", [&uploads, &accounts](const net::Request& req,
                                                                        const net::PathParams& p) {
    if (auto s = check_tus_version(req); !s) return tus_error(s);
    auto who = accounts::caller(accounts, req);
    if (!who) return tus_error(who.status());
    auto length = parse_tus_number(req.header("upload-length"));
    if (!length)
      return tus_error(Status::bad_request("upload_length", "Не указан размер файла."));
    auto metadata = parse_tus_metadata(req.header("upload-metadata"));
    if (!metadata) return tus_error(Status::bad_request("upload_metadata", "Неверно указаны сведения о файле (имя, назначение)."));
    std::string purpose = req.query_param("purpose").value_or(metadata->value("purpose", std::string()));
    auto upload = uploads.create(who->user, p.get("id"), purpose, *length, *metadata);
    if (!upload) return tus_error(upload.status());
    net::Response r = api::json_response(201, upload->to_json());
    r.set_header("Location", "/api/uploads/" + upload->id);
    r.set_header("Upload-Offset", "0");
    return tus(r);
  });

  // HEAD (tus) and GET (the verdict as JSON) share one route.
  router.add("GET", "/api/uploads/{upload}", [&uploads, &accounts](const net::Request& req,
                                                                    const net::PathParams& p) {
    auto who = accounts::caller(accounts, req);
    if (!who) return tus_error(who.status());
    auto upload = uploads.find(who->user, p.get("upload"));
    if (!upload) return tus_error(upload.status());
    net::Response r = api::json_response(200, upload->to_json());
    r.set_header("Upload-Offset", std::to_string(upload->offset));
    r.set_header("Upload-Length", std::to_string(upload->length));
    return tus(r);
  });
}

// tus: the file's parts, and the stored file itself.
void add_file_routes(net::Router& router, UploadService& uploads, accounts::AccountsService& accounts) {
  net::BodyRule append;
  append.prepare = [&uploads, &accounts](const net::Request& head, const net::PathParams& p) {
    return patch_policy(uploads, accounts, head, p);
  };
  router.add(
      "PATCH", "/api/uploads/{upload}",
      [&uploads, &accounts](const net::Request& req, const net::PathParams& p) {
        auto who = accounts::caller(accounts, req);
        if (!who) return tus_error(who.status());
        auto upload = uploads.finish_patch(who->user, p.get("upload"));
        if (!upload) return tus_error(upload.status());
        if (upload->state == "rejected") {
          std::string message = "Файл не принят.";
          if (!upload->verdict["findings"].empty())
            message += " " + upload->verdict["findings"][0].value("found", std::string()) + "; требуется: " +
                       upload->verdict["findings"][0].value("expected", std::string()) + ".";
          return tus_error(Status::unprocessable("file_rejected", message).with_details(upload->verdict));
        }
        net::Response r;
        r.status = 204;
        r.set_header("Upload-Offset", std::to_string(upload->offset));
        return tus(r);
      },
      append);

  // The stored file itself, with Range for video players; its original name for downloads.
  router.add("GET", "/api/uploads/{upload}/file", [&uploads, &accounts](const net::Request& req,
                                                                         const net::PathParams& p) {
    // Anonymous visitors too: a read grant (the public gallery) may admit them.
    auto who = accounts::caller(accounts, req);
    Upload upload;
    auto file = uploads.stored_file(who ? &*who : nullptr, p.get("upload"), &upload);
    if (!file) return api::error_response(file.status());
    auto sniffed = media::sniff(*file);
    std::string type(sniffed ? media::mime_type(*sniffed) : "application/octet-stream");
    net::Response r = net::file_response(req, *file, type, "private, no-cache");
    std::string name = upload.file_name.empty() ? "file" : upload.file_name;
    r.set_header("Content-Disposition", net::content_disposition("inline", name));
    return r;
  });

  router.add("DELETE", "/api/uploads/{upload}", [&uploads, &accounts](const net::Request& req,
                                                                       const net::PathParams& p) {
    auto who = accounts::caller(accounts, req);
    if (!who) return tus_error(who.status());
    if (auto s = uploads.remove(who->user, p.get("upload")); !s) return tus_error(s);
    net::Response r;
    r.status = 204;
    return tus(r);
  });
}

}  // namespace

void add_routes(net::Router& router, UploadService& uploads, accounts::AccountsService& accounts) {
  add_tus_routes(router, uploads, accounts);
  add_file_routes(router, uploads, accounts);
}

}  // namespace praktika::uploads
