// After the event: certificates and diplomas (one per participant, template chosen by the
// agenda's rules from role and outcome), their public verification, the organiser's bulk job
// that makes them and mails each once, the proceedings PDF of the admitted practices, and the
// organiser's exports. Owns store/migrations/012_certificates.sql and <data>/certificates.
//
// Who is a participant (docs/architecture.md says the same): the owner and every registered
// co-author of a submitted practice ("author"), and whoever followed a section of the section
// day for at least certificates.attendance_min_minutes ("attendee"). Organisers, experts and
// moderators are not participants by their role alone.
//
// With several instances on one store, any instance's workers make any job's certificates: each
// is claimed in the store before it is made (claim_certificate), so none is made twice.
// Thread-safe: state lives in the store; the job queue is guarded by mutex_, the proceedings
// build by build_mutex_. Methods block on SQLite and disk: worker threads only; the topic policy
// (subscribe) is one short read. The bulk job runs on the service's own threads (start/stop).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "certificates/content.h"
#include "certificates/settings.h"
#include "common/status.h"
#include "export/export.h"
#include "live/publisher.h"
#include "sections/types.h"  // the section day's attendance, which certificates count
#include "timeline/agenda.h"
#include "timeline/clock.h"
#include "timeline/event.h"
#include "timeline/timeline.h"
#include "common/mutex.h"

namespace praktika::store {
class Db;
class Tx;
}

namespace praktika::certificates {

// Checks the agenda's certificates and proceedings parts, and that the mail templates they name
// exist in the mail part. For main's start-up check.
std::optional<timeline::AgendaError> check_agenda(const timeline::Agenda& agenda);

// The event's names in the forms the proceedings and the order print, and how many practices they list.
std::map<std::string, std::string> title_values(const timeline::Agenda& agenda, std::size_t practices);

// A file to send and its name for the recipient.
struct File {
  std::filesystem::path path;
  std::string name;
  std::string content_type;
};

// A document made in memory and its name for the recipient.
struct Document {
  std::string bytes;
  std::string name;
};

// A table for the organiser's exports (CSV now; XLSX through server/export once merged).
// An export's title is also its download's file name (without extension).
using Table = exporting::Table;

// The bulk job's claims (used by the service's workers; public for the tests of two instances).
// Takes certificate `certificate` of running job `job` for this instance when it is still pending
// and no worker holds it, until `now + hold` (PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED in the
// claiming transaction). True when taken. Any thread; blocks on the store.
Result<bool> claim_certificate(store::Db& db, std::int64_t job, std::int64_t certificate, TimePoint now, Millis hold);
// (job, certificate) of every pending certificate of a running job that no worker holds.
Result<std::vector<std::pair<std::int64_t, std::int64_t>>> unclaimed_certificates(store::Db& db, TimePoint now);

// A bulk job: how far it is; instants ISO 8601 at the event's offset.
struct CertificateJob {
  std::int64_t id = 0;
  std::string event;
  std::string state;  // running | done
  std::int64_t total = 0;
  std::int64_t done = 0;
  std::int64_t failed = 0;
  bool send_mail = false;
  std::string created_at;
  std::optional<std::string> finished_at;
};

// One row of the organiser's list of certificates; instants ISO 8601 at the event's offset.
struct ListedCertificate {
  std::string number;
  std::int64_t user_id = 0;
  std::string full_name;
  std::string email;
  std::string template_id;
  std::string title;  // the template's title
  std::string state;  // pending | made | failed
  std::optional<std::string> error;
  std::optional<std::string> made_at;
  std::optional<std::string> mail;  // the letter's state in the outbox, once one was queued
};

struct CertificateList {
  std::vector<ListedCertificate> certificates;
  std::optional<CertificateJob> job;  // the event's latest job; none before the first
};

// A practice a certificate names, with its section.
struct CertifiedPractice {
  std::string title;
  int section = 0;
  std::string section_title;
};

// What a verification number certifies: whose it is, for what, and when it was issued.
struct Verification {
  std::string number;
  std::string event_id;
  std::string event_title;
  std::string document;     // the template's title
  std::string template_id;
  std::string full_name;
  std::string institution;
  // The template's fields as they were filled when the certificate was made: their names are the
  // agenda's, so they stay JSON.
  nlohmann::json values;
  nlohmann::json took_part;  // what the certificate lists the person took part in, as stored with it
  std::string role;
  std::vector<CertifiedPractice> practices;
  std::string issued_on;  // in the agenda's words for a date
  std::string issued_at;  // ISO 8601 at the event's offset
};

// One of the signed-in person's own certificates.
struct OwnCertificate {
  std::string number;
  std::string title;
  nlohmann::json took_part;  // as stored with the certificate
  std::string issued_at;
};

struct OwnCertificates {
  std::vector<OwnCertificate> certificates;
  bool proceedings = false;  // the event's collection exists and the person may read it
};

// What the proceedings' letter did: participants named, letters newly queued (a repeat queues none).
struct ProceedingsLetters {
  std::size_t participants = 0;
  int queued = 0;
};

class CertificateService {
 public:
  // The section day's attendance as the organiser sees it (sections::SectionService::attendance).
  using Attendance =
      std::function<Result<std::vector<sections::AttendanceRow>>(const accounts::Identity&, std::string_view event)>;

  CertificateService(store::Db& db, const timeline::Clock& clock, std::map<std::string, timeline::EventView, std::less<>> events,
                     std::filesystem::path data_dir, live::Publisher& publisher, Attendance attendance,
                     std::function<void()> mail_queued);
  ~CertificateService();
  CertificateService(const CertificateService&) = delete;
  CertificateService& operator=(const CertificateService&) = delete;

  // Starts the job threads and resumes jobs a stop or a crash left running; stop() lets the
  // documents in progress finish and joins the threads.
  void start();
  void stop();

  // The organiser's. Works out the participants, (re)issues the certificates whose content
  // changed, and queues them; with send_mail each recipient gets one letter with the PDF,
  // ever (idempotency key per recipient). 409 job_running while one runs for the event.
  Result<CertificateJob> start_job(const accounts::Identity& organiser, std::string_view event, bool send_mail);
  // The event's latest job; none before the first.
  Result<std::optional<CertificateJob>> current_job(std::string_view event);
  Result<CertificateList> list(std::string_view event);
  Result<File> archive(std::string_view event);  // a ZIP of every made certificate

  // Anyone: what a verification number certifies; 404 certificate_not_found.
  Result<Verification> verify(std::string_view number);
  // The signed-in person's own certificates in the event.
  Result<OwnCertificates> mine(const accounts::Identity& who, std::string_view event);
  // The PDF: its recipient and the event's organiser.
  Result<File> file(const accounts::Identity& who, std::string_view number);

  // Participants, anyone with a role in the event, and the organiser: the proceedings PDF,
  // built again first when an admitted practice or an outcome changed since.
  Result<File> proceedings(const accounts::Identity& who, std::string_view event);
  // The organiser's: a letter with the proceedings' link to every participant, once each.
  Result<ProceedingsLetters> send_proceedings(const accounts::Identity& organiser, std::string_view event);

  // A made certificate (for the reminders' «сертификат готов»): whose it is, where its letters go,
  // and whether the certificate itself was queued to them by mail.
  struct Issued {
    std::int64_t user_id = 0;
    std::string full_name;
    std::string email;
    std::string number;
    std::string title;  // the document's, «Сертификат участника»
    bool mailed = false;
  };
  Result<std::vector<Issued>> issued(std::string_view event);
  // Before start(): told (on a job's thread, after the commit) when a job has made its last document.
  void set_job_listener(std::function<void(const std::string& event)> listener) { job_listener_ = std::move(listener); }

  // Participants without a made certificate: what is left before certificates_by (for the
  // reminders, which read as the event's organiser would).
  Result<std::int64_t> not_issued(std::string_view event);
  // Documents waiting to be made and failed, and jobs running, of every event or of one (for
  // metrics and the live view).
  struct JobCounts {
    std::int64_t queued = 0;
    std::int64_t running = 0;
    std::int64_t failed = 0;
  };
  Result<JobCounts> job_counts(std::string_view event = {});
  // The organiser's order on the results (the agenda's "order" part): the practices admitted by
  // its outcomes, by section, with their authors, typeset afresh each time (a few pages).
  // 404 order_not_configured without the part. The caller checks the role.
  Result<Document> order(std::string_view event);

  // The organiser's exports: "decisions", "attendance", "certificates".
  Result<Table> export_table(const accounts::Identity& organiser, std::string_view event, std::string_view which);

  // Topic certificates:{event}, the organiser only: the job now; `progress` pushed as it goes.
  Result<std::optional<CertificateJob>> subscribe(const accounts::Identity* who, std::string_view event);

 private:
  using Person = Recipient;
  struct Work {
    std::int64_t job = 0;
    std::int64_t certificate = 0;
  };

  Result<const timeline::EventView*> find(std::string_view event) const;
  Result<std::vector<Person>> participants(const accounts::Identity& organiser, const timeline::EventView& event);
  Result<std::vector<Person>> authors(const timeline::EventView& event);
  std::filesystem::path event_dir(std::string_view event) const;
  void run_worker();
  void make_one(const Work& work);
  struct Issue;  // what one start_job transaction works with and what it did
  // Issues (or re-issues, or mails again) one person's certificate in start_job's transaction.
  Status issue_one(store::Tx& tx, Issue& issue, const Person& person);
  void publish_job(std::int64_t job);
  Result<CertificateJob> read_job(std::int64_t job);
  Result<bool> may_read_proceedings(const accounts::Identity& who, std::string_view event);

  // Constant after construction.
  store::Db& db_;
  const timeline::Clock& clock_;
  const std::map<std::string, timeline::EventView, std::less<>> events_;
  std::map<std::string, Settings, std::less<>> settings_;
  std::map<std::string, ProceedingsSettings, std::less<>> proceedings_;
  std::map<std::string, OrderSettings, std::less<>> orders_;
  const std::filesystem::path dir_;  // <data>/certificates
  live::Publisher& publish_;
  const Attendance attendance_;
  const std::function<void()> mail_queued_;
  std::function<void(const std::string&)> job_listener_;  // set once before start()
  int workers_ = 1;

  // Guarded by mutex_.
  Mutex mutex_;
  CondVar changed_;
  std::deque<Work> queue_ GUARDED_BY(mutex_);
  bool stopping_ GUARDED_BY(mutex_) = false;
  // When an idle worker next looks in the store for certificates no worker holds.
  std::chrono::steady_clock::time_point next_scan_ GUARDED_BY(mutex_);

  // Only on the thread that calls start() and stop().
  std::vector<std::thread> threads_;

  // Held while the proceedings or an archive is built: one build at a time, never a half file.
  Mutex build_mutex_;

  // Held across reading a job's counts and pushing them: workers finish in any order, and
  // without it an older count read by one could be pushed after a newer one read by another.
  Mutex progress_mutex_;
};

}  // namespace praktika::certificates
