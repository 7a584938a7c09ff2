// The contest's rules that the shared engine does not have, as data in the agenda's "contest"
// part: who may apply (past results loaded from a file, and per edition and outcome the year from
// which those institutions may apply again), and the published laureate list (which decisions of
// practice_outcomes count, from which instant the list is public, which form fields it shows, and
// the export by region). Any event whose agenda has the part gets them; nothing here knows an
// event id. Thread-safe (settings constant after construction, state in the store); every method
// blocks on SQLite: call it from the worker pool.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "common/status.h"
#include "contest/past_results.h"
#include "export/export.h"
#include "intake/intake.h"
#include "timeline/agenda.h"
#include "timeline/clock.h"

namespace praktika::store {
class Db;
class Tx;
}  // namespace praktika::store

namespace praktika::contest {


// Institutions with `outcome` in edition `edition` may apply again from `may_apply_from` on
// (the year of the submission in the event's zone); absent: without limits.
struct EligibilityRule {
  int edition = 0;
  std::string outcome;
  std::optional<int> may_apply_from;
  std::string message;  // Russian; {institution}, {edition}, {outcome}, {may_apply_from}
};

struct Eligibility {
  // The example results named by the agenda (optional): used until the organiser loads the lists.
  std::filesystem::path past_results_file;
  std::string institution_field = "name";  // dotted paths into the practice answers
  std::string inn_field;
  // One application per institution: the same INN when both give it, else the same normalised name.
  bool one_per_institution = false;
  std::vector<EligibilityRule> rules;
  std::vector<PastResult> past;  // from past_results_file
  OutcomeWords outcome_words;    // how a loaded list names the outcomes of the rules and the review
};

struct LaureateList {
  std::vector<std::string> outcomes;  // decision ids of review.outcomes that make a laureate
  std::string public_from_milestone;
  TimePoint public_from;
  std::vector<std::string> fields;         // shown on the public page
  std::string region_field;                // the export groups by it
  std::vector<std::string> export_fields;  // after the region and the decision
};

struct Settings {
  std::optional<Eligibility> eligibility;
  std::optional<LaureateList> laureates;
};

// The agenda's "contest" part (absent: no rules), with the past results file it names (relative
// to the agenda file). Errors name the file and the JSON path, like the agenda loader's.
std::variant<Settings, timeline::AgendaError> read_settings(const timeline::Agenda& agenda);

class ContestService {
 public:
  // Reads every event's settings (main checked them at start-up) and adds the eligibility rules
  // to the intake's creation and submission. Call while the server is built.
  ContestService(store::Db& db, const timeline::Clock& clock, const std::vector<intake::EventView>& events,
                 intake::IntakeService& intake);

  // Eligibility of the institution named by `answers` at `at` (a creation and submission check,
  // inside the intake's transaction; `practice` 0 while it is being created). A sure match with a
  // past result whose rule bars it, or an unsure one the organiser confirmed, is refused: 422
  // "not_eligible" naming the past edition and the year from which it may apply. An unsure match
  // not yet decided lets it through and waits on the organiser's list (unsure_matches).
  Status check_eligibility(store::Tx& tx, const intake::EventView& event, const nlohmann::json& answers, TimePoint at,
                           std::int64_t practice) const;

  // The organiser's lists of earlier editions (the caller checks the role). `bytes` a CSV or XLSX
  // table. Preview: {"rows":[{row, institution, inn, region, edition, outcome, outcome_title}],
  // "errors":[{row, message}], "editions":[year]}; nothing stored. Errors: the table reader's.
  Result<nlohmann::json> preview_past_results(std::string_view event_id, std::string_view bytes,
                                              exporting::TableFormat format);
  // Stores the valid rows, replacing what was loaded before for the editions the table names
  // (the other editions stay). From then on these lists, not the agenda's example file, decide.
  // 422 "no_valid_rows" when no row reads. {"saved", "skipped", "editions", ...the stored summary}.
  Result<nlohmann::json> save_past_results(const accounts::Identity& organiser, std::string_view event_id,
                                           std::string_view bytes, exporting::TableFormat format);
  // {"source": "loaded" | "file" | "none", "editions":[{edition, count}], "results":[…]}.
  Result<nlohmann::json> past_results(std::string_view event_id);
  // Practices of the event (drafts and submitted) whose institution matches a past result barred
  // by a rule now only unsurely: {"matches":[{practice, state, institution, inn, kind, past:{…},
  // past_key, decision: null | "confirmed" | "dismissed", may_apply_from}]}.
  Result<nlohmann::json> unsure_matches(std::string_view event_id);
  // The organiser's word on one unsure match: "confirmed" (the practice is that institution: the
  // rule applies) or "dismissed" (another institution). 404 "match_not_found" when the pair is no
  // unsure match now.
  Result<nlohmann::json> decide_match(const accounts::Identity& organiser, std::string_view event_id,
                                      std::int64_t practice, std::string_view past_key, std::string_view decision);
  // One application per institution: refused (409 "already_applied", naming the other one) when
  // another practice of the event is the same institution's — any at creation, a submitted one at
  // submission. Run inside the intake's transaction.
  Status check_one_per_institution(store::Tx& tx, const intake::EventView& event,
                                   const intake::Submission& practice, bool creating) const;

  // The laureate list: everyone from its public instant on; the organiser also before (a preview).
  // {"published", "public_from", "columns":[{field,label}], "laureates":[{practice, outcome,
  //  outcome_title, values:{field: text}, region}]}; before publication others get an empty list.
  Result<nlohmann::json> laureates(const accounts::Identity* who, std::string_view event_id);
  // For the regional authorities: laureates grouped (sorted) by region. The caller checks the role.
  Result<exporting::Table> laureates_by_region(std::string_view event_id);

 private:
  struct EventRules {
    intake::EventView view;
    Settings settings;
  };
  Result<const EventRules*> laureate_event(std::string_view event_id) const;
  Result<const EventRules*> eligibility_event(std::string_view event_id) const;
  // The loaded lists of the event, or the agenda's example file when none are loaded.
  Result<std::vector<PastResult>> past_for(store::Tx& tx, const EventRules& rules, std::string* source = nullptr) const;
  // The rule that bars `past` in `year`, or nullptr.
  const EligibilityRule* barring_rule(const Eligibility& rules, const PastResult& past, int year) const;

  // Constant after construction.
  store::Db& db_;
  const timeline::Clock& clock_;
  std::map<std::string, EventRules, std::less<>> events_;
};

}  // namespace praktika::contest
