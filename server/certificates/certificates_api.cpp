#include "certificates/certificates_api.h"

#include "accounts/accounts_api.h"
#include "api/http.h"
#include "certificates/wire.h"
#include "common/errors.h"
#include "net/static_files.h"

namespace praktika::certificates {
namespace {

using nlohmann::json;

net::Response send_file(const net::Request& req, const Result<File>& file, std::string_view disposition) {
  if (!file) return api::error_response(file.status());
  net::Response r = net::file_response(req, file->path, file->content_type, "private, no-cache");
  r.set_header("Content-Disposition", net::content_disposition(disposition, file->name));
  return r;
}

// One table as the organiser asked for it: JSON rows, or a CSV (the default) or XLSX download.
net::Response table_response(const net::Request& req, const Result<Table>& table) {
  if (!table) return api::error_response(table.status());
  auto format = exporting::format_from_query(req.query_param("format").value_or("csv"));
  if (!format) return api::error_response(format.status());
  if (*format == exporting::Format::json) {
    json rows = json::array();
    for (const auto& row : table->rows) {
      json cells = json::array();
      for (const auto& cell : row) cells.push_back(cell.text());
      rows.push_back(std::move(cells));
    }
    return api::json_response(200, {{"header", table->columns}, {"rows", rows}});
  }
  auto file = exporting::download(*table, *format, table->title);
  if (!file) return api::error_response(file.status());
  return std::move(*file);
}

// {"job": …} or {"job": null} before the first.
json job_reply(const std::optional<CertificateJob>& job) { return {{"job", job ? to_json(*job) : json(nullptr)}}; }

net::Response reply_job(const Result<std::optional<CertificateJob>>& job, int status = 200) {
  if (!job) return api::error_response(job.status());
  return api::json_response(status, job_reply(*job));
}

}  // namespace

void add_routes(net::Router& router, CertificateService& certificates, accounts::AccountsService& accounts) {
  using Handler = accounts::CallerHandler;
  auto signed_in = [&accounts](Handler handler) { return accounts::signed_in(accounts, std::move(handler)); };
  auto organiser = [&accounts](Handler handler) { return accounts::organiser_only(accounts, std::move(handler)); };

  // Public: what a verification number certifies (the QR code's page asks this).
  router.add("GET", "/api/certificates/{number}", [&certificates](const net::Request&, const net::PathParams& p) {
    return api::reply_typed(certificates.verify(p.get("number")));
  });
  router.add("GET", "/api/certificates/{number}/file",
             signed_in([&certificates](const accounts::Identity& who, const net::Request& req, const net::PathParams& p) {
               return send_file(req, certificates.file(who, p.get("number")), "attachment");
             }));
  router.add("GET", "/api/events/{id}/certificates/mine",
             signed_in([&certificates](const accounts::Identity& who, const net::Request&, const net::PathParams& p) {
               return api::reply_typed(certificates.mine(who, p.get("id")), p.get("id"));
             }));
  router.add("GET", "/api/events/{id}/certificates",
             organiser([&certificates](const accounts::Identity&, const net::Request&, const net::PathParams& p) {
               return api::reply_typed(certificates.list(p.get("id")));
             }));
  router.add("POST", "/api/events/{id}/certificates/jobs",
             organiser([&certificates](const accounts::Identity& who, const net::Request& req, const net::PathParams& p) {
               json body = json::object();
               if (!req.body.empty()) {
                 auto parsed = api::parse_json_object(req);
                 if (!parsed) return api::error_response(parsed.status());
                 body = std::move(*parsed);
               }
               auto send = body.find("send_mail");
               if (send != body.end() && !send->is_boolean())
                 return api::error_response(
                     Status::unprocessable("invalid_field", "Укажите, отправлять ли письма: да или нет."));
               auto job = certificates.start_job(who, p.get("id"), send == body.end() || send->get<bool>());
               if (!job) return api::error_response(job.status());
               return reply_job(std::optional<CertificateJob>(std::move(*job)), 202);
             }));
  router.add("GET", "/api/events/{id}/certificates/jobs/current",
             organiser([&certificates](const accounts::Identity&, const net::Request&, const net::PathParams& p) {
               return reply_job(certificates.current_job(p.get("id")));
             }));
  router.add("GET", "/api/events/{id}/certificates/archive",
             organiser([&certificates](const accounts::Identity&, const net::Request& req, const net::PathParams& p) {
               return send_file(req, certificates.archive(p.get("id")), "attachment");
             }));
  router.add("GET", "/api/events/{id}/proceedings",
             signed_in([&certificates](const accounts::Identity& who, const net::Request& req, const net::PathParams& p) {
               return send_file(req, certificates.proceedings(who, p.get("id")), "inline");
             }));
  router.add("GET", "/api/events/{id}/order",
             organiser([&certificates](const accounts::Identity&, const net::Request&, const net::PathParams& p) {
               auto made = certificates.order(p.get("id"));
               if (!made) return api::error_response(made.status());
               net::Response r;
               r.body = std::move(made->bytes);
               r.set_header("Content-Type", "application/pdf");
               r.set_header("Content-Disposition", net::content_disposition("inline", made->name));
               r.set_header("Cache-Control", "no-store");
               return r;
             }));
  router.add("POST", "/api/events/{id}/proceedings/mail",
             organiser([&certificates](const accounts::Identity& who, const net::Request&, const net::PathParams& p) {
               auto sent = certificates.send_proceedings(who, p.get("id"));
               if (!sent) return api::error_response(sent.status());
               return api::json_response(200, {{"participants", sent->participants}, {"queued", sent->queued}});
             }));
  router.add("GET", "/api/events/{id}/exports/{which}",
             organiser([&certificates](const accounts::Identity& who, const net::Request& req, const net::PathParams& p) {
               return table_response(req, certificates.export_table(who, p.get("id"), p.get("which")));
             }));
}

void add_live(live::Registry& registry, CertificateService& certificates) {
  registry.add_topic("certificates",
                     {[&certificates](const live::Caller& caller, const std::vector<std::string>& parts) -> Result<json> {
                        if (parts.size() != 1) return errors::invalid_topic();
                        auto job = certificates.subscribe(caller.identity, parts[0]);
                        if (!job) return job.status();
                        return job_reply(*job);
                      },
                      {}});
}

}  // namespace praktika::certificates
