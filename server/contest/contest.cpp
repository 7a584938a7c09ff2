#include "contest/contest.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cctype>
#include <fstream>
#include <sstream>
#include <tuple>

#include "common/json_guard.h"
#include "contest/matching.h"
#include "intake/catalogue.h"
#include "mail/template.h"
#include "review/assignment.h"
#include "review/review.h"
#include "store/db.h"
#include "timeline/agenda_reader.h"
#include "timeline/russian_date.h"
#include "store/rows.h"

namespace praktika::contest {
namespace {

using nlohmann::json;
namespace reader = timeline::reader;

std::string digits_of(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c >= '0' && c <= '9') out += c;
  return out;
}

// The value at a dotted path of form answers, or nullptr.
const json* value_at(const json& answers, std::string_view dotted) {
  const json* at = &answers;
  std::size_t start = 0;
  for (;;) {
    if (!at->is_object()) return nullptr;
    std::size_t dot = dotted.find('.', start);
    auto it = at->find(std::string(dotted.substr(start, dot - start)));
    if (it == at->end()) return nullptr;
    at = &*it;
    if (dot == std::string_view::npos) return at;
    start = dot + 1;
  }
}

// What a person reads for a stored answer: a choice's title, a flag as да/нет, text as it is.
std::string display(const timeline::FormField* field, const json* value) {
  if (!value || value->is_null()) return "";
  if (field && (field->type == "choice" || field->item_type == "choice"))
    for (const auto& option : field->options)
      if (*value == option.id) return option.title;
  if (value->is_string()) return value->get<std::string>();
  if (value->is_boolean()) return value->get<bool>() ? "да" : "нет";
  if (value->is_number()) return value->dump();
  std::string out;
  for (const auto& item : *value) {
    std::string part = display(nullptr, &item);
    if (!part.empty()) out += (out.empty() ? "" : "; ") + part;
  }
  return out;
}

std::string text_at(const json& answers, std::string_view dotted) {
  const json* v = value_at(answers, dotted);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

int year_at(TimePoint at, int utc_offset_minutes) {
  TimePoint local = at + std::chrono::minutes(utc_offset_minutes);
  return static_cast<int>(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(local)).year());
}

void need_practice_field(const timeline::Agenda& agenda, reader::Obj& o, std::string_view key, const std::string& path) {
  if (!agenda.practice || !timeline::find_field(agenda.practice->fields, path))
    reader::fail(o.at(key), reader::in_quotes(path) + " names no field of /practice/fields");
}

// The past results file: {"results": [{"edition", "outcome", "institution", "inn"?, "region"?}]}.
std::optional<timeline::AgendaError> read_past_results(const std::filesystem::path& file, std::vector<PastResult>& out) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return timeline::AgendaError{file.string(), "", "cannot open the file"};
  std::stringstream text;
  text << in.rdbuf();
  auto doc = parse_json_guarded(text.str(), 16);
  if (!doc) return timeline::AgendaError{file.string(), "", "is not valid JSON"};
  try {
    reader::Obj o(*doc, "");
    reader::each(o.array("results", false), o.at("results"), [&](const json& j, const std::string& path) {
      reader::Obj r(j, path);
      PastResult p;
      p.edition = static_cast<int>(r.int64("edition", 1900, 3000));
      p.outcome = r.id("outcome", "_");
      p.institution = r.str("institution");
      p.institution_key = review::normalise_institution(p.institution);
      p.inn = digits_of(r.opt_str("inn"));
      p.region = r.opt_str("region");
      r.finish();
      out.push_back(std::move(p));
    });
    o.finish();
  } catch (const reader::Bad& bad) {
    return timeline::AgendaError{file.string(), bad.path, bad.problem};
  }
  return std::nullopt;
}

}  // namespace

namespace {

using ReviewPartRead = std::variant<review::ReviewPart, timeline::AgendaError>;

Eligibility read_eligibility(const timeline::Agenda& agenda, timeline::reader::Obj& o) {
  using namespace timeline::reader;
  Obj eo(o.need("eligibility"), o.at("eligibility"));
  Eligibility el;
  // Relative to the agenda file, so the agenda folder moves as one piece.
  if (auto file = eo.opt_str("past_results"); !file.empty())
    el.past_results_file = std::filesystem::path(agenda.source).parent_path() / file;
  el.institution_field = eo.str("institution_field");
  need_practice_field(agenda, eo, "institution_field", el.institution_field);
  el.inn_field = eo.opt_str("inn_field");
  if (!el.inn_field.empty()) need_practice_field(agenda, eo, "inn_field", el.inn_field);
  el.one_per_institution = eo.boolean("one_application_per_institution", false);
  each(eo.array("rules", false), eo.at("rules"), [&](const json& j, const std::string& path) {
    Obj r(j, path);
    EligibilityRule rule;
    rule.edition = static_cast<int>(r.int64("edition", 1900, 3000));
    rule.outcome = r.id("outcome", "_");
    rule.may_apply_from = r.opt_int("may_apply_from", 1900, 3000);
    rule.message = r.opt_str("message");
    r.finish();
    el.rules.push_back(std::move(rule));
  });
  eo.finish();
  return el;
}

// A list of names of practice fields, each checked against /practice/fields.
void practice_fields(const timeline::Agenda& agenda, timeline::reader::Obj& o, std::string_view key,
                     std::vector<std::string>& into) {
  using namespace timeline::reader;
  each(o.array(key, true), o.at(key), [&](const json& j, const std::string& path) {
    if (!j.is_string() || !agenda.practice || !timeline::find_field(agenda.practice->fields, j.get<std::string>()))
      fail(path, "must name a field of /practice/fields");
    into.push_back(j.get<std::string>());
  });
}

LaureateList read_laureates(const timeline::Agenda& agenda, timeline::reader::Obj& o, const ReviewPartRead& review_part) {
  using namespace timeline::reader;
  Obj lo(o.need("laureates"), o.at("laureates"));
  LaureateList list;
  each(lo.array("outcomes", true), lo.at("outcomes"), [&](const json& j, const std::string& path) {
    const auto* part = std::get_if<review::ReviewPart>(&review_part);
    if (!j.is_string() || (part && !part->valid(j.get<std::string>())))
      fail(path, "must name a decision of /review/outcomes");
    list.outcomes.push_back(j.get<std::string>());
  });
  list.public_from_milestone = lo.str("public_from");
  const timeline::Milestone* m = agenda.find_milestone(list.public_from_milestone);
  if (!m) fail(lo.at("public_from"), in_quotes(list.public_from_milestone) + " names no milestone of /milestones");
  list.public_from = m->at;
  practice_fields(agenda, lo, "fields", list.fields);
  list.region_field = lo.str("region_field");
  need_practice_field(agenda, lo, "region_field", list.region_field);
  practice_fields(agenda, lo, "export_fields", list.export_fields);
  lo.finish();
  return list;
}

Post read_post(const timeline::Agenda& agenda, timeline::reader::Obj& o, const ReviewPartRead& review_part) {
  using namespace timeline::reader;
  Obj po(o.need("post"), o.at("post"));
  Post post;
  post.deadline_milestone = po.str("deadline");
  const timeline::Milestone* m = agenda.find_milestone(post.deadline_milestone);
  if (!m) fail(po.at("deadline"), in_quotes(post.deadline_milestone) + " names no milestone of /milestones");
  post.deadline = m->at;
  post.warn_days_before = m->warn_days_before;
  const json& documents = po.need("documents");
  if (!documents.is_object() || documents.empty()) fail(po.at("documents"), "must be an object naming at least one decision");
  for (const auto& [decision, title] : documents.items()) {
    const auto* part = std::get_if<review::ReviewPart>(&review_part);
    std::string path = po.at("documents") + "/" + decision;
    if (part && !part->valid(decision)) fail(path, "must name a decision of /review/outcomes");
    if (!title.is_string() || title.get<std::string>().empty()) fail(path, "must be the document's name");
    post.documents.emplace(decision, title.get<std::string>());
  }
  post.institution_field = po.str("institution_field");
  need_practice_field(agenda, po, "institution_field", post.institution_field);
  post.head_field = po.opt_str("head_field");
  if (!post.head_field.empty()) need_practice_field(agenda, po, "head_field", post.head_field);
  practice_fields(agenda, po, "address_fields", post.address_fields);
  po.finish();
  return post;
}

// A list names an outcome by its id or by the first word of the review's wording («Лауреат …»).
void add_outcome_words(Eligibility& el, const ReviewPartRead& review_part) {
  const auto* part = std::get_if<review::ReviewPart>(&review_part);
  for (const auto& rule : el.rules) el.outcome_words[rule.outcome];
  if (!part) return;
  for (const auto& [id, title] : part->outcome_titles) {
    auto& words = el.outcome_words[id];
    std::string first = review::normalise_institution(title);
    first = first.substr(0, first.find(' '));
    if (!first.empty()) words.push_back(first);
  }
}

}  // namespace

std::variant<Settings, timeline::AgendaError> read_settings(const timeline::Agenda& agenda) {
  using namespace timeline::reader;
  Settings settings;
  auto review_part = review::read_review_part(agenda);
  auto error = read_part(agenda, "contest", [&](Obj& o) {
    if (o.find("eligibility")) settings.eligibility = read_eligibility(agenda, o);
    if (o.find("laureates")) settings.laureates = read_laureates(agenda, o, review_part);
    if (o.find("post")) settings.post = read_post(agenda, o, review_part);
    o.finish();
  });
  if (error) return *error;
  if (settings.eligibility) {
    auto& el = *settings.eligibility;
    if (!el.past_results_file.empty())
      if (auto e = read_past_results(el.past_results_file, el.past)) return *e;
    add_outcome_words(el, review_part);
  }
  return settings;
}

ContestService::ContestService(store::Db& db, const timeline::Clock& clock,
                               const std::vector<timeline::EventView>& events, intake::IntakeService& intake)
    : db_(db), clock_(clock) {
  for (const auto& view : events) {
    auto read = read_settings(*view.agenda);
    // main refused an agenda whose part does not read, so this holds.
    if (auto* settings = std::get_if<Settings>(&read); settings && (settings->eligibility || settings->laureates || settings->post))
      events_.emplace(view.agenda->id, EventRules{view, std::move(*settings)});
  }
  // Checked when the application is created (the applicant learns it before filling in 14 items)
  // and again at submission (the name or the INN may have changed since).
  intake.add_creation_check([this](store::Tx& tx, const timeline::EventView& event, const intake::Submission& practice) {
    if (auto s = check_eligibility(tx, event, practice.answers, practice.at, 0); !s) return s;
    return check_one_per_institution(tx, event, practice, true);
  });
  intake.add_submission_check([this](store::Tx& tx, const timeline::EventView& event, const intake::Submission& practice) {
    if (auto s = check_eligibility(tx, event, practice.answers, practice.at, practice.practice_id); !s) return s;
    return check_one_per_institution(tx, event, practice, false);
  });
}

Status ContestService::check_one_per_institution(store::Tx& tx, const timeline::EventView& event,
                                                 const intake::Submission& practice, bool creating) const {
  auto found = events_.find(event.agenda->id);
  if (found == events_.end() || !found->second.settings.eligibility) return Status::ok();
  const Eligibility& rules = *found->second.settings.eligibility;
  if (!rules.one_per_institution) return Status::ok();
  const std::string name = text_at(practice.answers, rules.institution_field);
  const std::string key = review::normalise_institution(name);
  const std::string inn = rules.inn_field.empty() ? std::string() : digits_of(text_at(practice.answers, rules.inn_field));
  if (key.empty() && inn.empty()) return Status::ok();
  auto others = intake::practices(tx, event.agenda->id, {.include_drafts = creating, .except = practice.practice_id});
  if (!others) return others.status();
  for (const auto& p : *others) {
    const json& answers = p.answers;
    const std::string other_inn = rules.inn_field.empty() ? std::string() : digits_of(text_at(answers, rules.inn_field));
    // Two INNs decide; without both, the names do (an INN is optional).
    bool same = !inn.empty() && !other_inn.empty()
                    ? inn == other_inn
                    : !key.empty() && key == review::normalise_institution(text_at(answers, rules.institution_field));
    if (!same) continue;
    const std::int64_t other = p.id;
    const bool submitted = p.submitted();
    return Status::conflict("already_applied", "От учреждения «" + (name.empty() ? text_at(answers, rules.institution_field) : name) +
                                                   "» уже " + (submitted ? "подана" : "создана") + " заявка № " +
                                                   std::to_string(other) +
                                                   ": от одного учреждения принимается одна заявка.")
        .with_details({{"practice", other}, {"state", p.state}, {"matched_by", !inn.empty() && !other_inn.empty() ? "inn" : "name"}});
  }
  return Status::ok();
}

const EligibilityRule* ContestService::barring_rule(const Eligibility& rules, const PastResult& past, int year) const {
  auto rule = std::find_if(rules.rules.begin(), rules.rules.end(), [&](const EligibilityRule& r) {
    return r.edition == past.edition && r.outcome == past.outcome;
  });
  // No rule, or no limit: those institutions may apply again (with revised materials).
  if (rule == rules.rules.end() || !rule->may_apply_from || year >= *rule->may_apply_from) return nullptr;
  return &*rule;
}

Result<std::vector<PastResult>> ContestService::past_for(store::Tx& tx, const EventRules& rules, std::string* source) const {
  std::vector<PastResult> out;
  auto q = tx.prepare(
      "SELECT edition, outcome, institution, inn, region FROM contest_past_results WHERE event_id = ?1 ORDER BY id");
  q.bind_text(1, rules.view.agenda->id);
  if (auto s = store::each_row(q, [&]() -> Status {
    PastResult p;
    p.edition = static_cast<int>(q.int64(0));
    p.outcome = q.text(1);
    p.institution = q.text(2);
    p.institution_key = review::normalise_institution(p.institution);
    p.inn = q.text(3);
    p.region = q.text(4);
    out.push_back(std::move(p));
    return Status::ok();
  }); !s) return s;
  if (source) *source = out.empty() ? (rules.settings.eligibility->past.empty() ? "none" : "file") : "loaded";
  if (out.empty()) return rules.settings.eligibility->past;
  return out;
}

namespace {

Result<std::optional<std::string>> decision_on(store::Tx& tx, std::int64_t practice, const std::string& past_key) {
  auto q = tx.prepare("SELECT decision FROM contest_match_decisions WHERE practice_id = ?1 AND past_key = ?2");
  q.bind_int(1, practice).bind_text(2, past_key);
  auto more = q.step();
  if (!more) return more.status();
  if (!*more) return std::optional<std::string>();
  return std::optional<std::string>(q.text(0));
}

}  // namespace

Status ContestService::check_eligibility(store::Tx& tx, const timeline::EventView& event, const json& answers,
                                         TimePoint at, std::int64_t practice) const {
  auto found = events_.find(event.agenda->id);
  if (found == events_.end() || !found->second.settings.eligibility) return Status::ok();
  const Eligibility& rules = *found->second.settings.eligibility;
  const std::string name = text_at(answers, rules.institution_field);
  const InstitutionId applicant{review::normalise_institution(name),
                                rules.inn_field.empty() ? std::string() : digits_of(text_at(answers, rules.inn_field))};
  const int year = year_at(at, event.timeline->utc_offset_minutes());
  auto past_results = past_for(tx, found->second);
  if (!past_results) return past_results.status();
  for (const auto& past : *past_results) {
    MatchKind kind = match(applicant, {past.institution_key, past.inn});
    if (kind == MatchKind::none) continue;
    const EligibilityRule* rule = barring_rule(rules, past, year);
    if (!rule) continue;
    if (unsure(kind)) {
      // Not the applicant's to suffer: it waits on the organiser's list unless they confirmed it.
      if (practice == 0) continue;
      auto decided = decision_on(tx, practice, past.key());
      if (!decided) return decided.status();
      if (!*decided || **decided != "confirmed") continue;
    }
    std::map<std::string, std::string> values = {{"institution", name.empty() ? past.institution : name},
                                                 {"edition", std::to_string(past.edition)},
                                                 {"outcome", past.outcome},
                                                 {"may_apply_from", std::to_string(*rule->may_apply_from)}};
    std::string message =
        rule->message.empty()
            ? "Учреждение «{institution}» по итогам конкурса {edition} года может снова участвовать не ранее "
              "{may_apply_from} года."
            : rule->message;
    return Status::unprocessable("not_eligible", mail::fill(message, values))
        .with_details({{"edition", past.edition},
                       {"outcome", past.outcome},
                       {"may_apply_from", *rule->may_apply_from},
                       {"matched_by", kind == MatchKind::same_inn ? "inn" : kind == MatchKind::same_name ? "name" : "confirmed"},
                       {"past_institution", past.institution}});
  }
  return Status::ok();
}

Result<const ContestService::EventRules*> ContestService::eligibility_event(std::string_view event_id) const {
  auto found = events_.find(event_id);
  if (found == events_.end() || !found->second.settings.eligibility)
    return Status::not_found("no_eligibility", "У этого мероприятия нет правил участия по итогам прошлых конкурсов.");
  return &found->second;
}

namespace {

std::string outcome_title(const timeline::Agenda& agenda, const std::string& outcome) {
  auto part = review::read_review_part(agenda);
  if (const auto* p = std::get_if<review::ReviewPart>(&part))
    if (auto it = p->outcome_titles.find(outcome); it != p->outcome_titles.end()) return it->second;
  return outcome;
}

PastEntry past_entry(const timeline::Agenda& agenda, const PastResult& p) {
  return {p.institution, p.inn, p.region, p.edition, p.outcome, outcome_title(agenda, p.outcome)};
}

}  // namespace

Result<PastPreview> ContestService::preview_past_results(std::string_view event_id, std::string_view bytes,
                                                         exporting::TableFormat format) {
  auto rules = eligibility_event(event_id);
  if (!rules) return rules.status();
  auto rows = exporting::read_table(bytes, format);
  if (!rows) return rows.status();
  auto read = read_past_results(*rows, (*rules)->settings.eligibility->outcome_words);
  PastPreview out{{}, std::move(read.errors), std::move(read.editions)};
  for (const auto& p : read.results) out.rows.push_back(past_entry(*(*rules)->view.agenda, p));
  return out;
}

Result<SavedPastResults> ContestService::save_past_results(const accounts::Identity& organiser,
                                                          std::string_view event_id, std::string_view bytes,
                                                          exporting::TableFormat format) {
  auto rules = eligibility_event(event_id);
  if (!rules) return rules.status();
  auto rows = exporting::read_table(bytes, format);
  if (!rows) return rows.status();
  auto read = read_past_results(*rows, (*rules)->settings.eligibility->outcome_words);
  if (read.results.empty())
    return Status::unprocessable("no_valid_rows", "В таблице нет ни одной верной строки: сохранять нечего.")
        .with_details({{"errors", read.errors.size()}});
  const std::int64_t now = to_ms(clock_.now());
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    for (int edition : read.editions)
      if (auto st = tx.prepare("DELETE FROM contest_past_results WHERE event_id = ?1 AND edition = ?2")
                        .bind_text(1, event_id)
                        .bind_int(2, edition)
                        .run();
          !st)
        return st;
    for (const auto& p : read.results)
      if (auto st = tx.prepare(
                          "INSERT INTO contest_past_results (event_id, edition, outcome, institution, inn, region, "
                          "loaded_by, loaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                        .bind_text(1, event_id)
                        .bind_int(2, p.edition)
                        .bind_text(3, p.outcome)
                        .bind_text(4, p.institution)
                        .bind_text(5, p.inn)
                        .bind_text(6, p.region)
                        .bind_int(7, organiser.user.id)
                        .bind_int(8, now)
                        .run();
          !st)
        return st;
    return Status::ok();
  });
  if (!s) return s;
  auto stored = past_results(event_id);
  if (!stored) return stored.status();
  return SavedPastResults{std::move(*stored), read.results.size(), read.errors.size(), read.editions};
}

Result<PastResults> ContestService::past_results(std::string_view event_id) {
  auto rules = eligibility_event(event_id);
  if (!rules) return rules.status();
  std::string source;
  std::vector<PastResult> past;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto loaded = past_for(tx, **rules, &source);
    if (!loaded) return loaded.status();
    past = std::move(*loaded);
    return Status::ok();
  });
  if (!s) return s;
  std::map<int, int> counts;
  PastResults out{source, {}, {}};
  for (const auto& p : past) {
    ++counts[p.edition];
    out.results.push_back(past_entry(*(*rules)->view.agenda, p));
  }
  for (const auto& [edition, count] : counts) out.editions.push_back({edition, count});
  return out;
}

Result<std::vector<UnsureMatch>> ContestService::unsure_matches(std::string_view event_id) {
  auto rules = eligibility_event(event_id);
  if (!rules) return rules.status();
  const Eligibility& el = *(*rules)->settings.eligibility;
  const auto& view = (*rules)->view;
  const int year = year_at(clock_.now(), view.timeline->utc_offset_minutes());
  std::vector<UnsureMatch> matches;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto past = past_for(tx, **rules);
    if (!past) return past.status();
    auto practices = intake::practices(tx, event_id, {.include_drafts = true});
    if (!practices) return practices.status();
    for (const auto& practice : *practices) {
      const std::int64_t id = practice.id;
      const std::string& state = practice.state;
      const json& answers = practice.answers;
      const std::string name = text_at(answers, el.institution_field);
      const InstitutionId applicant{review::normalise_institution(name),
                                    el.inn_field.empty() ? std::string() : digits_of(text_at(answers, el.inn_field))};
      for (const auto& p : *past) {
        MatchKind kind = match(applicant, {p.institution_key, p.inn});
        const EligibilityRule* rule = unsure(kind) ? barring_rule(el, p, year) : nullptr;
        if (!rule) continue;
        auto decided = decision_on(tx, id, p.key());
        if (!decided) return decided.status();
        matches.push_back({id, state, name, applicant.inn, std::string(to_string(kind)), past_entry(*view.agenda, p),
                           p.key(), *rule->may_apply_from, *decided});
      }
    }
    return Status::ok();
  });
  if (!s) return s;
  return matches;
}

Result<UnsureMatch> ContestService::decide_match(const accounts::Identity& organiser, std::string_view event_id,
                                                 std::int64_t practice, std::string_view past_key,
                                                 std::string_view decision) {
  if (decision != "confirmed" && decision != "dismissed")
    return Status::unprocessable("invalid_decision", "Совпадение можно подтвердить или отклонить.");
  auto listed = unsure_matches(event_id);
  if (!listed) return listed.status();
  std::optional<UnsureMatch> found;
  for (auto& m : *listed)
    if (m.practice == practice && m.past_key == past_key) found = std::move(m);
  if (!found)
    return Status::not_found("match_not_found", "Такого неточного совпадения с прошлыми итогами нет.");
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    return tx
        .prepare(
            "INSERT INTO contest_match_decisions (event_id, practice_id, past_key, decision, decided_by, decided_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (practice_id, past_key) DO UPDATE SET decision = ?4, "
            "decided_by = ?5, decided_at = ?6")
        .bind_text(1, event_id)
        .bind_int(2, practice)
        .bind_text(3, past_key)
        .bind_text(4, decision)
        .bind_int(5, organiser.user.id)
        .bind_int(6, to_ms(clock_.now()))
        .run();
  });
  if (!s) return s;
  found->decision = std::string(decision);
  return std::move(*found);
}

Result<const ContestService::EventRules*> ContestService::laureate_event(std::string_view event_id) const {
  auto found = events_.find(event_id);
  if (found == events_.end() || !found->second.settings.laureates)
    return Status::not_found("no_laureates", "У этого мероприятия нет перечня лауреатов.");
  return &found->second;
}

namespace {

struct Laureate {
  std::int64_t practice = 0;
  std::string outcome;
  json answers;
};

Result<std::vector<Laureate>> load_laureates(store::Db& db, std::string_view event_id, const LaureateList& list) {
  std::vector<Laureate> out;
  auto s = db.read([&](store::Tx& tx) -> Status {
    auto admitted = intake::admitted(tx, event_id, list.outcomes);
    if (!admitted) return admitted.status();
    for (auto& d : *admitted) out.push_back({d.practice.id, d.outcome.outcome, std::move(d.practice.answers)});
    std::sort(out.begin(), out.end(), [](const Laureate& a, const Laureate& b) { return a.practice < b.practice; });
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

std::string label_of(const timeline::Agenda& agenda, const std::string& path) {
  const auto* f = timeline::find_field(agenda.practice->fields, path);
  return f ? f->label : path;
}

}  // namespace

Result<Laureates> ContestService::laureates(const accounts::Identity* who, std::string_view event_id) {
  auto rules = laureate_event(event_id);
  if (!rules) return rules.status();
  const auto& view = (*rules)->view;
  const LaureateList& list = *(*rules)->settings.laureates;
  const timeline::Agenda& agenda = *view.agenda;
  Laureates out{clock_.now() >= list.public_from, view.timeline->format(list.public_from), agenda.title, {}, {}};
  for (const auto& f : list.fields) out.columns.push_back({f, label_of(agenda, f)});
  if (!out.published && !(who && accounts::is_organiser(*who, event_id))) return out;
  auto loaded = load_laureates(db_, event_id, list);
  if (!loaded) return loaded.status();
  auto review_part = review::read_review_part(agenda);
  const auto* titles = std::get_if<review::ReviewPart>(&review_part);
  const auto* region_field = timeline::find_field(agenda.practice->fields, list.region_field);
  for (const auto& l : *loaded) {
    auto title = titles ? titles->outcome_titles.find(l.outcome) : std::map<std::string, std::string>::const_iterator{};
    LaureateRow row{l.practice, l.outcome,
                    titles && title != titles->outcome_titles.end() ? title->second : l.outcome, {}, {}};
    for (const auto& f : list.fields)
      row.values[f] = display(timeline::find_field(agenda.practice->fields, f), value_at(l.answers, f));
    row.region = display(region_field, value_at(l.answers, list.region_field));
    out.laureates.push_back(std::move(row));
  }
  // By region, then by the first shown field (the institution's name).
  const std::string& first = list.fields.front();
  std::stable_sort(out.laureates.begin(), out.laureates.end(), [&](const LaureateRow& a, const LaureateRow& b) {
    return std::tie(a.region, a.values.at(first)) < std::tie(b.region, b.values.at(first));
  });
  return out;
}

Result<exporting::Table> ContestService::laureates_by_region(std::string_view event_id) {
  auto rules = laureate_event(event_id);
  if (!rules) return rules.status();
  const timeline::Agenda& agenda = *(*rules)->view.agenda;
  const LaureateList& list = *(*rules)->settings.laureates;
  auto loaded = load_laureates(db_, event_id, list);
  if (!loaded) return loaded.status();
  auto review_part = review::read_review_part(agenda);
  const auto* part = std::get_if<review::ReviewPart>(&review_part);
  exporting::Table table;
  table.title = "Лауреаты по регионам";
  table.columns.push_back(label_of(agenda, list.region_field));
  table.columns.push_back("Итог");
  for (const auto& f : list.export_fields) table.columns.push_back(label_of(agenda, f));
  const auto* region_field = timeline::find_field(agenda.practice->fields, list.region_field);
  for (const auto& l : *loaded) {
    exporting::Row row;
    row.push_back(display(region_field, value_at(l.answers, list.region_field)));
    auto title = part ? part->outcome_titles.find(l.outcome) : std::map<std::string, std::string>::const_iterator{};
    row.push_back(part && title != part->outcome_titles.end() ? title->second : l.outcome);
    for (const auto& f : list.export_fields)
      row.push_back(display(timeline::find_field(agenda.practice->fields, f), value_at(l.answers, f)));
    table.rows.push_back(std::move(row));
  }
  // Grouped for the regional authorities: one region's institutions together.
  std::stable_sort(table.rows.begin(), table.rows.end(), [](const exporting::Row& a, const exporting::Row& b) {
    return std::tie(a[0].text(), a[2].text()) < std::tie(b[0].text(), b[2].text());
  });
  return table;
}

namespace {

std::chrono::year_month_day local_day(TimePoint t, int utc_offset_minutes) {
  return std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(t + std::chrono::minutes(utc_offset_minutes)));
}

std::string iso_day(std::chrono::year_month_day d) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return text;
}

// "YYYY-MM-DD" naming a real calendar day, or nothing.
std::optional<std::chrono::year_month_day> parse_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  auto number = [&](std::size_t from, std::size_t n) { return std::stoi(std::string(text.substr(from, n))); };
  std::chrono::year_month_day d{std::chrono::year(number(0, 4)), std::chrono::month(static_cast<unsigned>(number(5, 2))),
                                std::chrono::day(static_cast<unsigned>(number(8, 2)))};
  if (!d.ok()) return std::nullopt;
  return d;
}

std::string joined_address(const json& answers, const std::vector<std::string>& fields, const timeline::Agenda& agenda) {
  std::string out;
  for (const auto& f : fields) {
    std::string part = display(timeline::find_field(agenda.practice->fields, f), value_at(answers, f));
    if (!part.empty()) out += (out.empty() ? "" : ", ") + part;
  }
  return out;
}

}  // namespace

Result<const ContestService::EventRules*> ContestService::post_event(std::string_view event_id) const {
  auto found = events_.find(event_id);
  if (found == events_.end() || !found->second.settings.post)
    return Status::not_found("no_post", "У этого мероприятия нет рассылки документов по почте.");
  return &found->second;
}

std::optional<std::string> ContestService::post_deadline(std::string_view event_id) const {
  auto rules = post_event(event_id);
  if (!rules) return std::nullopt;
  return (*rules)->settings.post->deadline_milestone;
}

Result<std::vector<PostItem>> ContestService::load_post(const EventRules& rules, std::optional<std::int64_t> only) {
  const Post& post = *rules.settings.post;
  const timeline::Agenda& agenda = *rules.view.agenda;
  std::vector<PostItem> out;
  std::vector<std::string> decisions;
  for (const auto& [decision, title] : post.documents) decisions.push_back(decision);
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto admitted = intake::admitted(tx, agenda.id, decisions, std::nullopt, only);
    if (!admitted) return admitted.status();
    for (const auto& [practice, outcome] : *admitted) {
      PostItem item;
      item.practice = practice.id;
      item.outcome = outcome.outcome;
      item.document = post.documents.at(item.outcome);
      item.institution = text_at(practice.answers, post.institution_field);
      if (!post.head_field.empty()) item.head = text_at(practice.answers, post.head_field);
      item.address = joined_address(practice.answers, post.address_fields, agenda);
      auto q = tx.prepare("SELECT sent_on FROM contest_post WHERE practice_id = ?1");
      q.bind_int(1, practice.id);
      auto more = q.step();
      if (!more) return more.status();
      if (*more) item.sent_on = q.text(0);
      out.push_back(std::move(item));
    }
    return Status::ok();
  });
  if (!s) return s;
  // The order a person works down a list of envelopes in: by institution.
  std::stable_sort(out.begin(), out.end(),
                   [](const PostItem& a, const PostItem& b) { return a.institution < b.institution; });
  return out;
}

Result<PostList> ContestService::post_list(std::string_view event_id) {
  auto rules = post_event(event_id);
  if (!rules) return rules.status();
  const Post& post = *(*rules)->settings.post;
  const auto& view = (*rules)->view;
  auto items = load_post(**rules, std::nullopt);
  if (!items) return items.status();
  PostList list;
  const timeline::Milestone* m = view.agenda->find_milestone(post.deadline_milestone);
  list.deadline_title = m ? m->title : post.deadline_milestone;
  list.deadline = post.deadline;
  list.deadline_text = timeline::deadline_text(post.deadline, view.timeline->utc_offset_minutes());
  if (post.warn_days_before) list.warn_from = post.deadline - std::chrono::days(*post.warn_days_before);
  list.items = std::move(*items);
  for (const auto& item : list.items) list.to_send += item.sent_on ? 0 : 1;
  return list;
}

Result<std::int64_t> ContestService::post_left(std::string_view event_id) {
  if (!post_deadline(event_id)) return std::int64_t{0};
  auto list = post_list(event_id);
  if (!list) return list.status();
  return list->to_send;
}

namespace {

Status not_a_recipient(std::int64_t practice) {
  return Status::not_found("not_a_recipient", "Заявка № " + std::to_string(practice) +
                                                  " не среди получателей документов по почте: по ней нет решения жюри.");
}

}  // namespace

Result<PostItem> ContestService::mark_sent(const accounts::User& organiser, std::string_view event_id,
                                           std::int64_t practice, std::string_view sent_on) {
  auto rules = post_event(event_id);
  if (!rules) return rules.status();
  auto day = parse_day(sent_on);
  if (!day)
    return Status::unprocessable("invalid_date", "Укажите день отправки в виде ГГГГ-ММ-ДД, например 2025-02-20.");
  const TimePoint now = clock_.now();
  if (*day > local_day(now, (*rules)->view.timeline->utc_offset_minutes()))
    return Status::unprocessable("date_in_future", "День отправки " + std::string(sent_on) + " ещё не наступил.");
  auto found = load_post(**rules, practice);
  if (!found) return found.status();
  if (found->empty()) return not_a_recipient(practice);
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "INSERT INTO contest_post (practice_id, sent_on, marked_by, marked_at) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (practice_id) DO UPDATE SET sent_on = excluded.sent_on, marked_by = excluded.marked_by, "
        "marked_at = excluded.marked_at");
    q.bind_int(1, practice).bind_text(2, iso_day(*day)).bind_int(3, organiser.id).bind_int(4, to_ms(now));
    return q.run();
  });
  if (!s) return s;
  PostItem item = std::move(found->front());
  item.sent_on = iso_day(*day);
  return item;
}

Result<PostItem> ContestService::unmark_sent(std::string_view event_id, std::int64_t practice) {
  auto rules = post_event(event_id);
  if (!rules) return rules.status();
  auto found = load_post(**rules, practice);
  if (!found) return found.status();
  if (found->empty()) return not_a_recipient(practice);
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto q = tx.prepare("DELETE FROM contest_post WHERE practice_id = ?1");
    q.bind_int(1, practice);
    return q.run();
  });
  if (!s) return s;
  PostItem item = std::move(found->front());
  item.sent_on.reset();
  return item;
}

Result<exporting::Table> ContestService::post_table(std::string_view event_id) {
  auto list = post_list(event_id);
  if (!list) return list.status();
  exporting::Table table;
  table.title = "Рассылка дипломов и сертификатов";
  table.columns = {"№ заявки", "Учреждение", "Руководитель", "Почтовый адрес", "Документ", "Отправлен"};
  for (const auto& item : list->items) {
    exporting::Row row;
    row.push_back(item.practice);
    row.push_back(item.institution);
    row.push_back(item.head);
    row.push_back(item.address);
    row.push_back(item.document);
    row.push_back(item.sent_on.value_or(""));
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace praktika::contest
