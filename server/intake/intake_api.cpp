#include "intake/intake_api.h"

#include <charconv>

#include "accounts/accounts_api.h"
#include "api/http.h"
#include "common/errors.h"
#include "export/export.h"
#include "intake/wire.h"

namespace praktika::intake {
namespace {

using nlohmann::json;
using api::parse_id;

std::string flatten(const json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "да" : "нет";
  if (value.is_number()) return value.dump();
  std::string out;
  if (value.is_array()) {
    for (const auto& item : value) {
      if (!out.empty()) out += "; ";
      out += flatten(item);
    }
  } else {
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (!out.empty()) out += ", ";
      out += flatten(*it);
    }
  }
  return out;
}

// The words a person reads in an exported table instead of the ids the lists carry: the agenda's
// titles for its own choices (practice types, payment forms, file purposes), Russian for the
// intake's fixed states, and instants as «04.12.2026 10:04» in the event's offset.
std::string title_of(const std::vector<timeline::Choice>& choices, const json& id) {
  if (!id.is_string()) return flatten(id);
  for (const auto& c : choices)
    if (c.id == id.get<std::string>()) return c.title;
  return flatten(id);
}

std::string word_for(const std::map<std::string, std::string>& words, const json& id) {
  if (!id.is_string()) return flatten(id);
  auto it = words.find(id.get<std::string>());
  return it == words.end() ? flatten(id) : it->second;
}

const std::map<std::string, std::string> kPracticeState = {{"draft", "черновик"}, {"submitted", "отправлена"}};
const std::map<std::string, std::string> kPaymentState = {{"awaiting_proof", "ожидается документ об оплате"},
                                                          {"proof_sent", "документ отправлен, на проверке"},
                                                          {"confirmed", "оплата подтверждена"},
                                                          {"returned", "документ возвращён"},
                                                          {"not_required", "оплата не нужна"}};
// The checks' rule ids as the pages name them (web/src/components/FileCheck.tsx, kRuleTitle).
const std::map<std::string, std::string> kRuleWords = {
    {"format", "формат файла"},           {"archive", "архив вместо документа"},
    {"font", "шрифт"},                    {"font_size", "размер шрифта"},
    {"line_spacing", "межстрочный интервал"}, {"alignment", "выравнивание текста"},
    {"first_line_indent", "абзацный отступ"}, {"bold_headings", "заголовки"},
    {"caption", "подписи к рисункам и таблицам"}, {"references", "ссылки на литературу"},
    {"margins", "поля страницы"},         {"type", "тип файла"},
    {"size", "размер файла"},             {"duration", "длительность"},
    {"slides", "число слайдов"},          {"unreadable", "файл не читается"}};
const std::map<std::string, std::string> kFileState = {{"receiving", "загружается"}, {"complete", "получен"},
                                                       {"rejected", "не принят"}};

std::vector<timeline::Choice> practice_types(const timeline::Agenda* agenda) {
  return agenda && agenda->practice ? agenda->practice->types : std::vector<timeline::Choice>{};
}
std::vector<timeline::Choice> payment_forms(const timeline::Agenda* agenda) {
  return agenda && agenda->fees ? agenda->fees->payment_forms : std::vector<timeline::Choice>{};
}
std::vector<timeline::Choice> file_purposes(const timeline::Agenda* agenda) {
  std::vector<timeline::Choice> out;
  if (agenda)
    for (const auto& [id, purpose] : agenda->files) out.push_back({id, purpose.title, ""});
  return out;
}

// The wire JSON of the service's answers (docs/protocol.md).
json wire(const RegistrationView& r) {
  return {{"answers", r.answers}, {"consents", r.consents}, {"complete", true}, {"updated_at", r.updated_at}};
}
json wire(const std::optional<RegistrationView>& r) { return r ? wire(*r) : json(nullptr); }

json wire(const Participant& p) {
  return {{"user", {{"id", p.user_id}, {"full_name", p.full_name}, {"email", p.email}}},
          {"answers", p.registration.answers},
          {"consents", p.registration.consents},
          {"updated_at", p.registration.updated_at},
          {"practices_owned", p.practices_owned},
          {"practices_co_authored", p.practices_co_authored}};
}

// What the uploads' check found in a file: the ids of its rules, in order (a file not checked yet has none).
json finding_rules(const json& verdict) {
  json rules = json::array();
  if (verdict.is_object())
    for (const auto& finding : verdict.value("findings", json::array())) rules.push_back(finding.value("rule", ""));
  return rules;
}
json verdict_value(const json& verdict, const char* key) {
  return verdict.is_object() ? verdict.value(key, json()) : json();
}

json wire(const FileEntry& e) {
  const uploads::StoredFile& f = e.file;
  return {{"id", f.id},
          {"purpose", f.purpose},
          {"file_name", f.file_name},
          {"length", f.length},
          {"state", f.state},
          {"kind", verdict_value(f.verdict, "kind")},
          {"ok", verdict_value(f.verdict, "ok")},
          {"findings", finding_rules(f.verdict)},
          {"owner", {{"id", e.owner_id}, {"full_name", e.owner_name}, {"email", e.owner_email}}},
          {"practice", e.practice ? json(*e.practice) : json()},
          {"practice_title", e.practice_title ? json(*e.practice_title) : json()},
          {"created_at", e.created_at},
          {"updated_at", e.updated_at},
          {"url", "/api/uploads/" + f.id + "/file"}};
}

json wire(const ListedPractice& p) { return to_json(p); }
json practice_wire(const PracticeView& p) { return to_json(p); }

// A list under its name: {"<key>": [wire(item)…]}.
template <typename Item>
json wire_list(const char* key, const std::vector<Item>& items) {
  json list = json::array();
  for (const auto& item : items) list.push_back(wire(item));
  return {{key, std::move(list)}};
}

template <typename T, typename Wire>
net::Response reply_as(const Result<T>& result, Wire&& to_wire, int status = 200) {
  if (!result) return api::error_response(result.status());
  return api::json_response(status, to_wire(*result));
}

// A list route's answer: its JSON, or the table built from it as CSV or XLSX (?format=).
template <typename List>
net::Response list_reply(const net::Request& req, const Result<List>& list,
                         const std::function<json(const List&)>& to_wire,
                         const std::function<exporting::Table(const List&)>& table, const std::string& base_name) {
  auto format = exporting::format_from_query(req.query_param("format"));
  if (!format) return api::error_response(format.status());
  if (!list) return api::error_response(list.status());
  if (*format == exporting::Format::json) return api::json_response(200, to_wire(*list));
  auto file = exporting::download(table(*list), *format, base_name);
  if (!file) return api::error_response(file.status());
  return std::move(*file);
}

// The organiser's list of practices as a table.
exporting::Table practices_table(const timeline::Agenda* agenda, const std::vector<ListedPractice>& list) {
  const Noun words = agenda ? agenda->words : Noun{};
  exporting::Table t{capitalised(words.many),
                     {"№", "Секция", "Вид", "Состояние", "Оплата", "Название " + words.genitive, "Автор",
                      "E-mail автора", "Соавторы", "Организация",
                      capitalised(words.agree("отправлена", "отправлен", "отправлено")), "Документ",
                      "Замечаний к оформлению"},
                     {}};
  for (const auto& listed : list) {
    const PracticeView& view = listed.view;
    const Practice& pr = view.practice;
    std::string coauthors;
    for (const auto& c : view.co_authors) coauthors += (coauthors.empty() ? "" : ", ") + c.email;
    const auto& document = listed.document;
    t.rows.push_back({pr.id, pr.section, title_of(practice_types(agenda), pr.type), word_for(kPracticeState, pr.state),
                      word_for(kPaymentState, view.payment ? view.payment->state : ""),
                      flatten(pr.answers.value("name", json())), pr.owner_name, pr.owner_email, coauthors,
                      flatten(pr.answers.value("organisation", json())),
                      exporting::date_time_text(view.submitted_at.value_or("")),
                      document ? document->file_name : std::string("нет"),
                      document ? exporting::Cell(static_cast<std::int64_t>(document->findings)) : exporting::Cell()});
  }
  return t;
}

// The organiser's list of files as a table.
exporting::Table files_table(const timeline::Agenda* agenda, const std::vector<FileEntry>& list) {
  const Noun words = agenda ? agenda->words : Noun{};
  exporting::Table t{"Файлы",
                     {"Файл", "Назначение", "Состояние", "Байт", "Тип", "Замечания", "Участник",
                      "E-mail", capitalised(words.one), "Название " + words.genitive, "Загружен"},
                     {}};
  for (const auto& e : list) {
    const uploads::StoredFile& f = e.file;
    std::string rules;
    for (const auto& r : finding_rules(f.verdict)) rules += (rules.empty() ? "" : ", ") + word_for(kRuleWords, r);
    t.rows.push_back({f.file_name, title_of(file_purposes(agenda), f.purpose), word_for(kFileState, f.state), f.length,
                      flatten(verdict_value(f.verdict, "kind")), rules, e.owner_name, e.owner_email,
                      e.practice ? exporting::Cell(*e.practice) : exporting::Cell(), e.practice_title.value_or(""),
                      exporting::date_time_text(e.created_at)});
  }
  return t;
}

// The organiser's list of participants as a table.
exporting::Table participants_table(const timeline::Agenda* agenda, const std::vector<Participant>& list) {
  exporting::Table t{"Участники",
                     {"ФИО", "E-mail", "Учреждение", "Должность", "Рабочий телефон",
                      "Мобильный телефон", "Секция", "Форма оплаты",
                      "Число " + (agenda ? agenda->words : Noun{}).genitive_plural},
                     {}};
  for (const auto& p : list) {
    const json& a = p.registration.answers;
    t.rows.push_back({p.full_name, p.email, flatten(a.value("institution", json())), flatten(a.value("position", json())),
                      flatten(a.value("work_phone", json())), flatten(a.value("mobile_phone", json())),
                      flatten(a.value("section", json())), title_of(payment_forms(agenda), a.value("payment_form", json())),
                      p.practices_owned});
  }
  return t;
}

// Checks of a file before it is uploaded: anyone may ask.
void add_check_routes(net::Router& router, IntakeService& intake, std::uint64_t largest_file) {
  // The file is the body; its name (for the family of an old Office file) in ?name=.
  net::BodyRule file_body{largest_file, true};
  router.add(
      "POST", "/api/events/{id}/check/media",
      [&intake](const net::Request& req, const net::PathParams& p) {
        auto purpose = req.query_param("purpose");
        if (!purpose)
          return api::error_response(Status::bad_request("unknown_purpose", "Укажите, для чего этот файл."));
        return reply_as(intake.check_media(p.get("id"), *purpose, req.body_file, req.query_param("name").value_or("")),
                        [](const media::Verdict& v) { return v.to_json(); });
      },
      file_body);
  router.add(
      "POST", "/api/events/{id}/check/document",
      [&intake](const net::Request& req, const net::PathParams& p) {
        return reply_as(intake.check_document(p.get("id"), req.body_file, req.query_param("name").value_or("")),
                        [](const DocumentCheck& c) { return to_json(c); });
      },
      file_body);
}

// The participant's own registration and practices.
void add_participant_routes(net::Router& router, IntakeService& intake, accounts::AccountsService& accounts) {
  auto signed_in = [&accounts](accounts::CallerHandler handler) {
    return accounts::signed_in(accounts, std::move(handler));
  };

  router.add("GET", "/api/events/{id}/registration",
             signed_in([&intake](const accounts::Identity& who, const net::Request&, const net::PathParams& p) {
               return reply_as(intake.registration(who.user, p.get("id")),
                               [](const auto& r) { return json{{"registration", wire(r)}}; });
             }));

  router.add("PUT", "/api/events/{id}/registration",
             signed_in([&intake](const accounts::Identity& who, const net::Request& req, const net::PathParams& p) {
               auto body = api::parse_json_object(req);
               if (!body) return api::error_response(body.status());
               auto answers = body->find("answers");
               if (answers == body->end())
                 return api::error_response(Status::bad_request("invalid_json", "Нет ответов на вопросы формы."));
               return reply_as(intake.save_registration(who.user, p.get("id"), *answers),
                               [](const auto& r) { return json{{"registration", wire(r)}}; });
             }));

  router.add("GET", "/api/events/{id}/practices/mine",
             signed_in([&intake](const accounts::Identity& who, const net::Request&, const net::PathParams& p) {
               return reply_as(intake.my_practices(who, p.get("id")), [](const MyPractices& m) { return to_json(m); });
             }));

  router.add("POST", "/api/events/{id}/practices",
             signed_in([&intake](const accounts::Identity& who, const net::Request& req, const net::PathParams& p) {
               auto body = api::parse_json_object(req);
               if (!body) return api::error_response(body.status());
               // Absent for an event without sections or practice types (the service checks which).
               auto section = body->find("section");
               if (section != body->end() && !section->is_number_integer())
                 return api::error_response(
                     Status::unprocessable("invalid_section", "Выберите одну из секций мероприятия."));
               auto type = body->find("type");
               if (type != body->end() && !type->is_string())
                 return api::error_response(
                     Status::unprocessable("invalid_type", "Выберите вид из списка."));
               json answers = body->value("answers", json::object());
               return reply_as(intake.create_practice(who.user, p.get("id"),
                                                      section == body->end() ? 0 : section->get<int>(),
                                                      type == body->end() ? std::string() : type->get<std::string>(),
                                                      answers),
                               practice_wire, 201);
             }));

  router.add("GET", "/api/events/{id}/practices/{practice}",
             signed_in(on_practice(false, [&intake](const accounts::Identity& who, const net::Request&,
                                                    const net::PathParams& p, std::int64_t id, const json&) {
               return reply_as(intake.practice(who, p.get("id"), id), practice_wire);
             })));

  router.add("PATCH", "/api/events/{id}/practices/{practice}",
             signed_in(on_practice(true, [&intake](const accounts::Identity& who, const net::Request&,
                                                   const net::PathParams& p, std::int64_t id, const json& body) {
               return reply_as(intake.update_practice(who.user, p.get("id"), id, body), practice_wire);
             })));

  router.add("POST", "/api/events/{id}/practices/{practice}/submit",
             signed_in(on_practice(false, [&intake](const accounts::Identity& who, const net::Request&,
                                                    const net::PathParams& p, std::int64_t id, const json&) {
               return reply_as(intake.submit_practice(who.user, p.get("id"), id), practice_wire);
             })));

  router.add("DELETE", "/api/events/{id}/practices/{practice}",
             signed_in(on_practice(false, [&intake](const accounts::Identity& who, const net::Request&,
                                                    const net::PathParams& p, std::int64_t id, const json&) {
               auto s = intake.delete_practice(who.user, p.get("id"), id);
               return s ? api::json_response(200, json::object()) : api::error_response(s);
             })));
}

// The participant's payment document and contract, and the organiser's decisions on payments.
void add_payment_routes(net::Router& router, IntakeService& intake, accounts::AccountsService& accounts) {
  auto signed_in = [&accounts](accounts::CallerHandler handler) {
    return accounts::signed_in(accounts, std::move(handler));
  };
  auto organiser = [&accounts](accounts::CallerHandler handler) {
    return accounts::organiser_only(accounts, std::move(handler));
  };

  router.add("POST", "/api/events/{id}/practices/{practice}/payment",
             signed_in(on_practice(true, [&intake](const accounts::Identity& who, const net::Request&,
                                                   const net::PathParams& p, std::int64_t id, const json& body) {
               auto upload = api::string_field(body, "upload", "загрузка", 64, true);
               if (!upload) return api::error_response(upload.status());
               return reply_as(intake.attach_payment(who.user, p.get("id"), id, *upload), practice_wire);
             })));

  router.add("GET", "/api/events/{id}/contract",
             signed_in([&intake](const accounts::Identity& who, const net::Request& req, const net::PathParams& p) {
               auto pdf = intake.contract(who.user, p.get("id"), req.query_param("payment_form").value_or(""));
               if (!pdf) return api::error_response(pdf.status());
               net::Response r;
               r.body = std::move(*pdf);
               r.set_header("Content-Type", "application/pdf");
               r.set_header("Content-Disposition", net::content_disposition("inline", "contract-" + p.get("id") + ".pdf"));
               r.set_header("Cache-Control", "no-store");
               return r;
             }));

  router.add("POST", "/api/events/{id}/intake/practices/{practice}/payment",
             organiser(on_practice(true, [&intake](const accounts::Identity& who, const net::Request&,
                                                   const net::PathParams& p, std::int64_t id, const json& body) {
               auto decision = api::string_field(body, "decision", "решение", 16, true);
               if (!decision) return api::error_response(decision.status());
               if (*decision != "confirm" && *decision != "return")
                 return api::error_response(
                     Status::unprocessable("invalid_decision", "Оплату можно подтвердить или вернуть участнику."));
               auto reason = api::string_field(body, "reason", "причина", 2000, false);
               if (!reason) return api::error_response(reason.status());
               return reply_as(intake.decide_payment(who.user, p.get("id"), id, *decision == "confirm", *reason),
                               practice_wire);
             })));
}

// The organiser's lists, as JSON or as a table to download.
void add_list_routes(net::Router& router, IntakeService& intake, accounts::AccountsService& accounts) {
  auto organiser = [&accounts](accounts::CallerHandler handler) {
    return accounts::organiser_only(accounts, std::move(handler));
  };

  router.add("GET", "/api/events/{id}/intake/practices",
             organiser([&intake](const accounts::Identity&, const net::Request& req, const net::PathParams& p) {
               PracticeFilter filter;
               if (auto s = req.query_param("section"); s && !s->empty()) {
                 auto n = parse_id(*s);
                 if (!n) return api::error_response(Status::bad_request("invalid_filter", "Неверный номер секции."));
                 filter.section = static_cast<int>(*n);
               }
               filter.type = req.query_param("type").value_or("");
               filter.state = req.query_param("state").value_or("");
               filter.payment = req.query_param("payment").value_or("");
               filter.document = req.query_param("document").value_or("");
               if (!filter.document.empty() && filter.document != "ok" && filter.document != "findings" &&
                   filter.document != "missing")
                 return api::error_response(Status::bad_request(
                     "invalid_filter", "Документы можно отобрать: без замечаний, с замечаниями или не загруженные."));
               const timeline::Agenda* agenda = intake.agenda_of(p.get("id"));
               return list_reply<std::vector<ListedPractice>>(
                   req, intake.list_practices(p.get("id"), filter),
                   [](const std::vector<ListedPractice>& list) { return wire_list("practices", list); },
                   [agenda](const std::vector<ListedPractice>& list) { return practices_table(agenda, list); },
                   "practices-" + p.get("id"));
             }));

  router.add("GET", "/api/events/{id}/intake/files",
             organiser([&intake](const accounts::Identity&, const net::Request& req, const net::PathParams& p) {
               FileFilter filter;
               filter.purpose = req.query_param("purpose").value_or("");
               filter.state = req.query_param("state").value_or("");
               if (auto s = req.query_param("practice"); s && !s->empty()) {
                 auto n = parse_id(*s);
                 if (!n) return api::error_response(Status::bad_request("invalid_filter", "Неверный номер в отборе."));
                 filter.practice = *n;
               }
               const timeline::Agenda* agenda = intake.agenda_of(p.get("id"));
               return list_reply<std::vector<FileEntry>>(
                   req, intake.list_files(p.get("id"), filter),
                   [](const std::vector<FileEntry>& list) { return wire_list("files", list); },
                   [agenda](const std::vector<FileEntry>& list) { return files_table(agenda, list); },
                   "files-" + p.get("id"));
             }));

  router.add("GET", "/api/events/{id}/intake/participants",
             organiser([&intake](const accounts::Identity&, const net::Request& req, const net::PathParams& p) {
               const timeline::Agenda* agenda = intake.agenda_of(p.get("id"));
               return list_reply<std::vector<Participant>>(
                   req, intake.list_participants(p.get("id")),
                   [](const std::vector<Participant>& list) { return wire_list("participants", list); },
                   [agenda](const std::vector<Participant>& list) { return participants_table(agenda, list); },
                   "participants-" + p.get("id"));
             }));
}

}  // namespace

accounts::CallerHandler on_practice(bool reads_body, PracticeHandler handler) {
  return [reads_body, handler](const accounts::Identity& who, const net::Request& req, const net::PathParams& p) {
    auto id = parse_id(p.get("practice"));
    if (!id) return api::error_response(errors::practice_not_found());
    json body = json::object();
    if (reads_body) {
      auto parsed = api::parse_json_object(req);
      if (!parsed) return api::error_response(parsed.status());
      body = std::move(*parsed);
    }
    return handler(who, req, p, *id, body);
  };
}

void add_routes(net::Router& router, IntakeService& intake, accounts::AccountsService& accounts,
                std::uint64_t largest_file) {
  // Every route but the checks needs a signed-in caller; the organiser's ones also the role.
  add_check_routes(router, intake, largest_file);
  add_participant_routes(router, intake, accounts);
  add_payment_routes(router, intake, accounts);
  add_list_routes(router, intake, accounts);
}

}  // namespace praktika::intake
