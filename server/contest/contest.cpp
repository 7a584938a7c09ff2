#include "contest/contest.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <tuple>

#include "common/json_guard.h"
#include "intake/catalogue.h"
#include "mail/template.h"
#include "review/assignment.h"
#include "review/review.h"
#include "store/db.h"
#include "timeline/agenda_reader.h"

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
      r.opt_str("region");
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

std::variant<Settings, timeline::AgendaError> read_settings(const timeline::Agenda& agenda) {
  using namespace timeline::reader;
  Settings settings;
  auto review_part = review::read_review_part(agenda);
  auto error = read_part(agenda, "contest", [&](Obj& o) {
    if (const json* e = o.find("eligibility")) {
      Obj eo(*e, o.at("eligibility"));
      Eligibility el;
      // Relative to the agenda file, so the agenda folder moves as one piece.
      el.past_results_file = std::filesystem::path(agenda.source).parent_path() / eo.str("past_results");
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
      settings.eligibility = std::move(el);
    }
    if (const json* l = o.find("laureates")) {
      Obj lo(*l, o.at("laureates"));
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
      auto field_list = [&](std::string_view key, std::vector<std::string>& into) {
        each(lo.array(key, true), lo.at(key), [&](const json& j, const std::string& path) {
          if (!j.is_string() || !agenda.practice || !timeline::find_field(agenda.practice->fields, j.get<std::string>()))
            fail(path, "must name a field of /practice/fields");
          into.push_back(j.get<std::string>());
        });
      };
      field_list("fields", list.fields);
      list.region_field = lo.str("region_field");
      need_practice_field(agenda, lo, "region_field", list.region_field);
      field_list("export_fields", list.export_fields);
      lo.finish();
      settings.laureates = std::move(list);
    }
    o.finish();
  });
  if (error) return *error;
  if (settings.eligibility)
    if (auto e = read_past_results(settings.eligibility->past_results_file, settings.eligibility->past)) return *e;
  return settings;
}

ContestService::ContestService(store::Db& db, const timeline::Clock& clock,
                               const std::vector<intake::EventView>& events, intake::IntakeService& intake)
    : db_(db), clock_(clock) {
  for (const auto& view : events) {
    auto read = read_settings(*view.agenda);
    // main refused an agenda whose part does not read, so this holds.
    if (auto* settings = std::get_if<Settings>(&read); settings && (settings->eligibility || settings->laureates))
      events_.emplace(view.agenda->id, EventRules{view, std::move(*settings)});
  }
  // Checked when the application is created (the applicant learns it before filling in 14 items)
  // and again at submission (the name or the INN may have changed since).
  intake.add_creation_check([this](store::Tx& tx, const intake::EventView& event, const intake::Submission& practice) {
    if (auto s = check_eligibility(event, practice.answers, practice.at); !s) return s;
    return check_one_per_institution(tx, event, practice, true);
  });
  intake.add_submission_check([this](store::Tx& tx, const intake::EventView& event, const intake::Submission& practice) {
    if (auto s = check_eligibility(event, practice.answers, practice.at); !s) return s;
    return check_one_per_institution(tx, event, practice, false);
  });
}

Status ContestService::check_one_per_institution(store::Tx& tx, const intake::EventView& event,
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

Status ContestService::check_eligibility(const intake::EventView& event, const json& answers, TimePoint at) const {
  auto found = events_.find(event.agenda->id);
  if (found == events_.end() || !found->second.settings.eligibility) return Status::ok();
  const Eligibility& rules = *found->second.settings.eligibility;
  const std::string name = text_at(answers, rules.institution_field);
  const std::string key = review::normalise_institution(name);
  const std::string inn = rules.inn_field.empty() ? std::string() : digits_of(text_at(answers, rules.inn_field));
  const int year = year_at(at, event.timeline->utc_offset_minutes());
  for (const auto& past : rules.past) {
    bool by_inn = !inn.empty() && inn == past.inn;
    bool by_name = !key.empty() && key == past.institution_key;
    if (!by_inn && !by_name) continue;
    auto rule = std::find_if(rules.rules.begin(), rules.rules.end(), [&](const EligibilityRule& r) {
      return r.edition == past.edition && r.outcome == past.outcome;
    });
    // No rule, or no limit: those institutions may apply again (with revised materials).
    if (rule == rules.rules.end() || !rule->may_apply_from || year >= *rule->may_apply_from) continue;
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
                       {"matched_by", by_inn ? "inn" : "name"},
                       {"past_institution", past.institution}});
  }
  return Status::ok();
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

Result<json> ContestService::laureates(const accounts::Identity* who, std::string_view event_id) {
  auto rules = laureate_event(event_id);
  if (!rules) return rules.status();
  const auto& view = (*rules)->view;
  const LaureateList& list = *(*rules)->settings.laureates;
  const timeline::Agenda& agenda = *view.agenda;
  bool published = clock_.now() >= list.public_from;
  json out = {{"published", published},
              {"public_from", view.timeline->format(list.public_from)},
              {"title", agenda.title},
              {"columns", json::array()},
              {"laureates", json::array()}};
  for (const auto& f : list.fields) out["columns"].push_back({{"field", f}, {"label", label_of(agenda, f)}});
  if (!published && !(who && accounts::is_organiser(*who, event_id))) return out;
  auto loaded = load_laureates(db_, event_id, list);
  if (!loaded) return loaded.status();
  auto review_part = review::read_review_part(agenda);
  const auto* titles = std::get_if<review::ReviewPart>(&review_part);
  const auto* region_field = timeline::find_field(agenda.practice->fields, list.region_field);
  for (const auto& l : *loaded) {
    json values = json::object();
    for (const auto& f : list.fields)
      values[f] = display(timeline::find_field(agenda.practice->fields, f), value_at(l.answers, f));
    auto title = titles ? titles->outcome_titles.find(l.outcome) : std::map<std::string, std::string>::const_iterator{};
    out["laureates"].push_back({{"practice", l.practice},
                                {"outcome", l.outcome},
                                {"outcome_title", titles && title != titles->outcome_titles.end() ? title->second : l.outcome},
                                {"values", std::move(values)},
                                {"region", display(region_field, value_at(l.answers, list.region_field))}});
  }
  // By region, then by the first shown field (the institution's name).
  auto& rows = out["laureates"];
  std::stable_sort(rows.begin(), rows.end(), [&](const json& a, const json& b) {
    std::string first = list.fields.front();
    return std::tie(a["region"].get_ref<const std::string&>(), a["values"][first].get_ref<const std::string&>()) <
           std::tie(b["region"].get_ref<const std::string&>(), b["values"][first].get_ref<const std::string&>());
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

}  // namespace praktika::contest
