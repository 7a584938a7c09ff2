#include "intake/intake.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <set>

#include "common/errors.h"
#include "common/json_guard.h"
#include "common/plural.h"
#include "common/utf8.h"
#include "convert/office.h"
#include "documents/check.h"
#include "forms/forms.h"
#include "intake/catalogue.h"
#include "intake/contract.h"
#include "intake/practice_row.h"
#include "intake/wire.h"
#include "media/media.h"
#include "store/columns.h"
#include "store/db.h"
#include "uploads/stored.h"
#include "store/rows.h"

namespace praktika::intake {

namespace detail {
// A practice as the service works on it: the catalogue's, with its co-authors' e-mails.
struct PracticeRow : Practice {
  std::vector<std::string> coauthors;
};
}  // namespace detail

namespace {

using nlohmann::json;

constexpr std::size_t kMaxCoauthors = 10;

Status invalid_section() {
  return Status::unprocessable("invalid_section", "Выберите одну из секций мероприятия.");
}

Status deadline_passed() {
  return Status::conflict("deadline_passed", "Приём заявок завершён: изменения больше не принимаются.");
}
Status not_open_yet() { return Status::conflict("not_open_yet", "Приём заявок ещё не начался."); }
Status not_owner() {
  return Status::forbidden("not_owner", "Изменения может вносить только автор.");
}

json parse_stored(const std::string& text) {
  auto parsed = json::parse(text, nullptr, false);
  return parsed.is_discarded() ? json::object() : parsed;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

forms::Context form_context(const EventView& event, int year) {
  forms::Context context;
  context.current_year = year;
  const timeline::Agenda* agenda = event.agenda;
  context.options_from = [agenda](std::string_view source) {
    std::vector<json> values;
    if (source == "sections")
      for (const auto& s : agenda->sections) values.emplace_back(s.number);
    if (source == "payment_forms" && agenda->fees)
      for (const auto& f : agenda->fees->payment_forms) values.emplace_back(f.id);
    return values;
  };
  return context;
}

using detail::PracticeRow;

// The clause 6.5 check of a .doc converted to .docx by LibreOffice, in a scratch folder beside
// the file (removed after). nullopt when there is no LibreOffice; a failed conversion keeps the
// "format" finding, with LibreOffice's reason in what was found.
std::optional<DocumentCheck> check_converted_doc(const std::filesystem::path& file,
                                                 const timeline::DocumentFormat& rules) {
  namespace fs = std::filesystem;
  if (!convert::office_available()) return std::nullopt;
  auto scratch = convert::ScratchDir::make(file.parent_path(), "doc-convert-");
  if (!scratch) return std::nullopt;
  const fs::path& work = scratch->path();
  std::error_code ec;
  fs::copy_file(file, work / "document.doc", ec);
  if (ec) return std::nullopt;
  auto docx = convert::convert_office(work / "document.doc", "docx", work / "out");
  if (!docx) {
    auto failed = documents::check_document_file(file, rules);
    if (!failed) return std::nullopt;
    for (auto& f : failed->findings)
      if (f.rule == "format")
        f.found = "файл Word 97–2003 (.doc), который сервер не смог преобразовать: " + docx.status().message();
    return DocumentCheck{.document = std::move(*failed)};
  }
  auto checked = documents::check_document_file(*docx, rules);
  if (!checked) return std::nullopt;
  return DocumentCheck{.document = std::move(*checked), .converted_from = "doc"};
}

const std::string kSelectPractice = std::string(detail::kPracticeColumns) + std::string(detail::kPracticeFrom);

PracticeRow read_practice(store::Stmt& q) { return PracticeRow{detail::read_practice(q), {}}; }

Status load_coauthors(store::Tx& tx, PracticeRow& row) {
  auto q = tx.prepare("SELECT email FROM practice_coauthors WHERE practice_id = ?1 ORDER BY email");
  q.bind_int(1, row.id);
  return store::each_row(q, [&]() -> Status {
    row.coauthors.push_back(q.text(0));
    return Status::ok();
  });
}

Result<std::optional<PracticeRow>> find_practice(store::Tx& tx, std::string_view event_id, std::int64_t id) {
  auto q = tx.prepare(kSelectPractice + "WHERE p.id = ?1 AND p.event_id = ?2");
  q.bind_int(1, id).bind_text(2, event_id);
  auto more = q.step();
  if (!more) return more.status();
  if (!*more) return std::optional<PracticeRow>{};
  std::vector<PracticeRow> rows{read_practice(q)};
  if (auto s = detail::fill_owners(tx, rows, [](auto& r) -> auto& { return r; }); !s) return s;
  if (auto s = load_coauthors(tx, rows.front()); !s) return s;
  return std::optional<PracticeRow>(std::move(rows.front()));
}

// The practice if `user` owns it.
Result<PracticeRow> owned_practice(store::Tx& tx, const timeline::Agenda& agenda, std::int64_t id,
                                   const accounts::User& user) {
  auto found = find_practice(tx, agenda.id, id);
  if (!found) return found.status();
  if (!*found) return errors::practice_not_found(agenda.words);
  const PracticeRow& row = **found;
  if (row.owner_id != user.id) {
    // A co-author sees the practice and learns why not; anyone else learns nothing.
    bool coauthor = std::find(row.coauthors.begin(), row.coauthors.end(), user.email) != row.coauthors.end();
    return coauthor ? not_owner() : errors::practice_not_found(agenda.words);
  }
  return std::move(**found);
}

bool registered(store::Tx& tx, std::string_view event_id, const std::string& email) {
  auto user = accounts::user_by_email(tx, email);
  if (!user || !*user) return false;
  auto q = tx.prepare("SELECT 1 FROM registrations WHERE event_id = ?1 AND user_id = ?2");
  q.bind_text(1, event_id).bind_int(2, (*user)->id);
  auto more = q.step();
  return more && *more;
}

// The registration's answers, consents and last change, from columns first…first+2 of `q`.
RegistrationView read_registration(const store::Stmt& q, int first, const timeline::Timeline& timeline) {
  RegistrationView out;
  json consents;
  std::int64_t updated_at = 0;
  store::read_columns(q, first, store::json_object(out.answers), store::json_object(consents), updated_at);
  for (const auto& [id, at] : consents.items())
    if (at.is_number_integer()) out.consents[id] = timeline.format(from_ms(at.get<std::int64_t>()));
  out.updated_at = timeline.format(from_ms(updated_at));
  return out;
}

Result<std::optional<RegistrationView>> find_registration(store::Tx& tx, std::string_view event_id,
                                                          std::int64_t user_id, const timeline::Timeline& timeline) {
  auto q = tx.prepare("SELECT answers, consents, updated_at FROM registrations WHERE event_id = ?1 AND user_id = ?2");
  q.bind_text(1, event_id).bind_int(2, user_id);
  auto more = q.step();
  if (!more) return more.status();
  if (!*more) return std::optional<RegistrationView>();
  return std::optional<RegistrationView>(read_registration(q, 0, timeline));
}

}  // namespace

bool charges_fees(const timeline::Agenda& agenda) { return agenda.fees && agenda.fees->per_practice > 0; }

IntakeService::IntakeService(store::Db& db, const timeline::Clock& clock, FindEvent find_event,
                             std::filesystem::path files_dir)
    : db_(db), clock_(clock), find_event_(std::move(find_event)), files_dir_(std::move(files_dir)) {}

Result<EventView> IntakeService::open_event(std::string_view event_id, bool for_writing) const {
  auto event = find_event_(event_id);
  if (!event) return errors::event_not_found();
  if (!event->agenda->practice || !event->agenda->registration)
    return Status::not_found("no_intake", "У этого мероприятия нет приёма заявок.");
  if (for_writing) {
    TimePoint now = clock_.now();
    switch (event->timeline->state_at("intake", now)) {
      case timeline::StageState::upcoming:
        return not_open_yet();
      case timeline::StageState::closed:
        return deadline_passed();
      case timeline::StageState::open:
        break;
    }
  }
  return *event;
}

int IntakeService::current_year(const EventView& event) const {
  TimePoint local = clock_.now() + std::chrono::minutes(event.timeline->utc_offset_minutes());
  return static_cast<int>(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(local)).year());
}

Result<std::optional<RegistrationView>> IntakeService::registration(const accounts::User& user,
                                                                    std::string_view event_id) {
  auto event = open_event(event_id, false);
  if (!event) return event.status();
  std::optional<RegistrationView> out;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto found = find_registration(tx, event_id, user.id, *event->timeline);
    if (!found) return found.status();
    out = std::move(*found);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<RegistrationView> IntakeService::save_registration(const accounts::User& user, std::string_view event_id,
                                                          const json& answers) {
  auto event = open_event(event_id, true);
  if (!event) return event.status();
  const auto& form = *event->agenda->registration;
  auto checked = forms::check(form.fields, answers, forms::Mode::complete, form_context(*event, current_year(*event)));
  if (!checked.ok()) return forms::to_status(checked.errors);
  std::int64_t now = to_ms(clock_.now());
  RegistrationView out;
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    json consents = json::object();
    auto q = tx.prepare("SELECT consents FROM registrations WHERE event_id = ?1 AND user_id = ?2");
    q.bind_text(1, event_id).bind_int(2, user.id);
    auto more = q.step();
    if (!more) return more.status();
    if (*more) consents = parse_stored(q.text(0));
    // A consent keeps the instant it was first given; one withdrawn is forgotten.
    json kept = json::object();
    for (const auto& field : form.fields) {
      if (field.type != "consent") continue;
      if (checked.values.value(field.id, false)) kept[field.id] = consents.value(field.id, now);
    }
    auto upsert = tx.prepare(
        "INSERT INTO registrations(event_id, user_id, answers, consents, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT(event_id, user_id) DO UPDATE SET "
        "answers = excluded.answers, consents = excluded.consents, updated_at = excluded.updated_at");
    upsert.bind_text(1, event_id).bind_int(2, user.id).bind_text(3, checked.values.dump()).bind_text(4, kept.dump());
    if (auto st = upsert.bind_int(5, now).run(); !st) return st;
    auto saved = find_registration(tx, event_id, user.id, *event->timeline);
    if (!saved) return saved.status();
    out = std::move(**saved);  // just written in this transaction
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

namespace {

PaymentView payment_view(store::Tx& tx, const PracticeRow& row, const EventView& event) {
  if (!charges_fees(*event.agenda)) return {.state = "not_required", .amount = 0};
  const auto& fees = *event.agenda->fees;  // charges_fees: there are fees
  PaymentView out{.state = "awaiting_proof", .amount = fees.per_practice, .currency = fees.currency};
  auto q = tx.prepare("SELECT state, reason, upload_id, sent_at, decided_at FROM payments WHERE practice_id = ?1");
  q.bind_int(1, row.id);
  auto more = q.step();
  if (more && *more) {
    out.state = q.text(0);
    out.proof = PaymentView::Proof{
        .upload = q.text(2),
        .reason = q.is_null(1) ? std::nullopt : std::optional<std::string>(q.text(1)),
        .sent_at = event.timeline->format(from_ms(q.int64(3))),
        .decided_at = q.is_null(4) ? std::nullopt
                                   : std::optional<std::string>(event.timeline->format(from_ms(q.int64(4))))};
  }
  return out;
}

// The owner's uploads sent for this practice (tus metadata "practice"), newest first.
std::vector<uploads::StoredFile> files_newest_first(store::Tx& tx, const PracticeRow& row) {
  auto files = uploads::files_of_practice(tx, row.event_id, row.owner_id, row.id);
  if (!files) return {};
  return {std::make_move_iterator(files->rbegin()), std::make_move_iterator(files->rend())};
}

// The complete files attached to the practice, as "purpose" and "purpose:field" (the field a
// file answers, upload metadata "field").
std::set<std::string> attached_files(store::Tx& tx, const PracticeRow& row) {
  std::set<std::string> out;
  auto files = uploads::files_of_practice(tx, row.event_id, row.owner_id, row.id);
  if (!files) return out;
  for (const auto& f : *files) {
    if (f.state != "complete") continue;
    out.insert(f.purpose);
    if (f.field) out.insert(f.purpose + ":" + *f.field);
  }
  return out;
}

// The form context of one practice: its attached files answer fields that allow attachments.
forms::Context with_files(const forms::Context& base, store::Tx& tx, const PracticeRow& row) {
  forms::Context context = base;
  auto files = std::make_shared<const std::set<std::string>>(attached_files(tx, row));
  context.attached = [files](std::string_view purpose, std::string_view path) {
    return files->count(std::string(purpose) + ":" + std::string(path)) > 0;
  };
  return context;
}

// The organiser's final decision (written by the review module), once the institution was told.
std::optional<OutcomeNotice> told_outcome(store::Tx& tx, const PracticeRow& row, const EventView& event) {
  auto q = tx.prepare(
      "SELECT outcome, reason, notified_at FROM practice_outcomes WHERE practice_id = ?1 AND notified_at IS NOT NULL");
  q.bind_int(1, row.id);
  auto more = q.step();
  if (!more || !*more) return std::nullopt;
  return OutcomeNotice{q.text(0), q.text(1), event.timeline->format(from_ms(q.int64(2)))};
}

PracticeView practice_view(store::Tx& tx, const PracticeRow& row, const EventView& event,
                           const forms::Context& context, bool editable) {
  PracticeView out{.practice = row, .editable = editable};
  for (const auto& email : row.coauthors) out.co_authors.push_back({email, registered(tx, row.event_id, email)});
  out.missing = forms::check(event.agenda->practice->fields, row.answers, forms::Mode::complete,
                             with_files(context, tx, row))
                    .errors;
  const auto* section = event.agenda->find_section(row.section);
  out.section_title = section ? section->title : "";
  out.fee = event.agenda->fees ? event.agenda->fees->per_practice : 0;
  out.payment = payment_view(tx, row, event);
  out.files = files_newest_first(tx, row);
  out.created_at = event.timeline->format(from_ms(row.created_at));
  out.updated_at = event.timeline->format(from_ms(row.updated_at));
  if (row.submitted_at) out.submitted_at = event.timeline->format(from_ms(*row.submitted_at));
  out.outcome = told_outcome(tx, row, event);
  return out;
}

// The practice as its owner sees it right after a change, in the same transaction.
Status reload(store::Tx& tx, std::string_view event_id, std::int64_t id, const EventView& event,
              const forms::Context& context, PracticeView& out) {
  auto fresh = find_practice(tx, event_id, id);
  if (!fresh) return fresh.status();
  if (!*fresh) return errors::practice_not_found(event.agenda->words);
  out = practice_view(tx, **fresh, event, context, true);
  return Status::ok();
}

// Every row of a practice query, with co-authors.
Result<std::vector<PracticeRow>> read_practices(store::Tx& tx, store::Stmt& q) {
  std::vector<PracticeRow> rows;
  if (auto s = store::each_row(q, [&]() -> Status {
    rows.push_back(read_practice(q));
    return Status::ok();
  }); !s) return s;
  if (auto s = detail::fill_owners(tx, rows, [](auto& r) -> auto& { return r; }); !s) return s;
  for (auto& row : rows)
    if (auto st = load_coauthors(tx, row); !st) return st;
  return rows;
}

Result<std::vector<std::string>> read_coauthors(const json& value, const std::string& owner_email) {
  if (!value.is_array() || value.size() > kMaxCoauthors)
    return Status::unprocessable("invalid_co_authors",
                                 "Соавторы указываются списком адресов электронной почты (не больше 10).");
  std::vector<std::string> out;
  for (const auto& item : value) {
    if (!item.is_string()) return Status::unprocessable("invalid_co_authors", "Адрес соавтора должен быть строкой.");
    std::string email = lower(clean_text(item.get_ref<const std::string&>(), TextLines::one));
    auto at = email.find('@');
    if (at == std::string::npos || at == 0 || email.find('.', at) == std::string::npos || email.size() > 320)
      return Status::unprocessable("invalid_co_authors", "Адрес соавтора указан неверно: " + item.get<std::string>());
    if (email == owner_email) continue;
    if (std::find(out.begin(), out.end(), email) == out.end()) out.push_back(email);
  }
  return out;
}

Status store_coauthors(store::Tx& tx, std::int64_t practice_id, const std::vector<std::string>& emails) {
  if (auto s = tx.prepare("DELETE FROM practice_coauthors WHERE practice_id = ?1").bind_int(1, practice_id).run(); !s)
    return s;
  for (const auto& email : emails)
    if (auto s = tx.prepare("INSERT INTO practice_coauthors(practice_id, email) VALUES (?1, ?2)")
                     .bind_int(1, practice_id)
                     .bind_text(2, email)
                     .run();
        !s)
      return s;
  return Status::ok();
}

// An agenda without types or sections (the contest) takes practices without them.
// The refusal of a type the agenda does not have, naming the ones it has.
Status invalid_type(const timeline::Agenda& agenda) {
  const auto& types = agenda.practice->types;
  std::string list;
  for (std::size_t i = 0; i < types.size(); ++i)
    list += (i == 0 ? "" : i + 1 == types.size() ? " или " : ", ") + ("«" + types[i].title + "»");
  return Status::unprocessable("invalid_type", list.empty() ? "У этого мероприятия виды не выбирают." : "Выберите вид: " + list + ".");
}

bool valid_type(const timeline::Agenda& agenda, std::string_view type) {
  const auto& types = agenda.practice->types;
  if (types.empty()) return type.empty();
  return std::any_of(types.begin(), types.end(), [&](const auto& t) { return t.id == type; });
}

// The agenda's rules tying a practice type to how long it has run (Appendix 3: an established
// practice has run at least two years), as a form error on the start year's field.
std::optional<forms::FieldError> type_rule_error(const timeline::Agenda& agenda, std::string_view type,
                                                 const json& answers, int current_year) {
  for (const auto& rule : agenda.practice->type_rules) {
    if (rule.type != type) continue;
    const json* at = &answers;
    std::string_view path = rule.year_field;
    while (at && !path.empty()) {
      auto dot = path.find('.');
      auto found = at->is_object() ? at->find(std::string(path.substr(0, dot))) : at->end();
      at = at->is_object() && found != at->end() ? &*found : nullptr;
      path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    }
    if (!at || !at->is_number_integer()) continue;  // not answered yet: the form asks for it
    const int latest = current_year - rule.min_running_years;
    if (at->get<int>() <= latest) continue;
    const auto* field = timeline::find_field(agenda.practice->fields, rule.year_field);
    std::string type_title(type);
    for (const auto& t : agenda.practice->types)
      if (t.id == type) type_title = t.title;
    return forms::FieldError{rule.year_field, "too_recent_for_type",
                             "«" + type_title + "» реализуется не менее " +
                                 with_count(rule.min_running_years, {"года", "лет", "лет"}) + ": в поле «" +
                                 (field ? field->label : rule.year_field) + "» укажите год не позднее " +
                                 std::to_string(latest) + " или выберите другой вид " + agenda.words.genitive + "."};
  }
  return std::nullopt;
}

// The form's check and the type rules together.
forms::Checked check_practice(const timeline::Agenda& agenda, std::string_view type, const json& answers,
                              forms::Mode mode, const forms::Context& context) {
  auto checked = forms::check(agenda.practice->fields, answers, mode, context);
  if (auto e = type_rule_error(agenda, type, checked.values, context.current_year)) checked.errors.push_back(*e);
  return checked;
}

bool valid_section(const timeline::Agenda& agenda, int section) {
  return agenda.sections.empty() ? section == 0 : agenda.find_section(section) != nullptr;
}

// Purposes whose files must be attached before submission, and are not.
json missing_required_files(store::Tx& tx, const PracticeRow& row, const timeline::Agenda& agenda) {
  json missing = json::array();
  std::set<std::string> files;
  bool loaded = false;
  for (const auto& [id, purpose] : agenda.files) {
    if (!purpose.required_at_submission) continue;
    if (!loaded) files = attached_files(tx, row), loaded = true;
    if (!files.count(id)) missing.push_back({{"purpose", id}, {"title", purpose.title}});
  }
  return missing;
}

}  // namespace

Result<PracticeView> IntakeService::create_practice(const accounts::User& user, std::string_view event_id, int section,
                                            std::string_view type, const json& answers) {
  auto event = open_event(event_id, true);
  if (!event) return event.status();
  if (!valid_section(*event->agenda, section))
    return invalid_section();
  if (!valid_type(*event->agenda, type))
    return invalid_type(*event->agenda);
  auto context = form_context(*event, current_year(*event));
  auto checked = check_practice(*event->agenda, type, answers.is_null() ? json::object() : answers,
                                forms::Mode::draft, context);
  if (!checked.ok()) return forms::to_status(checked.errors);
  std::int64_t now = to_ms(clock_.now());
  PracticeView out;
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    for (const auto& check : creation_checks_)
      if (auto st = check(tx, *event, Submission{0, user.id, checked.values, from_ms(now)}); !st) return st;
    auto ins = tx.prepare(
                     "INSERT INTO practices(event_id, owner_id, section, type, answers, state, revision, created_at, "
                     "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'draft', 1, ?6, ?6)")
                   .bind_text(1, event_id)
                   .bind_int(2, user.id)
                   .bind_int(3, section)
                   .bind_text(4, type)
                   .bind_text(5, checked.values.dump())
                   .bind_int(6, now)
                   .run();
    if (!ins) return ins;
    return reload(tx, event_id, tx.last_insert_id(), *event, context, out);
  });
  if (!s) return s;
  return out;
}

namespace {

// The answer of the top-level field that `path` ("co_implementers[0].phone", "relevance.started_year")
// is in, put back as `stored` holds it (or removed when `stored` has none).
void restore_top_level(json& answers, const json& stored, const std::string& path) {
  const std::string key = path.substr(0, path.find_first_of(".["));
  if (auto was = stored.find(key); stored.is_object() && was != stored.end()) answers[key] = *was;
  else answers.erase(key);
}

}  // namespace

Result<PracticeView> IntakeService::update_practice(const accounts::User& user, std::string_view event_id, std::int64_t id,
                                            const json& patch) {
  if (!patch.is_object()) return Status::bad_request("invalid_json", "Изменения должны быть объектом JSON.");
  std::vector<forms::FieldError> unsaved;
  auto changed = change_own_practice(user, event_id, id, true, [&](store::Tx& tx, PracticeRow& row, const EventView& event,
                                                            const forms::Context& context) -> Status {
    if (auto rev = patch.find("revision"); rev != patch.end() && !rev->is_null()) {
      if (!rev->is_number_integer() || rev->get<std::int64_t>() != row.revision)
        return Status::conflict("stale_revision",
                                "Эти данные уже изменили в другом окне. Обновите страницу, чтобы не потерять правки.")
            .with_details({{"revision", row.revision}});
    }
    json merged = row.answers;
    if (auto answers = patch.find("answers"); answers != patch.end()) {
      if (!answers->is_object()) return Status::bad_request("invalid_json", "Ответы формы переданы в неверном виде.");
      for (auto it = answers->begin(); it != answers->end(); ++it) {
        if (it->is_null()) merged.erase(it.key());
        else merged[it.key()] = *it;
      }
    }
    if (auto section = patch.find("section"); section != patch.end()) {
      if (!section->is_number_integer() || !valid_section(*event.agenda, section->get<int>()))
        return invalid_section();
      row.section = section->get<int>();
    }
    if (auto type = patch.find("type"); type != patch.end()) {
      if (!type->is_string() || !valid_type(*event.agenda, type->get<std::string>()))
        return invalid_type(*event.agenda);
      row.type = type->get<std::string>();
    }
    // A submitted practice stays complete: an edit that would break it is refused, not stored. A
    // draft keeps every valid answer of the edit; the fields that hold an error keep what was
    // stored before and are named in `unsaved`, so one wrong phone never costs the description.
    auto mode = row.state == "submitted" ? forms::Mode::complete : forms::Mode::draft;
    const auto& agenda = *event.agenda;
    auto checked = check_practice(agenda, row.type, merged, mode, with_files(context, tx, row));
    if (!checked.ok() && mode == forms::Mode::draft) {
      unsaved = checked.errors;
      for (const auto& error : unsaved) restore_top_level(merged, row.answers, error.path);
      checked = check_practice(agenda, row.type, merged, mode, with_files(context, tx, row));
      if (!checked.ok()) unsaved.clear();
    }
    if (!checked.ok()) return forms::to_status(checked.errors);
    if (auto co = patch.find("co_authors"); co != patch.end()) {
      auto emails = read_coauthors(*co, row.owner_email);
      if (!emails) return emails.status();
      if (auto st = store_coauthors(tx, row.id, *emails); !st) return st;
    }
    return tx
        .prepare(
            "UPDATE practices SET section = ?1, type = ?2, answers = ?3, revision = revision + 1, "
            "updated_at = ?4 WHERE id = ?5")
        .bind_int(1, row.section)
        .bind_text(2, row.type)
        .bind_text(3, checked.values.dump())
        .bind_int(4, to_ms(clock_.now()))
        .bind_int(5, row.id)
        .run();
  });
  if (changed) changed->unsaved = std::move(unsaved);
  return changed;
}

Result<PracticeView> IntakeService::submit_practice(const accounts::User& user, std::string_view event_id, std::int64_t id) {
  return change_own_practice(user, event_id, id, true, [&](store::Tx& tx, PracticeRow& row, const EventView& event,
                                                            const forms::Context& context) -> Status {
    auto checked = check_practice(*event.agenda, row.type, row.answers, forms::Mode::complete,
                                  with_files(context, tx, row));
    if (!checked.ok()) return forms::to_status(checked.errors);
    if (!registered(tx, event_id, row.owner_email))
      return Status::unprocessable("registration_missing",
                                   "Перед отправкой заполните регистрационную заявку автора.");
    if (json missing = missing_required_files(tx, row, *event.agenda); !missing.empty()) {
      std::string titles;
      for (const auto& m : missing) titles += (titles.empty() ? "«" : ", «") + m["title"].get<std::string>() + "»";
      return Status::unprocessable("required_file_missing", "Заявка не отправлена: не загружен обязательный файл — " +
                                                                titles + ".")
          .with_details(std::move(missing));
    }
    TimePoint now = clock_.now();
    for (const auto& check : submission_checks_)
      if (auto st = check(tx, event, Submission{row.id, row.owner_id, checked.values, now}); !st) return st;
    return tx
        .prepare(
            "UPDATE practices SET state = 'submitted', submitted_at = ?1, updated_at = ?1, "
            "revision = revision + 1 WHERE id = ?2")
        .bind_int(1, to_ms(clock_.now()))
        .bind_int(2, row.id)
        .run();
  });
}

// Runs `change` on the caller's own practice in one transaction and answers the practice as it is
// afterwards; `needs_open_intake` refuses it outside the intake.
Result<PracticeView> IntakeService::change_own_practice(const accounts::User& user, std::string_view event_id,
                                                        std::int64_t id, bool needs_open_intake,
                                                        const PracticeChange& change) {
  auto event = open_event(event_id, needs_open_intake);
  if (!event) return event.status();
  auto context = form_context(*event, current_year(*event));
  PracticeView out;
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto owned = owned_practice(tx, *event->agenda, id, user);
    if (!owned) return owned.status();
    if (auto st = change(tx, *owned, *event, context); !st) return st;
    return reload(tx, event_id, id, *event, context, out);
  });
  if (!s) return s;
  return out;
}

Status IntakeService::delete_practice(const accounts::User& user, std::string_view event_id, std::int64_t id) {
  auto event = open_event(event_id, true);
  if (!event) return event.status();
  return db_.transaction([&](store::Tx& tx) -> Status {
    auto owned = owned_practice(tx, *event->agenda, id, user);
    if (!owned) return owned.status();
    return tx.prepare("DELETE FROM practices WHERE id = ?1").bind_int(1, id).run();
  });
}

Result<PracticeView> IntakeService::practice(const accounts::Identity& who, std::string_view event_id,
                                             std::int64_t id) {
  auto event = open_event(event_id, false);
  if (!event) return event.status();
  bool editable = event->timeline->is_open("intake", clock_.now());
  auto context = form_context(*event, current_year(*event));
  PracticeView out;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto found = find_practice(tx, event_id, id);
    if (!found) return found.status();
    if (!*found) return errors::practice_not_found(event->agenda->words);
    const PracticeRow& row = **found;
    bool is_coauthor = std::find(row.coauthors.begin(), row.coauthors.end(), who.user.email) != row.coauthors.end();
    // Others learn nothing, not even that the practice exists.
    if (row.owner_id != who.user.id && !is_coauthor && !accounts::is_organiser(who, event_id))
      return errors::practice_not_found(event->agenda->words);
    out = practice_view(tx, row, *event, context, editable && row.owner_id == who.user.id);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<PracticeView> IntakeService::practice_for_review(std::string_view event_id, std::int64_t id) {
  auto event = open_event(event_id, false);
  if (!event) return event.status();
  auto context = form_context(*event, current_year(*event));
  PracticeView out;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto found = find_practice(tx, event_id, id);
    if (!found) return found.status();
    if (!*found) return errors::practice_not_found(event->agenda->words);
    out = practice_view(tx, **found, *event, context, false);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<MyPractices> IntakeService::my_practices(const accounts::Identity& who, std::string_view event_id) {
  auto event = open_event(event_id, false);
  if (!event) return event.status();
  const auto& fees = event->agenda->fees;
  MyPractices out{.per_practice = fees ? fees->per_practice : 0,
                  .currency = fees ? fees->currency : "",
                  .editable = event->timeline->is_open("intake", clock_.now())};
  auto context = form_context(*event, current_year(*event));
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(kSelectPractice +
                        "WHERE p.event_id = ?1 AND (p.owner_id = ?2 OR p.id IN "
                        "(SELECT practice_id FROM practice_coauthors WHERE email = ?3)) ORDER BY p.id");
    q.bind_text(1, event_id).bind_int(2, who.user.id).bind_text(3, who.user.email);
    auto rows = read_practices(tx, q);
    if (!rows) return rows.status();
    for (const auto& row : *rows) {
      const bool own = row.owner_id == who.user.id;
      if (own) ++out.owned;
      out.practices.push_back(practice_view(tx, row, *event, context, out.editable && own));
    }
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<std::string> IntakeService::contract(const accounts::User& user, std::string_view event_id,
                                            std::string_view payment_form) {
  auto event = open_event(event_id, false);
  if (!event) return event.status();
  const auto& fees = event->agenda->fees;
  if (!fees || !fees->contract_document)
    return Status::not_found("no_contract", "Для этого мероприятия договор не предусмотрен.");
  // A contract with the template's requisites («(заполнить)», ИНН 0000000000) would be paid to nobody.
  if (fees->contract_placeholder)
    return Status::conflict("contract_not_ready", "Договор будет доступен, когда организатор укажет реквизиты.");
  ContractInput input;
  input.event_title = event->agenda->title;
  bool has_registration = false;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto registration = registration_of(tx, event_id, user.id);
    if (!registration) return registration.status();
    if (!*registration) return Status::ok();
    has_registration = true;
    input.registration = std::move((*registration)->answers);
    auto q = tx.prepare(kSelectPractice +
                        "WHERE p.event_id = ?1 AND p.owner_id = ?2 AND p.state = 'submitted' ORDER BY p.id");
    q.bind_text(1, event_id).bind_int(2, user.id);
    auto rows = read_practices(tx, q);
    if (!rows) return rows.status();
    for (const auto& row : *rows) input.practices.push_back({row.id, row.answers.value("name", ""), row.section});
    return Status::ok();
  });
  if (!s) return s;
  if (!has_registration)
    return Status::conflict("not_registered", "Сначала заполните регистрационную форму: из неё берутся данные плательщика.");
  input.payment_form = payment_form.empty() ? input.registration.value("payment_form", "") : std::string(payment_form);
  if (std::none_of(fees->payment_forms.begin(), fees->payment_forms.end(),
                   [&](const timeline::Choice& c) { return c.id == input.payment_form; })) {
    std::string known;
    for (const auto& c : fees->payment_forms) known += (known.empty() ? "«" : "», «") + c.title;
    return Status::unprocessable("unknown_payment_form", "Выберите форму оплаты: " + known + "».");
  }
  if (input.practices.empty())
    return Status::conflict("no_practices", "Договор составляется на отправленные " + event->agenda->words.many +
                                                ", а отправленных " + event->agenda->words.genitive_plural + " пока нет.");
  // The event's local date; the number names the payer and the day, so a contract downloaded
  // again the same day carries the same number.
  std::string local = event->timeline->format(clock_.now());
  input.date = local.substr(8, 2) + "." + local.substr(5, 2) + "." + local.substr(0, 4);
  input.number = std::to_string(user.id) + "-" + local.substr(0, 4) + local.substr(5, 2) + local.substr(8, 2);
  if (event->agenda->registration)
    for (const auto& [form, field] : fees->contract_document->payer_field)
      if (const auto* f = timeline::find_field(event->agenda->registration->fields, field); f && !f->label.empty())
        input.payer_labels[form] = f->label;
  return render_contract(*fees, *fees->contract_document, input);
}

Result<PracticeView> IntakeService::attach_payment(const accounts::User& user, std::string_view event_id, std::int64_t id,
                                           std::string_view upload_id) {
  return change_own_practice(user, event_id, id, false, [&](store::Tx& tx, PracticeRow& row, const EventView&,
                                                             const forms::Context&) -> Status {
    auto found = uploads::find_file(tx, event_id, upload_id);
    if (!found) return found.status();
    if (!*found || (*found)->owner_id != user.id) return errors::upload_not_found();
    if ((*found)->purpose != "payment")
      return Status::unprocessable("wrong_purpose", "Прикрепите скан платёжного документа (загрузка для оплаты).");
    if ((*found)->state != "complete")
      return Status::unprocessable("upload_incomplete", "Файл ещё не загружен полностью или не прошёл проверку.");
    auto current = tx.prepare("SELECT state FROM payments WHERE practice_id = ?1");
    current.bind_int(1, row.id);
    auto has = current.step();
    if (!has) return has.status();
    if (*has && current.text(0) == "confirmed")
      return Status::conflict("payment_confirmed", "Оплата уже подтверждена организатором.");
    return tx
        .prepare(
            "INSERT INTO payments(practice_id, upload_id, state, sent_at) VALUES (?1, ?2, 'proof_sent', ?3) "
            "ON CONFLICT(practice_id) DO UPDATE SET upload_id = excluded.upload_id, state = 'proof_sent', "
            "reason = NULL, decided_by = NULL, decided_at = NULL, sent_at = excluded.sent_at")
        .bind_int(1, row.id)
        .bind_text(2, upload_id)
        .bind_int(3, to_ms(clock_.now()))
        .run();
  });
}

Result<PracticeView> IntakeService::decide_payment(const accounts::User& organiser, std::string_view event_id,
                                                   std::int64_t id, bool confirm, std::string_view reason) {
  auto event = open_event(event_id, false);
  if (!event) return event.status();
  if (!confirm && reason.empty())
    return Status::unprocessable("reason_required", "Укажите причину, по которой платёжный документ возвращён.");
  auto context = form_context(*event, current_year(*event));
  PracticeView out;
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto found = find_practice(tx, event_id, id);
    if (!found) return found.status();
    if (!*found) return errors::practice_not_found(event->agenda->words);
    auto upd = tx.prepare(
                     "UPDATE payments SET state = ?1, reason = ?2, decided_by = ?3, decided_at = ?4 "
                     "WHERE practice_id = ?5 AND state = 'proof_sent'")
                   .bind_text(1, confirm ? "confirmed" : "returned")
                   .bind_text(2, reason)
                   .bind_int(3, organiser.id)
                   .bind_int(4, to_ms(clock_.now()))
                   .bind_int(5, id)
                   .run();
    if (!upd) return upd;
    if (tx.changes() == 0)
      return Status::conflict("no_payment_to_decide", "Платёжный документ по " +
                                                          std::string(event->agenda->words.agree("этой ", "этому ", "этому ")) +
                                                          event->agenda->words.dative + " не ожидает решения.");
    auto fresh = find_practice(tx, event_id, id);
    if (!fresh) return fresh.status();
    out = practice_view(tx, **fresh, *event, context, false);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<media::Verdict> IntakeService::check_media(std::string_view event_id, std::string_view purpose,
                                                  const std::filesystem::path& file, std::string_view declared_name) {
  auto event = find_event_(event_id);
  if (!event) return errors::event_not_found();
  const timeline::FilePurpose* rules = event->agenda->find_files(purpose);
  if (!rules)
    return Status::bad_request("unknown_purpose",
                               "Неизвестное назначение файла.");
  return media::check_file(file, *rules, declared_name);
}

Result<DocumentCheck> IntakeService::check_document(std::string_view event_id, const std::filesystem::path& file,
                                                    std::string_view declared_name) {
  auto event = find_event_(event_id);
  if (!event) return errors::event_not_found();
  const timeline::FilePurpose* rules = event->agenda->find_files("document");
  if (!rules || !rules->formatting)
    return Status::not_found("no_document_rules", "У этого мероприятия нет требований к оформлению документа.");
  // The file must first be a file of the purpose (type, size); then its formatting is read.
  media::Verdict verdict = media::check_file(file, *rules, declared_name);
  if (!verdict.ok && verdict.kind.empty()) return DocumentCheck{.refused = std::move(verdict)};
  auto formatting = documents::check_document_file(file, *rules->formatting);
  if (!formatting) return formatting.status();
  DocumentCheck out{.document = std::move(*formatting)};
  if (out.document.kind == "doc") {
    // A Word 97–2003 file: converted to .docx when LibreOffice is here, then checked like any other;
    // otherwise the finding "format" asks the author to re-save it as .docx.
    if (auto converted = check_converted_doc(file, *rules->formatting)) out = std::move(*converted);
  }
  for (const auto& f : verdict.findings) out.document.findings.push_back({f.rule, "файл", f.found, f.expected});
  out.document.ok = out.document.findings.empty();
  out.bytes = verdict.bytes;
  return out;
}

std::vector<std::string> DocumentCheck::rules() const {
  std::vector<std::string> out;
  auto add = [&out](const std::string& rule) {
    if (std::find(out.begin(), out.end(), rule) == out.end()) out.push_back(rule);
  };
  if (refused)
    for (const auto& f : refused->findings) add(f.rule);
  else
    for (const auto& f : document.findings) add(f.rule);
  return out;
}

Result<std::vector<ListedPractice>> IntakeService::list_practices(std::string_view event_id,
                                                                 const PracticeFilter& filter) {
  auto event = open_event(event_id, false);
  if (!event) return event.status();
  auto context = form_context(*event, current_year(*event));
  std::vector<PracticeView> list;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(kSelectPractice +
                        "WHERE p.event_id = ?1 AND (p.section = ?2 OR ?2 IS NULL) AND (?3 = '' OR p.type = ?3) "
                        "AND (?4 = '' OR p.state = ?4) ORDER BY p.section, p.id");
    q.bind_text(1, event_id)
        .bind_int(2, filter.section ? std::optional<std::int64_t>(*filter.section) : std::nullopt)
        .bind_text(3, filter.type)
        .bind_text(4, filter.state);
    auto rows = read_practices(tx, q);
    if (!rows) return rows.status();
    for (const auto& row : *rows) {
      PracticeView practice = practice_view(tx, row, *event, context, false);
      if (!filter.payment.empty() && practice.payment->state != filter.payment) continue;
      list.push_back(std::move(practice));
    }
    return Status::ok();
  });
  if (!s) return s;
  // The latest complete document of each practice with its clause 6.5 findings; checked outside
  // the read above (a check reads the whole file) and kept, so only new documents cost anything.
  std::vector<ListedPractice> shown;
  for (auto& practice : list) {
    auto document = latest_document(event_id, practice);
    const std::string& want = filter.document;
    if (want == "missing" && document) continue;
    if (want == "ok" && (!document || !document->ok)) continue;
    if (want == "findings" && (!document || document->ok)) continue;
    shown.push_back({std::move(practice), std::move(document)});
  }
  return shown;
}

std::optional<DocumentSummary> IntakeService::latest_document(std::string_view event_id,
                                                              const PracticeView& practice) {
  for (const auto& f : practice.files) {  // newest first
    if (f.purpose != "document" || f.state != "complete") continue;
    auto checked = stored_document_check(event_id, f.id, f.file_name);
    DocumentSummary out{.upload = f.id, .file_name = f.file_name};
    if (!checked) {
      out.error = checked.status().code();
      return out;
    }
    out.ok = checked->ok();
    out.findings = checked->finding_count();
    out.rules = checked->rules();
    return out;
  }
  return std::nullopt;
}

Result<std::vector<std::string>> IntakeService::registered_emails(store::Tx& tx, std::string_view event_id) {
  auto q = tx.prepare("SELECT user_id FROM registrations WHERE event_id = ?1");
  q.bind_text(1, event_id);
  auto ids = store::read_rows<std::int64_t>(q, [](const store::Stmt& r) { return r.int64(0); });
  if (!ids) return ids.status();
  auto users = accounts::users_by_id(tx, std::set<std::int64_t>(ids->begin(), ids->end()));
  if (!users) return users.status();
  std::vector<std::string> emails;
  for (const auto& [id, user] : *users) emails.push_back(user.email);  // by account, as the map is ordered
  return emails;
}

namespace {

// How many practices of the event name each e-mail as a co-author.
Result<std::map<std::string, std::int64_t>> coauthorships(store::Tx& tx, std::string_view event_id) {
  auto q = tx.prepare(
      "SELECT c.email, count(*) FROM practice_coauthors c JOIN practices p ON p.id = c.practice_id "
      "WHERE p.event_id = ?1 GROUP BY c.email");
  q.bind_text(1, event_id);
  std::map<std::string, std::int64_t> out;
  auto s = store::each_row(q, [&] { out[q.text(0)] = q.int64(1); });
  if (!s) return s;
  return out;
}

}  // namespace

Result<std::vector<Participant>> IntakeService::list_participants(std::string_view event_id) {
  auto event = open_event(event_id, false);
  if (!event) return event.status();
  std::vector<Participant> list;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT r.user_id, (SELECT count(*) FROM practices p WHERE p.event_id = r.event_id AND p.owner_id = r.user_id), "
        "r.answers, r.consents, r.updated_at FROM registrations r WHERE r.event_id = ?1 ORDER BY r.user_id");
    q.bind_text(1, event_id);
    if (auto read = store::each_row(q, [&] {
          Participant p;
          store::read_columns(q, 0, p.user_id, p.practices_owned);
          p.registration = read_registration(q, 2, *event->timeline);
          list.push_back(std::move(p));
        }); !read)
      return read;
    if (auto filled = accounts::fill_from_users(tx, list, [](const Participant& p) { return p.user_id; },
                                                [](Participant& p, const accounts::User& user) {
                                                  p.full_name = user.full_name;
                                                  p.email = user.email;
                                                });
        !filled)
      return filled;
    auto coauthored = coauthorships(tx, event_id);
    if (!coauthored) return coauthored.status();
    for (auto& p : list)
      if (auto it = coauthored->find(p.email); it != coauthored->end()) p.practices_co_authored = it->second;
    return Status::ok();
  });
  if (!s) return s;
  std::stable_sort(list.begin(), list.end(),
                   [](const Participant& a, const Participant& b) { return a.full_name < b.full_name; });
  return list;
}

Result<DocumentCheck> IntakeService::stored_document_check(std::string_view event_id, std::string_view upload_id,
                                                           std::string_view file_name) {
  std::optional<DocumentCheck> cached;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare("SELECT result FROM document_checks WHERE upload_id = ?1");
    q.bind_text(1, upload_id);
    auto more = q.step();
    if (!more) return more.status();
    if (*more) cached = document_check_from(parse_stored(q.text(0)));
    return Status::ok();
  });
  if (!s) return s;
  if (cached) return std::move(*cached);
  auto checked = check_document(event_id, files_dir_ / std::string(upload_id), file_name);
  if (!checked) return checked;
  auto kept = db_.transaction([&](store::Tx& tx) {
    return tx.prepare("INSERT INTO document_checks(upload_id, result, checked_at) VALUES (?1, ?2, ?3) "
                      "ON CONFLICT (upload_id) DO UPDATE SET result = excluded.result, checked_at = excluded.checked_at")
        .bind_text(1, upload_id)
        .bind_text(2, to_json(*checked).dump())
        .bind_int(3, to_ms(clock_.now()))
        .run();
  });
  if (!kept) return kept;
  return checked;
}

Result<std::vector<FileEntry>> IntakeService::list_files(std::string_view event_id, const FileFilter& filter) {
  auto event = open_event(event_id, false);
  if (!event) return event.status();
  std::vector<FileEntry> list;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto files = uploads::files_of_event(tx, event_id, filter.purpose, filter.state);
    if (!files) return files.status();
    for (auto& f : *files) {
      auto owner = accounts::user_by_id(tx, f.owner_id);
      if (!owner) return owner.status();
      if (!*owner) continue;
      // A file counts for a practice only when the practice's owner sent it.
      std::optional<Practice> practice;
      if (f.practice_id) {
        auto found = practice_by_id(tx, event_id, *f.practice_id);
        if (!found) return found.status();
        if (*found && (*found)->owner_id == f.owner_id) practice = std::move(**found);
      }
      if (filter.practice && (!practice || practice->id != *filter.practice)) continue;
      FileEntry entry{.owner_id = (*owner)->id, .owner_name = (*owner)->full_name, .owner_email = (*owner)->email};
      if (practice) {
        entry.practice = practice->id;
        if (auto name = practice->answers.find("name"); name != practice->answers.end() && name->is_string())
          entry.practice_title = name->get<std::string>();
      }
      entry.created_at = event->timeline->format(from_ms(f.created_at));
      entry.updated_at = event->timeline->format(from_ms(f.updated_at));
      entry.file = std::move(f);
      list.push_back(std::move(entry));
    }
    return Status::ok();
  });
  if (!s) return s;
  return list;
}

}  // namespace praktika::intake
