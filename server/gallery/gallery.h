// The gallery (stage 3): the admitted practices (practice_outcomes 'present' or 'gallery') by
// section with Russian full-text search, a practice page with its materials, a discussion thread
// per practice, and the participant's cabinet. Owns the tables of store/migrations/009_gallery.sql
// and reads the agenda's "gallery" part. Thread-safe (state lives in the store); every method
// blocks on SQLite briefly: call from the worker pool, or from a strand for one short read.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "common/status.h"
#include "intake/intake.h"
#include "timeline/agenda.h"
#include "timeline/clock.h"
#include "timeline/event.h"
#include "common/mutex.h"

namespace praktika::store {
class Db;
}

namespace praktika::gallery {

// The agenda's "gallery" part.
struct Rules {
  // From this instant anyone, signed in or not, reads the gallery; absent: never.
  std::optional<TimePoint> public_from;
  std::size_t comment_max_chars = 2000;  // code points
  int page_size = 20;                    // practices per page of the list
  int preview_width_px = 1000;           // a document's pages as images this wide
  int preview_max_pages = 60;            // pages of a document shown at most
  // The reasons a participant may give when flagging a comment as abusive (none: no reason asked).
  std::vector<timeline::Choice> flag_reasons;
};
// Reads the part strictly (unknown keys, bad instants): main calls it at start-up.
std::optional<timeline::AgendaError> check_agenda(const timeline::Agenda& agenda);
// The part as checked at start-up (defaults where absent).
Rules rules_of(const timeline::Agenda& agenda);

// GET /api/events/{id}/practices?q=&section=&type=&target=&year=&page=
struct Filter {
  std::string q;       // words of any field, in any inflection
  std::optional<int> section;
  std::string type;    // a practice type id; empty: any
  std::string target;  // words of field 7 (target groups)
  std::optional<int> year;  // the year the practice started
  int page = 1;
};

// A practice as the gallery's list shows it (wire.h makes its JSON).
struct PracticeSummary {
  std::int64_t id = 0;
  std::string title;
  int section = 0;
  std::string section_title;
  std::string type, type_title;
  std::string institution;
  std::optional<int> year;  // the year the practice started, when given
  std::string outcome;      // present | gallery
  std::string target_groups, excerpt;  // the first 300 characters of fields 7 and 8
};

// One page of the list: the practices found and where the page is.
struct SearchPage {
  std::vector<PracticeSummary> practices;
  std::int64_t total = 0;
  int page = 1;
  int page_size = 0;
  std::int64_t pages = 0;
};

// A section of the agenda with the number of its admitted practices.
struct SectionCount {
  int number = 0;
  std::string title;
  std::int64_t practices = 0;
};

// A file of an admitted practice, on its page.
struct GalleryFile {
  uploads::StoredFile file;
  // A document's clause 6.5 check, for its author and the organiser (not every reader); the
  // check's error when it could not be made.
  std::optional<Result<intake::DocumentCheck>> format;
  bool document = false;  // a practice document: its pages are previewed as images
};

// An admitted practice's page: all its fields, its materials, whether comments are open.
struct GalleryPractice {
  PracticeSummary summary;
  std::string event_id;
  nlohmann::json answers;  // the agenda's practice form: free-form here, as the form defines it
  std::int64_t owner_id = 0;
  std::string owner_name;
  std::vector<GalleryFile> files;  // by purpose
  bool comments_open = false;
  std::string topic;
};

// The organiser's decision on one of the caller's practices, once the agenda makes it public.
struct CabinetDecision {
  std::string outcome;
  std::string reason;
  std::string decided_at;
};

// The participant's cabinet: their practices as the intake shows them (mine), each with the
// decision in `decisions` at the same index.
struct Cabinet {
  intake::MyPractices mine;
  struct Entry {
    std::optional<CabinetDecision> decision;  // none, or not public yet
    bool in_gallery = false;
  };
  std::vector<Entry> decisions;
  bool gallery_readable = false;
  bool gallery_open = false;
  std::optional<std::string> gallery_opens;
};

// An admitted practice by name, for listings of them.
struct AdmittedTitle {
  std::int64_t id = 0;
  std::string title;
  int section = 0;
};

// A Word document of a practice as page images.
struct PreviewPages {
  int pages = 0;
  int width = 0;                  // px
  std::vector<std::string> urls;  // one per page, in order
};

// A comment of a practice's discussion (wire.h makes its JSON, the same in answers and pushes).
// Instants are written in the event's offset.
struct Comment {
  std::int64_t id = 0;
  std::int64_t practice = 0;
  std::optional<std::int64_t> parent;  // the comment it answers
  struct Author {
    std::int64_t id = 0;
    std::string full_name;
  } author;
  // None when deleted, or hidden from this reader (everyone but its author, moderators and
  // organisers; a pushed comment never reveals).
  std::optional<std::string> text;
  std::string created_at;
  std::optional<std::string> edited_at;
  bool hidden = false;
  bool deleted = false;
};

// A practice's discussion as one reader sees it.
struct Discussion {
  std::vector<Comment> comments;
  bool writable = false;   // the reader may write now
  bool moderator = false;  // the reader moderates the practice's section (or is the organiser)
  std::size_t max_chars = 0;
  bool may_flag = false;              // the reader is a participant
  std::vector<std::int64_t> flagged;  // the comments the reader has flagged
};

// A comment as its moderators read it, with its practice and its open flags.
struct FlaggedComment {
  Comment comment;
  std::string practice_title;
  int section = 0;
  std::int64_t flags = 0;                         // open flags
  std::map<std::string, std::int64_t> reasons;    // open flags by reason id ("" none given)
  std::optional<std::string> flagged_at;          // the latest open flag
};

// The topic of a practice's page: its comments and its viewers.
std::string practice_topic(std::string_view event_id, std::int64_t practice_id);
// The topic of a section's list: its viewers.
std::string section_topic(std::string_view event_id, int section);

// Who reads or writes: a signed-in identity, or nobody (an anonymous visitor).
using Who = const accounts::Identity*;

class GalleryService {
 public:
  GalleryService(store::Db& db, const timeline::Clock& clock, timeline::FindEvent find_event,
                 intake::IntakeService& intake, std::filesystem::path files_dir);

  // Reading: the event's organiser always; its participants (any role in the event, a
  // registration or a practice) from the gallery's opening on, also after it closes; anyone from
  // the agenda's gallery.public_from on. Refusals: 401 not_authenticated, 403 not_a_participant,
  // 409 gallery_not_open.
  Status may_read(Who who, std::string_view event_id);

  // One page of the practices the filter finds. Rebuilds the index entries of practices changed
  // since they were indexed before it searches.
  Result<SearchPage> search(Who who, std::string_view event_id, const Filter& filter);
  // Every section of the agenda with how many admitted practices it has.
  Result<std::vector<SectionCount>> sections(Who who, std::string_view event_id);
  // One admitted practice: all its fields, type, institution, materials, "comments_open".
  Result<GalleryPractice> practice(Who who, std::string_view event_id, std::int64_t id);
  // The event's admitted practices by id, without access checks (for presence listings the
  // caller has checked).
  Result<std::vector<AdmittedTitle>> admitted(std::string_view event_id);
  // may_read, and the practice is admitted: the subscribe policy of its topic.
  Status may_read_practice(Who who, std::string_view event_id, std::int64_t id);

  // The caller's practices as the intake shows them, each with its decision when public.
  Result<Cabinet> cabinet(const accounts::Identity& who, std::string_view event_id);

  // Discussion; the list also says whether the caller may flag comments and which of them the
  // caller has flagged. A hidden or deleted comment has no text except for its author, moderators
  // and organisers (in `comments` only: a pushed event never reveals).
  Result<Discussion> comments(Who who, std::string_view event_id, std::int64_t practice);
  // Writing is open to participants while the gallery stage is open: 409 not_open_yet /
  // gallery_closed outside it; 422 empty_comment, comment_too_long, reply_too_deep.
  // Each answers the comment as pushed to everyone on the practice's topic.
  Result<Comment> add_comment(const accounts::Identity& who, std::string_view event_id, std::int64_t practice,
                              std::string_view text, std::optional<std::int64_t> parent);
  Result<Comment> edit_comment(const accounts::Identity& who, std::string_view event_id, std::int64_t practice,
                               std::int64_t comment, std::string_view text);
  Result<Comment> delete_comment(const accounts::Identity& who, std::string_view event_id, std::int64_t practice,
                                 std::int64_t comment);
  // A moderator or the organiser hides (or shows again) a comment, at any time.
  Result<Comment> hide_comment(const accounts::Identity& who, std::string_view event_id, std::int64_t practice,
                               std::int64_t comment, bool hidden);

  // Flagging abuse. A reader who is a participant flags someone else's comment once, with one of
  // the agenda's gallery.flag_reasons or none; its author is never told, nothing is pushed.
  // 403 not_a_participant, 404 comment_not_found, 409 already_flagged, 422 own_comment, invalid_reason.
  Status flag_comment(const accounts::Identity& who, std::string_view event_id, std::int64_t practice,
                      std::int64_t comment, std::string_view reason);
  // A moderator of the practice's section or the organiser resolves a comment's open flags
  // without hiding it (hiding resolves them too). 403 forbidden.
  Status clear_flags(const accounts::Identity& who, std::string_view event_id, std::int64_t practice,
                     std::int64_t comment);
  // The moderation view: every comment of the practices the caller moderates (the organiser: all),
  // the ones with open flags first by their count, then the newest. Each comment as its moderators
  // read it, with its practice and its open flags. 403 forbidden for anyone but moderators and the
  // organiser.
  Result<std::vector<FlaggedComment>> moderation(const accounts::Identity& who, std::string_view event_id);

  // A Word document of an admitted practice previewed as page images: converted to PDF by
  // LibreOffice and rendered by poppler once, then kept beside the stored file
  // (<files>/<upload>.preview/). Readable by whoever may fetch the file itself. Converting takes
  // seconds; requests for the same document wait for one conversion.
  // Errors: 404 file_not_found (not a document of this practice), 503 preview_unavailable (no
  // LibreOffice), 422 preview_failed (the conversion failed).
  Result<PreviewPages> preview(Who who, std::string_view event_id, std::int64_t practice, std::string_view upload);
  // One page's PNG (1-based), after preview() made them. 404 page_not_found beyond the last.
  Result<std::filesystem::path> preview_page(Who who, std::string_view event_id, std::int64_t practice,
                                             std::string_view upload, int page);

  // Whether `who` may fetch an upload through /api/uploads/{id}/file because it belongs to an
  // admitted practice shown in the gallery (never a payment scan).
  bool may_read_upload(Who who, std::string_view event_id, std::int64_t owner_id, std::string_view purpose,
                       std::optional<std::int64_t> practice);

 private:
  struct Access;
  Result<Access> access(Who who, std::string_view event_id);
  Status refresh_index(std::string_view event_id, const timeline::Agenda& agenda);
  Result<Comment> change_comment(const accounts::Identity& who, std::string_view event_id, std::int64_t practice,
                                 std::int64_t comment, int what, std::string_view text);
  Status check_text(const Rules& rules, std::string_view text) const;
  struct PreviewSource;
  Result<PreviewSource> preview_source(Who who, std::string_view event_id, std::int64_t practice,
                                       std::string_view upload);
  Result<int> build_preview(const PreviewSource& source);

  // Constant after construction.
  store::Db& db_;
  const timeline::Clock& clock_;
  const timeline::FindEvent find_event_;
  intake::IntakeService& intake_;
  const std::filesystem::path files_dir_;

  // Guarded by preview_mutex_: one lock per document whose preview is being built or read.
  Mutex preview_mutex_;
  std::map<std::string, std::weak_ptr<Mutex>> preview_locks_ GUARDED_BY(preview_mutex_);
};

}  // namespace praktika::gallery
