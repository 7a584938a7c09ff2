// Intake: the registration form of each author and co-author, and the practices with their
// 17-field descriptions, drafts saved as one goes and frozen when the intake stage closes.
// Owns the tables of store/migrations/002_intake.sql. Thread-safe (state lives in the store);
// every method blocks on SQLite: call it from the worker pool. Deadlines come from the Timeline.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "common/status.h"
#include "intake/types.h"
#include "media/media.h"
#include "timeline/agenda.h"
#include "timeline/clock.h"
#include "timeline/event.h"
#include "timeline/timeline.h"

namespace praktika::store {
class Db;
class Tx;
}  // namespace praktika::store

namespace praktika::forms {
struct Context;
}

namespace praktika::intake {

namespace detail {
struct PracticeRow;  // one stored practice, as intake.cpp reads it
}

// The event as every module sees it (timeline/event.h), by its short name inside the intake.
using timeline::EventView;
using timeline::FindEvent;

// Whether practices of this event carry a fee (and so wait for a confirmed payment before review).
bool charges_fees(const timeline::Agenda& agenda);

// What a submission check sees of the practice being submitted (or created), inside that transaction.
struct Submission {
  std::int64_t practice_id = 0;  // 0 while it is being created
  std::int64_t owner_id = 0;
  const nlohmann::json& answers;  // complete, as checked by the form
  TimePoint at;                   // the instant of the submission (the event's clock)
};
// A rule a module adds to submission (the contest's eligibility): a non-ok Status refuses it.
using SubmissionCheck = std::function<Status(store::Tx& tx, const EventView& event, const Submission& practice)>;

struct PracticeFilter {
  std::optional<int> section;
  std::string type;   // empty: any
  std::string state;    // "draft" | "submitted" | empty
  std::string payment;  // "awaiting_proof" | "proof_sent" | "confirmed" | "returned" | empty
  std::string document;  // "missing" (no document) | "ok" | "findings" (clause 6.5 findings) | empty
};

struct FileFilter {
  std::string purpose;  // an agenda files purpose; empty: any
  std::string state;    // "receiving" | "complete" | "rejected" | empty
  std::optional<std::int64_t> practice;
};

// Answers are the types of intake/types.h; intake/wire.h writes them in the shape of docs/protocol.md.
class IntakeService {
 public:
  // `files_dir`: where the uploads keep complete files (<data>/files), for the document checks.
  IntakeService(store::Db& db, const timeline::Clock& clock, FindEvent find_event, std::filesystem::path files_dir);

  // The event's agenda, for the words of its lists (exported tables); nullptr for an unknown id.
  const timeline::Agenda* agenda_of(std::string_view event_id) const {
    auto event = find_event_(event_id);
    return event ? event->agenda : nullptr;
  }

  // The user's registration, or nullopt when none.
  Result<std::optional<RegistrationView>> registration(const accounts::User& user, std::string_view event_id);
  // The whole form, every required field and consent enforced. Refused after the intake closes.
  Result<RegistrationView> save_registration(const accounts::User& user, std::string_view event_id,
                                            const nlohmann::json& answers);

  Result<PracticeView> create_practice(const accounts::User& user, std::string_view event_id, int section,
                                         std::string_view type, const nlohmann::json& answers);
  // `patch`: {"answers": {field: value|null…}, "section"?, "type"?, "co_authors"?: [emails], "revision"?}.
  // Fields named in answers replace the stored ones (null removes). A stale revision is a conflict.
  // A draft keeps every valid answer: a field with an error keeps its stored value, and the
  // answer's `unsaved` lists those errors; a submitted practice takes
  // the whole edit or nothing.
  Result<PracticeView> update_practice(const accounts::User& user, std::string_view event_id, std::int64_t id,
                                       const nlohmann::json& patch);
  Result<PracticeView> submit_practice(const accounts::User& user, std::string_view event_id, std::int64_t id);
  Status delete_practice(const accounts::User& user, std::string_view event_id, std::int64_t id);

  // The owner, a co-author and the event's organiser may read a practice; others get not_found.
  Result<PracticeView> practice(const accounts::Identity& who, std::string_view event_id, std::int64_t id);
  // Practices the user owns or co-authors, with the fee due for them.
  Result<MyPractices> my_practices(const accounts::Identity& who, std::string_view event_id);
  // The practice as the organiser sees it, for a module that has checked its own access rule
  // (the review: an expert assigned to it), who leaves out what that reader may not see. Read-only.
  Result<PracticeView> practice_for_review(std::string_view event_id, std::int64_t id);

  // Fees: the owner attaches the scan of the payment document (a complete upload of purpose
  // "payment"); the organiser confirms it or returns it with a required reason.
  Result<PracticeView> attach_payment(const accounts::User& user, std::string_view event_id, std::int64_t id,
                                      std::string_view upload_id);
  Result<PracticeView> decide_payment(const accounts::User& organiser, std::string_view event_id, std::int64_t id,
                                      bool confirm, std::string_view reason);

  // The payment contract (PDF bytes) for the practices the user owns and has submitted — what they
  // pay for; drafts are left out (they may never be sent) and co-authored practices too (their
  // owner pays). `payment_form` is an id of the agenda's fees.payment_forms; empty takes the one
  // chosen in the registration. Errors: "no_contract" (the agenda has no contract text),
  // "contract_not_ready" (409: the organiser's requisites are still placeholders),
  // "not_registered", "unknown_payment_form", "no_practices", "payer_missing".
  Result<std::string> contract(const accounts::User& user, std::string_view event_id, std::string_view payment_form);

  // The checks an author may run before uploading, and the uploads run on every file: a file
  // (already on disk) against the event's rules for `purpose`. Open to anyone, at any stage.
  // Media: the file check's verdict; the practice document also gets the clause 6.5 formatting findings.
  Result<media::Verdict> check_media(std::string_view event_id, std::string_view purpose,
                                     const std::filesystem::path& file, std::string_view declared_name);
  Result<DocumentCheck> check_document(std::string_view event_id, const std::filesystem::path& file,
                                       std::string_view declared_name);

  // The check_document answer for a complete, stored document upload: made once (a .doc may take
  // LibreOffice seconds), then read from document_checks. The caller checks who may see it.
  Result<DocumentCheck> stored_document_check(std::string_view event_id, std::string_view upload_id,
                                              std::string_view file_name);

  // Adds a rule checked at every submission, after the form, the registration and the required
  // files. Only while the server is built (before requests run).
  void add_submission_check(SubmissionCheck check) { submission_checks_.push_back(std::move(check)); }
  // The same for the creation of a practice, with the draft answers it is created with: a rule the
  // applicant should learn before filling in the whole form (the contest's eligibility).
  void add_creation_check(SubmissionCheck check) { creation_checks_.push_back(std::move(check)); }

  // The account e-mail of everyone registered for the event, inside the caller's transaction
  // (a module writing to all participants enqueues its letters there).
  static Result<std::vector<std::string>> registered_emails(store::Tx& tx, std::string_view event_id);

  // Organiser's views (the caller checks the role). Each practice of the list carries the summary
  // of its latest document's check, or none.
  Result<std::vector<ListedPractice>> list_practices(std::string_view event_id, const PracticeFilter& filter);
  // Everyone registered for the event, by name.
  Result<std::vector<Participant>> list_participants(std::string_view event_id);
  // Every upload of the event, oldest first.
  Result<std::vector<FileEntry>> list_files(std::string_view event_id, const FileFilter& filter);

 private:
  using PracticeChange = std::function<Status(store::Tx& tx, detail::PracticeRow& row, const EventView& event,
                                              const forms::Context& context)>;
  Result<PracticeView> change_own_practice(const accounts::User& user, std::string_view event_id, std::int64_t id,
                                          bool needs_open_intake, const PracticeChange& change);
  // The check of the practice's latest complete document, made once and kept; nullopt when it has none.
  std::optional<DocumentSummary> latest_document(std::string_view event_id, const PracticeView& practice);
  Result<EventView> open_event(std::string_view event_id, bool for_writing) const;
  int current_year(const EventView& event) const;

  // Constant after construction.
  store::Db& db_;
  const timeline::Clock& clock_;
  const FindEvent find_event_;
  const std::filesystem::path files_dir_;
  std::vector<SubmissionCheck> submission_checks_;  // filled before the server starts
  std::vector<SubmissionCheck> creation_checks_;    // likewise
};

}  // namespace praktika::intake
