#include "intake/wire.h"

#include "common/or_null.h"

namespace praktika::intake {
namespace {

using nlohmann::json;

json errors_json(const std::vector<forms::FieldError>& errors) {
  json out = json::array();
  for (const auto& e : errors) out.push_back({{"path", e.path}, {"code", e.code}, {"message", e.message}});
  return out;
}

json file_json(const uploads::StoredFile& f) {
  return {{"id", f.id},
          {"purpose", f.purpose},
          {"file_name", f.file_name},
          {"length", f.length},
          {"state", f.state},
          {"verdict", f.verdict},
          {"field", or_null(f.field)},
          {"url", "/api/uploads/" + f.id + "/file"}};
}

json payment_json(const PaymentView& p) {
  json out = {{"state", p.state}, {"amount", p.amount}};
  if (p.currency) out["currency"] = *p.currency;
  if (p.proof) {
    out["reason"] = or_null(p.proof->reason);
    out["upload"] = p.proof->upload;
    out["sent_at"] = p.proof->sent_at;
    out["decided_at"] = or_null(p.proof->decided_at);
  }
  return out;
}

json outcome_json(const std::optional<OutcomeNotice>& o) {
  if (!o) return nullptr;
  return {{"outcome", o->outcome}, {"reason", o->reason}, {"notified_at", o->notified_at}};
}

json document_json(const std::optional<DocumentSummary>& d) {
  if (!d) return nullptr;
  json out = {{"upload", d->upload}, {"file_name", d->file_name}, {"ok", d->ok}, {"findings", d->findings},
              {"rules", d->rules}};
  if (d->error) out["error"] = *d->error;
  return out;
}

media::Verdict verdict_from(const json& stored) {
  media::Verdict v;
  v.ok = stored.at("ok").get<bool>();
  v.bytes = stored.value("bytes", std::uint64_t{0});
  for (const auto& f : stored.at("findings"))
    v.findings.push_back({f.at("rule").get<std::string>(), f.at("found").get<std::string>(),
                          f.at("expected").get<std::string>()});
  return v;
}

documents::CheckResult document_from(const json& stored) {
  documents::CheckResult d;
  d.ok = stored.at("ok").get<bool>();
  d.kind = stored.at("kind").get<std::string>();
  for (const auto& f : stored.at("findings"))
    d.findings.push_back({f.at("rule").get<std::string>(), f.at("where").get<std::string>(),
                          f.at("found").get<std::string>(), f.at("expected").get<std::string>()});
  d.paragraphs = stored.value("paragraphs", std::size_t{0});
  d.tables = stored.value("tables", std::size_t{0});
  d.images = stored.value("images", std::size_t{0});
  return d;
}

}  // namespace

json to_json(const PracticeView& p) {
  const Practice& row = p.practice;
  json coauthors = json::array();
  for (const auto& c : p.co_authors) coauthors.push_back({{"email", c.email}, {"registered", c.registered}});
  json files = json::array();
  for (const auto& f : p.files) files.push_back(file_json(f));
  json out = {{"id", row.id},
              {"event", row.event_id},
              {"section", row.section},
              {"section_title", p.section_title},
              {"type", row.type},
              {"state", row.state},
              {"revision", row.revision},
              {"answers", row.answers},
              {"title", row.answers.value("name", "")},
              {"owner", {{"id", row.owner_id}, {"full_name", row.owner_name}, {"email", row.owner_email}}},
              {"co_authors", std::move(coauthors)},
              {"missing", errors_json(p.missing)},
              {"editable", p.editable},
              {"fee", p.fee},
              {"files", std::move(files)},
              {"created_at", p.created_at},
              {"updated_at", p.updated_at},
              {"submitted_at", or_null(p.submitted_at)},
              {"outcome", outcome_json(p.outcome)}};
  if (p.payment) out["payment"] = payment_json(*p.payment);
  if (!p.unsaved.empty()) out["unsaved"] = errors_json(p.unsaved);
  return out;
}

json to_json(const MyPractices& mine) {
  json list = json::array();
  for (const auto& p : mine.practices) list.push_back(to_json(p));
  return {{"practices", std::move(list)},
          {"fee", {{"per_practice", mine.per_practice},
                   {"practices", mine.owned},
                   {"total", mine.per_practice * mine.owned},
                   {"currency", mine.currency}}},
          {"editable", mine.editable}};
}

json to_json(const ListedPractice& p) {
  json out = to_json(p.view);
  out["document"] = document_json(p.document);
  return out;
}

json to_json(const DocumentCheck& check) {
  if (check.refused) return check.refused->to_json();
  json out = check.document.to_json();
  out["bytes"] = check.bytes;
  if (check.converted_from) out["converted_from"] = *check.converted_from;
  return out;
}

std::optional<DocumentCheck> document_check_from(const json& stored) {
  if (!stored.is_object()) return std::nullopt;
  try {
    DocumentCheck out;
    out.bytes = stored.value("bytes", std::uint64_t{0});
    if (stored.value("kind", json()).is_null()) {
      out.refused = verdict_from(stored);
      return out;
    }
    out.document = document_from(stored);
    if (auto from = stored.find("converted_from"); from != stored.end() && from->is_string())
      out.converted_from = from->get<std::string>();
    return out;
  } catch (const json::exception&) {
    return std::nullopt;  // not a check this server wrote: it is made again
  }
}

}  // namespace praktika::intake
