// Review (stage 2): experts assigned to the practices of their sections (balanced, editable by
// hand, never across a conflict of interest), their decisions during the review stage, the
// organiser's final decision (practice_outcomes) and the e-mail to each institution. Owns the
// tables of store/migrations/007_review.sql and writes practice_outcomes. Thread-safe (state is
// in the store); every method blocks on SQLite: call it from the worker pool.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "common/status.h"
#include "intake/intake.h"
#include "timeline/clock.h"
#include "timeline/event.h"

namespace praktika::review {

struct Criterion {
  std::string id;
  std::string title;
  int max = 5;  // scores are integers 0..max
};

// The agenda's "review" part.
struct ReviewPart {
  int experts_per_practice = 2;
  std::vector<Criterion> criteria;
  // The event's decisions (conference: present, gallery, rejected; contest: laureate, participant)
  // -> Russian wording. Experts and the organiser choose from these; they land in practice_outcomes.
  std::map<std::string, std::string> outcome_titles;
  std::set<std::string> reason_required;  // decisions that need a reason (default: "rejected")
  // The milestone from which applicants see the decision (review.outcomes_public_from); empty:
  // "decision_notice_by" when the agenda has it, else at once. An explicit one also holds back
  // the decision letters until it.
  std::string outcomes_public_from;
  // The most practices one expert reviews unless the organiser sets their own (review board);
  // none: no limit.
  std::optional<int> max_practices_per_expert;
  bool valid(std::string_view decision) const;
  bool needs_reason(std::string_view decision) const;
};
std::variant<ReviewPart, timeline::AgendaError> read_review_part(const timeline::Agenda& agenda);

// Whether the applicants of `event` may see the organiser's decisions at `now` (their cabinet).
bool outcomes_public(const timeline::EventView& event, TimePoint now);


// What ReviewService answers, as types; review_api.cpp (with wire.h) makes the wire JSON of
// docs/protocol.md from them. Instants are already written in the event's offset (Timeline::format).

// An account as the review names it.
struct Person {
  std::int64_t id = 0;
  std::optional<std::string> email, full_name;  // absent when the account is gone
};

// An expert's review of one practice.
struct ExpertReview {
  std::string decision, reason;
  // Free-form on purpose: {criterion id: score or null}, the criteria being the agenda's.
  nlohmann::json scores;
  std::string created_at, updated_at;
};

// The organiser's decision on a practice (practice_outcomes).
struct Decision {
  std::int64_t practice = 0;
  std::string outcome, reason;
  std::string decided_at;
  std::optional<std::string> notified_at;  // none: the institution has not been told yet
  Person decided_by;
};

// An expert assigned to a practice.
struct Assignment {
  std::int64_t practice = 0;
  std::int64_t expert = 0;
};

// A practice the automatic assignment left short of experts because the eligible ones reached
// their load cap.
struct ShortOfExperts {
  std::int64_t practice = 0;
  int missing = 0;  // experts still wanted
};

// What one automatic assignment did.
struct AssignmentRound {
  std::vector<Assignment> assigned;
  std::vector<ShortOfExperts> refused;
};

// A practice as the review lists it.
struct PracticeHeading {
  std::int64_t id = 0;
  std::string title;
  int section = 0;
  std::string section_title;
};

// The expert's queue: their practices, each with their review when they wrote one.
struct QueuedPractice : PracticeHeading {
  std::optional<ExpertReview> review;
};
struct ExpertQueue {
  std::vector<QueuedPractice> practices;
  bool review_open = false;
  std::vector<Criterion> criteria;
};

// An expert's load cap as the organiser left it.
struct ExpertCap {
  std::int64_t expert = 0;
  std::optional<int> cap;      // the cap in force: the organiser's, else the agenda's; none: no limit
  std::optional<int> cap_set;  // the organiser's own, when set
};

// A conflict of interest: an expert of a practice's section works where the practice was made.
struct Conflict {
  struct Practice {
    std::int64_t id = 0;
    std::string title;
    int section = 0;
    std::string institution;
  } practice;
  struct Expert : Person {
    std::string institution;
  } expert;
  bool assigned = false;  // already assigned to the practice
};

// The organiser's board: every practice the review decides with its experts, conflicts and
// decision, and every expert with their load.
struct BoardPractice : PracticeHeading {
  std::string institution;
  struct Reviewer {
    Person user;
    bool by_hand = false;   // assigned by the organiser, not by the automatic round
    bool conflict = false;  // a conflict of interest found after the assignment
    std::optional<ExpertReview> review;
  };
  std::vector<Reviewer> experts;
  std::vector<Conflict::Expert> conflicts;  // experts of its section who may not review it
  std::optional<Decision> outcome;
};
struct BoardExpert {
  Person user;
  std::vector<int> sections;  // empty: the whole event
  std::string institution;
  int load = 0;               // practices assigned
  std::optional<int> cap, cap_set;  // as in ExpertCap
};
struct Board {
  std::vector<BoardPractice> practices;
  std::vector<BoardExpert> experts;
  std::vector<Criterion> criteria;
  std::map<std::string, std::string> outcome_titles;
  std::optional<int> default_cap;
  bool review_open = false;    // experts decide now
  bool review_opened = false;  // the review stage has begun (it may be over)
};

// One line of the review's log.
struct LogEntry {
  std::int64_t id = 0;
  std::optional<std::int64_t> practice;
  std::optional<std::string> practice_title;  // none: the practice is gone or has no name
  Person actor;
  std::string action;  // outcome | assign | unassign | review | notify
  // Free-form on purpose: each action writes its own detail (review_log.detail), kept as written.
  nlohmann::json detail;
  std::optional<Person> expert;  // the account the detail's "expert" names
  std::string at;
};
struct ReviewLog {
  std::vector<LogEntry> entries;
  std::map<std::string, std::string> outcome_titles;  // the agenda's words for the decisions named
};

// The decision letter to one institution.
struct Letter {
  std::string institution;
  std::vector<std::string> recipients;
  std::vector<std::int64_t> practices;
  bool queued = false;  // false: the same letter was queued before
};
struct Notifications {
  int queued = 0;
  std::vector<Letter> institutions;
  std::int64_t undecided = 0;  // practices still without a decision (not told)
};

// One practice on the review's page of it: the expert assigned to it, or the organiser.
struct ReviewedPractice {
  intake::PracticeView practice;  // for an expert without the payment, and only the files readers see
  std::optional<ExpertReview> review;  // the expert's own (none before one is saved, and for the organiser)
  struct ExpertsReview {
    Person user;
    std::optional<ExpertReview> review;
  };
  std::optional<std::vector<ExpertsReview>> reviews;  // the organiser's only: every assigned expert's
  std::vector<Criterion> criteria;
  bool review_open = false;
};

class ReviewService {
 public:
  // `mail_queued` is called (on the caller's thread) after messages were committed to the outbox.
  ReviewService(store::Db& db, const timeline::Clock& clock, timeline::FindEvent find_event,
                intake::IntakeService& intake, std::function<void()> mail_queued);

  // Organiser. The caller has checked the organiser role.
  Result<Decision> set_outcome(const accounts::User& organiser, std::string_view event_id, std::int64_t practice,
                               std::string_view outcome, std::string_view reason);
  // Every decision of the event, by practice id.
  Result<std::vector<Decision>> outcomes(std::string_view event_id);
  Result<AssignmentRound> assign(const accounts::User& organiser, std::string_view event_id);
  Result<Assignment> add_expert(const accounts::User& organiser, std::string_view event_id, std::int64_t practice,
                                std::int64_t expert);
  Status remove_expert(const accounts::User& organiser, std::string_view event_id, std::int64_t practice,
                       std::int64_t expert);
  // The most practices `expert` may review in the event (their load cap); nullopt: back to the
  // agenda's default.
  Result<ExpertCap> set_cap(const accounts::User& organiser, std::string_view event_id, std::int64_t expert,
                            std::optional<int> max_practices);
  // Every conflict of interest between the event's practices and the experts of their sections,
  // assigned or not; assigns nothing.
  Result<std::vector<Conflict>> conflicts(std::string_view event_id);
  Result<Board> board(std::string_view event_id);
  Result<ReviewLog> log(std::string_view event_id);
  Result<Notifications> send_notifications(const accounts::User& organiser, std::string_view event_id);
  // Practices the review decides (submitted; paid where the event charges a fee) that have no
  // decision yet: what is left before the decision notices (for the reminders).
  Result<std::int64_t> undecided(std::string_view event_id);

  // Expert: their queue, one practice (also for the organiser), their decision.
  Result<ExpertQueue> queue(const accounts::Identity& who, std::string_view event_id);
  Result<ReviewedPractice> practice(const accounts::Identity& who, std::string_view event_id, std::int64_t practice);
  Result<ExpertReview> save_review(const accounts::Identity& who, std::string_view event_id, std::int64_t practice,
                                   std::string_view decision, std::string_view reason, const nlohmann::json& scores);
  // A read grant of the uploads' file route: an expert assigned to the practice an upload was sent
  // for (the upload's practice) reads its materials, never its payment scan.
  bool may_read_upload(const accounts::Identity* who, std::string_view event_id, std::int64_t owner_id,
                       std::string_view purpose, std::optional<std::int64_t> practice);

  // Text the letter to an institution names as {placeholder}: given the event and the outcomes the
  // letter tells, what to put there ("" for nothing), e.g. the section day's presenter
  // requirements. Added while App is built, before any request; constant after.
  using LetterBlock = std::function<std::string(std::string_view event_id, const std::vector<std::string>& outcomes)>;
  void add_letter_block(std::string placeholder, LetterBlock block);

  // The event as the review sees it (its timeline writes instants with the event's offset);
  // event_not_found for an unknown id.
  Result<timeline::EventView> event(std::string_view event_id) const;

 private:
  Status review_has_opened(const timeline::EventView& event) const;

  // Constant after construction.
  store::Db& db_;
  const timeline::Clock& clock_;
  const timeline::FindEvent find_event_;
  intake::IntakeService& intake_;
  const std::function<void()> mail_queued_;
  // Constant once App is built.
  std::vector<std::pair<std::string, LetterBlock>> letter_blocks_;
};

}  // namespace praktika::review
