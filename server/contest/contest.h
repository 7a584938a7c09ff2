// The contest's rules that the shared engine does not have, as data in the agenda's "contest"
// part: who may apply (past results loaded from a file, and per edition and outcome the year from
// which those institutions may apply again), the published laureate list (which decisions of
// practice_outcomes count, from which instant the list is public, which form fields it shows, and
// the export by region), and the printed documents sent by post (store/migrations/016: which
// recipient's diploma or certificate has left, and on which day). Any event whose agenda has the part gets them; nothing here knows an
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
#include "timeline/event.h"

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

// The documents sent by post: every submitted application with a decision named in `documents`.
struct Post {
  std::string deadline_milestone;
  TimePoint deadline{};
  std::optional<int> warn_days_before;  // the deadline milestone's
  std::map<std::string, std::string> documents;  // decision id -> the document sent for it (Russian)
  std::string institution_field;
  std::string head_field;                   // may be empty
  std::vector<std::string> address_fields;  // joined with ", "
};

struct Settings {
  std::optional<Eligibility> eligibility;
  std::optional<LaureateList> laureates;
  std::optional<Post> post;
};

// One recipient of the post: the application, where it goes and what is sent.
struct PostItem {
  std::int64_t practice = 0;
  std::string institution;
  std::string head;
  std::string address;
  std::string outcome;   // the decision id
  std::string document;  // the agenda's wording for it
  std::optional<std::string> sent_on;  // "YYYY-MM-DD" in the event's calendar; empty: not sent yet
};

struct PostList {
  std::string deadline_title;  // the milestone's title
  TimePoint deadline{};
  std::string deadline_text;   // as the regulations say it: «до 1 марта 2025 г.» (timeline/russian_date.h)
  std::optional<TimePoint> warn_from;  // from here on the deadline is near
  std::vector<PostItem> items;  // by institution
  std::int64_t to_send = 0;
};

// A past result as the organiser sees it: with the agenda's title of its outcome.
struct PastEntry {
  std::string institution;
  std::string inn;
  std::string region;
  int edition = 0;
  std::string outcome;
  std::string outcome_title;
};

// A loaded table read but not stored: its valid rows, its rows' problems, the years it names.
struct PastPreview {
  std::vector<PastEntry> rows;
  std::vector<RowError> errors;
  std::vector<int> editions;
};

struct EditionCount {
  int edition = 0;
  int count = 0;
};

// The lists that decide now: "loaded" (the organiser's), "file" (the agenda's example) or "none".
struct PastResults {
  std::string source;
  std::vector<EditionCount> editions;  // ascending
  std::vector<PastEntry> results;
};

struct SavedPastResults {
  PastResults stored;  // everything now stored, as past_results gives it
  std::size_t saved = 0;
  std::size_t skipped = 0;  // rows with a problem
  std::vector<int> replaced_editions;
};

// A practice whose institution matches a barring past result only unsurely, and the organiser's word.
struct UnsureMatch {
  std::int64_t practice = 0;
  std::string state;  // the practice's
  std::string institution;
  std::string inn;
  std::string kind;  // matching.h's MatchKind as text
  PastEntry past;
  std::string past_key;
  int may_apply_from = 0;
  std::optional<std::string> decision;  // "confirmed" | "dismissed"; none yet
};

struct LaureateColumn {
  std::string field;
  std::string label;
};

struct LaureateRow {
  std::int64_t practice = 0;
  std::string outcome;
  std::string outcome_title;
  std::map<std::string, std::string> values;  // shown field -> its text
  std::string region;
};

struct Laureates {
  bool published = false;
  std::string public_from;  // ISO 8601 at the event's offset
  std::string title;        // the event's
  std::vector<LaureateColumn> columns;
  std::vector<LaureateRow> laureates;  // by region, then by the first column
};

// The agenda's "contest" part (absent: no rules), with the past results file it names (relative
// to the agenda file). Errors name the file and the JSON path, like the agenda loader's.
std::variant<Settings, timeline::AgendaError> read_settings(const timeline::Agenda& agenda);

class ContestService {
 public:
  // Reads every event's settings (main checked them at start-up) and adds the eligibility rules
  // to the intake's creation and submission. Call while the server is built.
  ContestService(store::Db& db, const timeline::Clock& clock, const std::vector<timeline::EventView>& events,
                 intake::IntakeService& intake);

  // Eligibility of the institution named by `answers` at `at` (a creation and submission check,
  // inside the intake's transaction; `practice` 0 while it is being created). A sure match with a
  // past result whose rule bars it, or an unsure one the organiser confirmed, is refused: 422
  // "not_eligible" naming the past edition and the year from which it may apply. An unsure match
  // not yet decided lets it through and waits on the organiser's list (unsure_matches).
  Status check_eligibility(store::Tx& tx, const timeline::EventView& event, const nlohmann::json& answers, TimePoint at,
                           std::int64_t practice) const;

  // The organiser's lists of earlier editions (the caller checks the role). `bytes` a CSV or XLSX
  // table. Preview: nothing stored. Errors: the table reader's.
  Result<PastPreview> preview_past_results(std::string_view event_id, std::string_view bytes,
                                           exporting::TableFormat format);
  // Stores the valid rows, replacing what was loaded before for the editions the table names
  // (the other editions stay). From then on these lists, not the agenda's example file, decide.
  // 422 "no_valid_rows" when no row reads.
  Result<SavedPastResults> save_past_results(const accounts::Identity& organiser, std::string_view event_id,
                                             std::string_view bytes, exporting::TableFormat format);
  Result<PastResults> past_results(std::string_view event_id);
  // Practices of the event (drafts and submitted) whose institution matches a past result barred
  // by a rule now only unsurely.
  Result<std::vector<UnsureMatch>> unsure_matches(std::string_view event_id);
  // The organiser's word on one unsure match: "confirmed" (the practice is that institution: the
  // rule applies) or "dismissed" (another institution). 404 "match_not_found" when the pair is no
  // unsure match now. The match with its new decision.
  Result<UnsureMatch> decide_match(const accounts::Identity& organiser, std::string_view event_id,
                                   std::int64_t practice, std::string_view past_key, std::string_view decision);
  // One application per institution: refused (409 "already_applied", naming the other one) when
  // another practice of the event is the same institution's — any at creation, a submitted one at
  // submission. Run inside the intake's transaction.
  Status check_one_per_institution(store::Tx& tx, const timeline::EventView& event,
                                   const intake::Submission& practice, bool creating) const;

  // The laureate list: everyone from its public instant on; the organiser also before (a preview).
  // Before publication others get the columns and no laureates.
  Result<Laureates> laureates(const accounts::Identity* who, std::string_view event_id);
  // For the regional authorities: laureates grouped (sorted) by region. The caller checks the role.
  Result<exporting::Table> laureates_by_region(std::string_view event_id);

  // The post, the organiser's (the caller checks the role). 404 "no_post" for an event without
  // the part. A mark names a recipient (404 "not_a_recipient" otherwise) and a day of the event's
  // calendar no later than today (422 "invalid_date", "date_in_future"); marking again moves the
  // day, undoing an unmarked one is no error.
  Result<PostList> post_list(std::string_view event_id);
  Result<PostItem> mark_sent(const accounts::User& organiser, std::string_view event_id, std::int64_t practice,
                             std::string_view sent_on);
  Result<PostItem> unmark_sent(std::string_view event_id, std::int64_t practice);
  // The address list as a table with Russian column titles (CSV or XLSX through server/export).
  Result<exporting::Table> post_table(std::string_view event_id);
  // How many documents are still to send (0 for an event without the part): for the reminders.
  Result<std::int64_t> post_left(std::string_view event_id);
  // The post's deadline milestone of the event, if it has the part.
  std::optional<std::string> post_deadline(std::string_view event_id) const;

 private:
  struct EventRules {
    timeline::EventView view;
    Settings settings;
  };
  Result<const EventRules*> laureate_event(std::string_view event_id) const;
  Result<const EventRules*> post_event(std::string_view event_id) const;
  Result<std::vector<PostItem>> load_post(const EventRules& rules, std::optional<std::int64_t> only = {});
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
