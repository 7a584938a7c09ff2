#include "certificates/wire.h"

#include "common/or_null.h"

namespace praktika::certificates {

using nlohmann::json;

namespace {

std::string file_url(const std::string& number) { return "/api/certificates/" + number + "/file"; }

}  // namespace

json to_json(const CertificateJob& job) {
  return {{"id", job.id},
          {"event", job.event},
          {"state", job.state},
          {"total", job.total},
          {"done", job.done},
          {"failed", job.failed},
          {"percent", job.total ? (job.done + job.failed) * 100 / job.total : 100},
          {"send_mail", job.send_mail},
          {"created_at", job.created_at},
          {"finished_at", job.finished_at ? json(*job.finished_at) : json(nullptr)}};
}

json to_json(const CertificateList& list) {
  json rows = json::array();
  for (const auto& c : list.certificates)
    rows.push_back({{"number", c.number},
                    {"user", {{"id", c.user_id}, {"full_name", c.full_name}}},
                    {"email", c.email},
                    {"template", c.template_id},
                    {"title", c.title},
                    {"state", c.state},
                    {"error", or_null(c.error)},
                    {"made_at", or_null(c.made_at)},
                    {"mail", or_null(c.mail)},
                    {"url", file_url(c.number)}});
  return {{"certificates", rows}, {"job", list.job ? to_json(*list.job) : json(nullptr)}};
}

json to_json(const Verification& v) {
  json practices = json::array();
  for (const auto& p : v.practices)
    practices.push_back({{"title", p.title}, {"section", p.section}, {"section_title", p.section_title}});
  return {{"number", v.number},
          {"valid", true},
          {"event", {{"id", v.event_id}, {"title", v.event_title}}},
          {"document", v.document},
          {"template", v.template_id},
          {"full_name", v.full_name},
          {"institution", v.institution},
          {"values", v.values},
          {"took_part", v.took_part},
          {"role", v.role},
          {"practices", practices},
          {"issued_on", v.issued_on},
          {"issued_at", v.issued_at}};
}

json to_json(const OwnCertificates& own, std::string_view event_id) {
  json rows = json::array();
  for (const auto& c : own.certificates)
    rows.push_back({{"number", c.number},
                    {"title", c.title},
                    {"took_part", c.took_part},
                    {"issued_at", c.issued_at},
                    {"url", file_url(c.number)},
                    {"verify_url", "/verify/" + c.number}});
  json proceedings = nullptr;
  if (own.proceedings) proceedings = {{"url", "/api/events/" + std::string(event_id) + "/proceedings"}};
  return {{"certificates", rows}, {"proceedings", proceedings}};
}

}  // namespace praktika::certificates
