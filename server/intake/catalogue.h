// The intake's catalogue: what other modules read of practices, registrations, co-authors,
// payments and outcomes, and (through server/uploads) of a practice's files. They call these
// typed functions instead of writing SQL against the intake's tables, so the schema has one
// owner. The intake also owns outcomes: the review decides them through record_outcome and
// mark_notified. Every function runs inside the caller's transaction (any thread holding a
// store::Tx) and blocks on SQLite.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "uploads/stored.h"

namespace praktika::store {
class Tx;
}

namespace praktika::intake {

struct Practice {
  std::int64_t id = 0;
  std::string event_id;
  std::int64_t owner_id = 0;
  std::string owner_name;   // the account's full name
  std::string owner_email;  // the account's e-mail
  int section = 0;
  std::string type;
  nlohmann::json answers;  // the description, always an object
  std::string state;       // draft | submitted
  std::int64_t revision = 0;
  std::int64_t created_at = 0;  // ms since the epoch
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> submitted_at;
  bool submitted() const { return state == "submitted"; }
};

// The organiser's final decision on a practice.
struct Outcome {
  std::string outcome;  // a decision id of the event's review.outcomes
  std::string reason;
  std::int64_t decided_by = 0;
  std::int64_t decided_at = 0;  // ms since the epoch
  std::optional<std::int64_t> notified_at;
};

struct Decided {
  Practice practice;
  Outcome outcome;
};

// A person behind a practice: its owner or a co-author registered with an account.
struct Author {
  std::int64_t user_id = 0;
  std::string full_name;
  std::string email;
  bool owner = false;
};

struct Registration {
  std::int64_t user_id = 0;
  nlohmann::json answers;  // the registration form, always an object
};

// The decisions that admit a practice to the gallery, and to present at the section day.
inline const std::vector<std::string> kShownOutcomes = {"present", "gallery"};
inline const std::vector<std::string> kPresentingOutcomes = {"present"};

struct PracticeQuery {
  bool include_drafts = false;
  bool paid_only = false;                  // a confirmed payment (events with a fee)
  bool without_payment_proof = false;      // no payment document sent, or the one sent returned
  std::optional<std::int64_t> only;         // this practice alone
  std::optional<std::int64_t> except;       // every practice but this one
};

// Practices of the event by id, submitted ones unless the query includes drafts.
Result<std::vector<Practice>> practices(store::Tx& tx, std::string_view event_id, const PracticeQuery& query = {});
Result<std::optional<Practice>> practice_by_id(store::Tx& tx, std::string_view event_id, std::int64_t id);
// The ids of the event's practices `user_id` owns or is named on as a co-author (`email`), drafts too.
Result<std::set<std::int64_t>> practices_of_person(store::Tx& tx, std::string_view event_id, std::int64_t user_id,
                                                   std::string_view email);

// The one definition of "admitted": submitted practices whose outcome is one of `outcomes`,
// ordered by section and id; `section` and `only` narrow it.
Result<std::vector<Decided>> admitted(store::Tx& tx, std::string_view event_id, const std::vector<std::string>& outcomes,
                                      std::optional<int> section = {}, std::optional<std::int64_t> only = {});
// Every practice of the event that has an outcome, in any state, by section and id.
Result<std::vector<Decided>> decided(store::Tx& tx, std::string_view event_id);

// The owner first, then the co-authors who have an account, by name.
Result<std::vector<Author>> authors_of(store::Tx& tx, std::int64_t practice_id);
// The institution written in the description (field 2, organisation.name); empty when none.
std::string institution_of(const Practice& practice);
Result<std::optional<Registration>> registration_of(store::Tx& tx, std::string_view event_id, std::int64_t user_id);
// The institution of a person's registration ("institution"); empty when none.
Result<std::string> registered_institution(store::Tx& tx, std::string_view event_id, std::int64_t user_id);
// Registered for the event or owner of one of its practices.
Result<bool> registered_or_owner(store::Tx& tx, std::string_view event_id, std::int64_t user_id);
// Named by e-mail as a co-author of one of the event's practices.
Result<bool> named_coauthor(store::Tx& tx, std::string_view event_id, std::string_view email);

Result<std::optional<Outcome>> outcome_of(store::Tx& tx, std::int64_t practice_id);
// Records the organiser's decision; a changed decision is to be told again (notified_at cleared).
Status record_outcome(store::Tx& tx, std::int64_t practice_id, std::string_view outcome, std::string_view reason,
                      std::int64_t decided_by, std::int64_t at_ms);
// The author's institution was told of the decision (the first time only).
Status mark_notified(store::Tx& tx, std::int64_t practice_id, std::int64_t at_ms);

// Who may see a practice's file besides its author and the organiser: payment scans are shown
// to nobody else (not experts, not gallery readers, not the section's audience).
bool shown_to_readers(std::string_view purpose);
enum class Audience { author, readers };
// The practice's files sent by its owner, oldest first: all of them for the author (and the
// organiser); for readers only complete files that shown_to_readers admits.
Result<std::vector<uploads::StoredFile>> files_of(store::Tx& tx, const Practice& practice, Audience audience);
// The file `upload_id` of the practice, complete and shown to readers; empty when it is not one.
Result<std::optional<uploads::StoredFile>> reader_file(store::Tx& tx, std::string_view event_id, std::string_view upload_id);

}  // namespace praktika::intake
