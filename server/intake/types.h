// What IntakeService answers, as types; intake_api.cpp makes the wire JSON of docs/protocol.md from
// them. Instants are already written in the event's offset (Timeline::format), as every page shows them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "documents/check.h"
#include "forms/forms.h"
#include "intake/catalogue.h"
#include "media/media.h"
#include "uploads/stored.h"

namespace praktika::intake {

// Each consent the person gave (a consent field's id) and when it was first given.
using Consents = std::map<std::string, std::string>;

// A person's registration form for the event.
struct RegistrationView {
  nlohmann::json answers;  // free-form on purpose: the agenda's registration form defines the fields
  Consents consents;
  std::string updated_at;
};

// A registered person, as the organiser's list of participants shows them.
struct Participant {
  std::int64_t user_id = 0;
  std::string full_name;
  std::string email;
  RegistrationView registration;
  std::int64_t practices_owned = 0;
  std::int64_t practices_co_authored = 0;
};

// An upload of the event, as the organiser's list of files shows it.
struct FileEntry {
  uploads::StoredFile file;
  std::int64_t owner_id = 0;
  std::string owner_name;
  std::string owner_email;
  std::optional<std::int64_t> practice;       // the practice it was sent for, when its owner sent it
  std::optional<std::string> practice_title;  // that practice's name, when it has one
  std::string created_at;
  std::string updated_at;
};

// A co-author named on a practice by e-mail, and whether that person has registered for the event.
struct CoAuthor {
  std::string email;
  bool registered = false;
};

// A practice's fee and where its payment stands.
struct PaymentView {
  // The payment document the author sent (the practice's payments row).
  struct Proof {
    std::string upload;
    std::optional<std::string> reason;  // why the organiser returned it
    std::string sent_at;
    std::optional<std::string> decided_at;
  };
  std::string state;  // not_required | awaiting_proof | proof_sent | confirmed | returned
  std::int64_t amount = 0;
  std::optional<std::string> currency;  // nullopt when no fee is required
  std::optional<Proof> proof;
};

// The organiser's final decision, as the author learns it once the institution was told.
struct OutcomeNotice {
  std::string outcome;
  std::string reason;
  std::string notified_at;
};

// One practice as its authors and the organiser see it (the expert's view leaves the payment out).
struct PracticeView {
  Practice practice;  // its columns; the instants below are the same, written in the event's offset
  std::string section_title;
  std::vector<CoAuthor> co_authors;
  std::vector<forms::FieldError> missing;  // what the complete form still lacks
  bool editable = false;                   // the owner may change it now
  std::int64_t fee = 0;
  std::optional<PaymentView> payment;      // nullopt: not shown to this reader
  std::vector<uploads::StoredFile> files;  // the owner's uploads for it, newest first
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> submitted_at;
  std::optional<OutcomeNotice> outcome;
  std::vector<forms::FieldError> unsaved;  // after a draft's edit: the answers that were not stored
};

// The practices a person owns or co-authors, with the fee due for the owned ones.
struct MyPractices {
  std::vector<PracticeView> practices;
  std::int64_t per_practice = 0;
  std::int64_t owned = 0;
  std::string currency;
  bool editable = false;  // the intake is open
};

// The clause 6.5 check of a practice's document.
struct DocumentCheck {
  // The file is no document of the purpose at all (its type, its size): the file check's verdict,
  // and the document was not read.
  std::optional<media::Verdict> refused;
  // Otherwise what the document check found, the file check's findings added (where «файл»); its
  // ok is true when there are none.
  documents::CheckResult document;
  std::optional<std::string> converted_from;  // "doc": a Word 97–2003 file checked after conversion
  std::uint64_t bytes = 0;
  bool ok() const { return refused ? refused->ok : document.ok; }
  std::vector<std::string> rules() const;  // the rules of its findings, each once, in order
  std::size_t finding_count() const { return refused ? refused->findings.size() : document.findings.size(); }
};

// The latest complete document of a practice, as the organiser's list shows it.
struct DocumentSummary {
  std::string upload;
  std::string file_name;
  bool ok = false;
  std::size_t findings = 0;
  std::vector<std::string> rules;
  std::optional<std::string> error;  // the code of a check that failed
};

// A practice of the organiser's list, with its latest document (nullopt: none uploaded).
struct ListedPractice {
  PracticeView view;
  std::optional<DocumentSummary> document;
};

}  // namespace praktika::intake
