#include "certificates/certificates.h"
#include "certificates/wire.h"

#include <sodium.h>
#include <zip.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "certificates/content.h"
#include "certificates/typeset.h"
#include "common/errors.h"
#include "intake/catalogue.h"
#include "log/log.h"
#include "mail/outbox.h"
#include "mail/template.h"
#include "review/review.h"
#include "store/columns.h"
#include "store/db.h"
#include "store/rows.h"

namespace praktika::certificates {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

Status not_organiser() { return Status::forbidden("forbidden", "Доступно только организатору мероприятия."); }
Status not_found() { return Status::not_found("certificate_not_found", "Сертификат с таким номером не найден."); }

// Crockford's base32: no I, L, O, U, so a number read aloud or typed is not mistaken.
constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// 80 random bits as XXXX-XXXX-XXXX-XXXX: unguessable, short enough to type from paper.
std::string new_number() {
  unsigned char bytes[10];
  randombytes_buf(bytes, sizeof bytes);
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      if (out.size() % 5 == 4) out += '-';
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

// What a person typed or a QR code carried, in the stored form; empty when it cannot be a number.
std::string normalise_number(std::string_view text) {
  std::string plain;
  for (char c : text) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (!std::strchr(kAlphabet, c) || c == '\0') return {};
    plain += c;
  }
  if (plain.size() != 16) return {};
  std::string out;
  for (size_t i = 0; i < plain.size(); ++i) {
    if (i && i % 4 == 0) out += '-';
    out += plain[i];
  }
  return out;
}

std::string hex_digest(std::string_view text) {
  unsigned char hash[16];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(text.data()), text.size(), nullptr, 0);
  char out[33];
  sodium_bin2hex(out, sizeof out, hash, sizeof hash);
  return out;
}

const mail::Template* mail_template(const timeline::Agenda& agenda, const std::string& id, mail::MailPart& holder) {
  auto part = mail::read_mail_part(agenda);
  if (!std::holds_alternative<mail::MailPart>(part)) return nullptr;
  holder = std::get<mail::MailPart>(part);
  auto it = holder.templates.find(id);
  return it == holder.templates.end() ? nullptr : &it->second;
}

}  // namespace

std::optional<timeline::AgendaError> check_agenda(const timeline::Agenda& agenda) {
  auto settings = read_settings(agenda);
  if (auto* e = std::get_if<timeline::AgendaError>(&settings)) return *e;
  auto proceedings = read_proceedings(agenda);
  if (auto* e = std::get_if<timeline::AgendaError>(&proceedings)) return *e;
  auto order = read_order(agenda);
  if (auto* e = std::get_if<timeline::AgendaError>(&order)) return *e;
  if (const auto& o = std::get<OrderSettings>(order); o.enabled) {
    auto review_part = review::read_review_part(agenda);
    const auto* decisions = std::get_if<review::ReviewPart>(&review_part);
    for (size_t i = 0; i < o.outcomes.size(); ++i)
      if (!decisions || !decisions->valid(o.outcomes[i]))
        return timeline::AgendaError{agenda.source, "/order/outcomes/" + std::to_string(i),
                                     "'" + o.outcomes[i] + "' is no decision of /review/outcomes"};
  }
  mail::MailPart part;
  const auto& s = std::get<Settings>(settings);
  if (s.enabled && !mail_template(agenda, s.mail_template, part))
    return timeline::AgendaError{agenda.source, "/certificates/mail_template",
                                 "'" + s.mail_template + "' is no template of the mail part"};
  const auto& p = std::get<ProceedingsSettings>(proceedings);
  if (p.enabled && !mail_template(agenda, p.mail_template, part))
    return timeline::AgendaError{agenda.source, "/proceedings/mail_template",
                                 "'" + p.mail_template + "' is no template of the mail part"};
  if (p.enabled && !s.enabled)
    return timeline::AgendaError{agenda.source, "/proceedings", "needs the certificates part (its site_url and participants)"};
  return std::nullopt;
}

// The event's names in the forms the proceedings and the order print, and how many practices they list.
std::map<std::string, std::string> title_values(const timeline::Agenda& agenda, std::size_t practices) {
  return {{"event_title", agenda.title},
          {"event_title_genitive", agenda.title_genitive},
          {"event_title_prepositional", agenda.title_prepositional},
          {"event_subtitle", agenda.subtitle},
          {"forum", agenda.forum},
          {"forum_genitive", agenda.forum_genitive},
          {"practices", std::to_string(practices)}};
}

CertificateService::CertificateService(store::Db& db, const timeline::Clock& clock,
                                       std::map<std::string, timeline::EventView, std::less<>> events, fs::path data_dir,
                                       live::Publisher& publisher, Attendance attendance, std::function<void()> mail_queued)
    : db_(db),
      clock_(clock),
      events_(std::move(events)),
      dir_(std::move(data_dir) / "certificates"),
      publish_(publisher),
      attendance_(std::move(attendance)),
      mail_queued_(std::move(mail_queued)) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
  for (const auto& [id, ref] : events_) {
    // main checked every agenda's parts before building the App, so these read without error.
    auto s = read_settings(*ref.agenda);
    settings_.emplace(id, std::holds_alternative<Settings>(s) ? std::get<Settings>(s) : Settings{});
    auto p = read_proceedings(*ref.agenda);
    proceedings_.emplace(id, std::holds_alternative<ProceedingsSettings>(p) ? std::get<ProceedingsSettings>(p)
                                                                            : ProceedingsSettings{});
    auto o = read_order(*ref.agenda);
    orders_.emplace(id, std::holds_alternative<OrderSettings>(o) ? std::get<OrderSettings>(o) : OrderSettings{});
    workers_ = std::max(workers_, settings_[id].workers);
  }
}

CertificateService::~CertificateService() { stop(); }

Result<const timeline::EventView*> CertificateService::find(std::string_view event) const {
  auto it = events_.find(event);
  if (it == events_.end()) return errors::event_not_found();
  if (!settings_.find(event)->second.enabled)
    return Status::not_found("certificates_not_configured", "Для этого мероприятия сертификаты не предусмотрены.");
  return &it->second;
}

fs::path CertificateService::event_dir(std::string_view event) const { return dir_ / std::string(event); }

// ---------------------------------------------------------------- participants

Result<std::vector<CertificateService::Person>> CertificateService::authors(const timeline::EventView& event) {
  std::map<std::int64_t, Person> people;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    // Owners and registered co-authors of submitted practices, with each practice's outcome.
    auto submitted = intake::practices(tx, event.agenda->id);
    if (!submitted) return submitted.status();
    for (const auto& p : *submitted) {
      auto outcome = intake::outcome_of(tx, p.id);
      if (!outcome) return outcome.status();
      auto authors = intake::authors_of(tx, p.id);
      if (!authors) return authors.status();
      for (const auto& a : *authors) {
        auto& person = people[a.user_id];
        person.user_id = a.user_id;
        person.roles.insert("author");
        person.practices.push_back({p.id, p.section, *outcome ? (*outcome)->outcome : "none", p.answers});
      }
    }
    return Status::ok();
  });
  if (!s) return s;
  std::vector<Person> out;
  for (auto& [id, p] : people) out.push_back(std::move(p));
  return out;
}

Result<std::vector<CertificateService::Person>> CertificateService::participants(const accounts::Identity& organiser,
                                                                               const timeline::EventView& event) {
  auto found = authors(event);
  if (!found) return found.status();
  std::map<std::int64_t, Person> people;
  for (auto& p : *found) people[p.user_id] = std::move(p);
  const auto& settings = settings_.find(event.agenda->id)->second;
  if (attendance_) {
    auto attended = attendance_(organiser, event.agenda->id);
    if (!attended) return attended.status();
    for (const auto& row : *attended) {
      if (row.minutes < settings.attendance_min_minutes) continue;
      auto& person = people[row.user_id];
      person.user_id = row.user_id;
      person.roles.insert("attendee");
      person.attended[row.section] += row.minutes;
    }
  }
  Status s = db_.read([&](store::Tx& tx) -> Status {
    for (auto& [id, person] : people) {
      auto user = accounts::user_by_id(tx, id);
      if (!user) return user.status();
      if (*user) {
        person.full_name = (*user)->full_name;
        person.account_email = (*user)->email;
      }
      auto registration = intake::registration_of(tx, event.agenda->id, id);
      if (!registration) return registration.status();
      person.registration = *registration ? (*registration)->answers : json::object();
    }
    return Status::ok();
  });
  if (!s) return s;
  std::vector<Person> out;
  for (auto& [id, p] : people) out.push_back(std::move(p));
  return out;
}

// ---------------------------------------------------------------- the bulk job

namespace {

// How long a worker holds the certificate it makes (real time; typesetting one takes a second or
// two), and how often idle workers look for certificates no one holds: another instance's job, or
// one whose holder died.
constexpr std::chrono::seconds kCertificateHold{120};
constexpr std::chrono::seconds kUnclaimedScan{5};

Millis hold_on(const timeline::Clock& clock) {
  return Millis(static_cast<std::int64_t>(std::chrono::duration<double, std::milli>(kCertificateHold).count() *
                                          clock.speed()));
}

}  // namespace

Result<bool> claim_certificate(store::Db& db, std::int64_t job, std::int64_t certificate, TimePoint now, Millis hold) {
  bool taken = false;
  Status s = db.transaction([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT c.id FROM certificates c JOIN certificate_jobs j ON j.id = c.job_id WHERE c.id = ?1 AND c.job_id = ?2 "
        "AND c.state = 'pending' AND j.state = 'running' AND coalesce(c.claimed_until, 0) <= ?3" +
        store::skip_locked(tx.dialect(), "c"));
    q.bind_int(1, certificate).bind_int(2, job).bind_int(3, to_ms(now));
    auto more = q.step();
    if (!more) return more.status();
    if (!*more) return Status::ok();
    taken = true;
    return tx.prepare("UPDATE certificates SET claimed_by = ?2, claimed_until = ?3 WHERE id = ?1")
        .bind_int(1, certificate)
        .bind_text(2, store::claim_holder())
        .bind_int(3, to_ms(now + hold))
        .run();
  });
  if (!s) return s;
  return taken;
}

Result<std::vector<std::pair<std::int64_t, std::int64_t>>> unclaimed_certificates(store::Db& db, TimePoint now) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  Status s = db.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT c.job_id, c.id FROM certificates c JOIN certificate_jobs j ON j.id = c.job_id "
        "WHERE j.state = 'running' AND c.state = 'pending' AND coalesce(c.claimed_until, 0) <= ?1 "
        "ORDER BY c.job_id, c.id");
    q.bind_int(1, to_ms(now));
    return store::each_row(q, [&]() -> Status {
      out.emplace_back(q.int64(0), q.int64(1));
      return Status::ok();
    });
  });
  if (!s) return s;
  return out;
}

void CertificateService::start() {
  // A job whose last document was made just before a stop has nothing left but its closing.
  (void)db_.transaction([&](store::Tx& tx) {
    return tx.prepare("UPDATE certificate_jobs SET state = 'done', finished_at = ?1 WHERE state = 'running' AND "
                      "done + failed >= total")
        .bind_int(1, to_ms(clock_.now()))
        .run();
  });
  MutexLock lock(mutex_);
  stopping_ = false;
  // The workers look for what a stop or a crash left pending (of any instance's jobs) at once.
  next_scan_ = std::chrono::steady_clock::now();
  for (int i = 0; i < workers_; ++i) threads_.emplace_back([this] { run_worker(); });
}

void CertificateService::stop() {
  {
    MutexLock lock(mutex_);
    stopping_ = true;
    queue_.clear();  // what is left stays 'pending' in the store and is resumed by start()
  }
  changed_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void CertificateService::run_worker() {
  for (;;) {
    Work work;
    bool scan = false;
    {
      MutexLock lock(mutex_);
      while (!stopping_ && queue_.empty() && std::chrono::steady_clock::now() < next_scan_)
        changed_.wait_until(mutex_, next_scan_);
      if (stopping_) return;
      if (queue_.empty()) {
        // One idle worker looks; the others wait for what it queues.
        scan = true;
        next_scan_ = std::chrono::steady_clock::now() + kUnclaimedScan;
      } else {
        work = queue_.front();
        queue_.pop_front();
      }
    }
    if (scan) {
      // A failed read (the store unreachable) is tried again at the next scan.
      auto found = unclaimed_certificates(db_, clock_.now());
      if (!found || found->empty()) continue;
      {
        MutexLock lock(mutex_);
        for (const auto& [job, certificate] : *found) queue_.push_back({job, certificate});
      }
      changed_.notify_all();
      continue;
    }
    make_one(work);
  }
}

namespace {

// A pending certificate as its job left it.
struct Pending {
  std::string number;
  std::string event_id;
  std::int64_t user = 0;
  std::string tmpl_id;
  json data;
  std::string email;
  std::int64_t created_ms = 0;
  bool send = false;
};

// The certificate still pending in that job; not found when it was made meanwhile or re-queued
// by a newer job.
Result<Pending> read_pending(store::Db& db, std::int64_t certificate, std::int64_t job) {
  Pending p;
  Status s = db.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT c.number, c.event_id, c.user_id, c.template, c.data, c.email, c.created_at, j.send_mail "
        "FROM certificates c JOIN certificate_jobs j ON j.id = c.job_id "
        "WHERE c.id = ?1 AND c.job_id = ?2 AND c.state = 'pending'");
    q.bind_int(1, certificate).bind_int(2, job);
    auto more = q.step();
    if (!more) return more.status();
    if (!*more) return Status::not_found("gone", "");
    p = {q.text(0), q.text(1), q.int64(2), q.text(3), json::parse(q.text(4), nullptr, false),
         q.text(5), q.int64(6), q.int64(7) == 1};
    return Status::ok();
  });
  if (!s) return s;
  return p;
}

// What recording one document's outcome did: counted into its job (false when the certificate
// was no longer pending in that job), and whether that closed the job.
struct Recorded {
  bool counted = false;
  bool job_closed = false;
};

// Records a document as made or failed, ends its claim and counts it into its job, closing the job
// after its last one.
Result<Recorded> record_outcome(store::Tx& tx, std::int64_t certificate, std::int64_t job, const Status& made,
                                TimePoint now) {
  auto u = tx.prepare(
      "UPDATE certificates SET state = ?3, made_at = ?4, error = ?5, claimed_by = NULL, claimed_until = NULL "
      "WHERE id = ?1 AND job_id = ?2 AND state = 'pending'");
  u.bind_int(1, certificate).bind_int(2, job).bind_text(3, made ? "made" : "failed").bind_int(4, to_ms(now));
  if (made) u.bind_null(5);
  else u.bind_text(5, made.message());
  if (auto st = u.run(); !st) return st;
  if (tx.changes() != 1) return Recorded{};
  auto j = tx.prepare(made ? "UPDATE certificate_jobs SET done = done + 1 WHERE id = ?1"
                           : "UPDATE certificate_jobs SET failed = failed + 1 WHERE id = ?1");
  if (auto st = j.bind_int(1, job).run(); !st) return st;
  if (auto st = tx.prepare("UPDATE certificate_jobs SET state = 'done', finished_at = ?2 WHERE id = ?1 AND "
                           "done + failed >= total")
                    .bind_int(1, job)
                    .bind_int(2, to_ms(now))
                    .run();
      !st)
    return st;
  return Recorded{true, tx.changes() == 1};
}

}  // namespace

void CertificateService::make_one(const Work& work) {
  // Taken first, so that no worker of this or another instance makes it meanwhile; one already
  // made, re-queued by a newer job, or held by another worker is left alone.
  auto taken = claim_certificate(db_, work.job, work.certificate, clock_.now(), hold_on(clock_));
  if (!taken || !*taken) return;
  auto pending = read_pending(db_, work.certificate, work.job);
  if (!pending) return;  // made meanwhile, or re-queued by a newer job
  const std::string& event_id = pending->event_id;
  auto ev = events_.find(event_id);
  if (ev == events_.end()) return;
  const auto& agenda = *ev->second.agenda;
  const auto& settings = settings_.find(event_id)->second;
  const Template* t = settings.find_template(pending->tmpl_id);
  std::string issued = russian_date(settings, ev->second.timeline->format(from_ms(pending->created_ms)));
  auto values = document_values(agenda, settings, pending->data, pending->number, issued);
  fs::path file = event_dir(event_id) / (pending->number + ".pdf");
  Status made = t ? Status::ok() : Status::internal("template_gone", "Шаблон документа больше не описан в программе.");
  if (made) {
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    made = typeset_certificate(*t, values, values["verify_url"], file);
  }
  if (!made) {
    log::note_problem("certificate_failed", event_id);
    log::warn("certificate.failed").num("certificate", work.certificate).str("event", event_id).str("error", made.code());
  }

  bool queued_mail = false;
  bool job_done = false;
  auto now = clock_.now();
  (void)db_.transaction([&](store::Tx& tx) -> Status {
    queued_mail = false;
    job_done = false;
    auto counted = record_outcome(tx, work.certificate, work.job, made, now);
    if (!counted) return counted.status();
    job_done = counted->job_closed;
    if (!counted->counted || !made || !pending->send) return Status::ok();
    mail::MailPart part;
    const mail::Template* letter = mail_template(agenda, settings.mail_template, part);
    if (!letter) return Status::ok();
    auto stored = mail::Outbox::enqueue(
        tx, certificate_letter(*letter, *t, event_id, pending->user, pending->email, values, file), now);
    if (!stored) return stored.status();
    queued_mail = *stored;
    return Status::ok();
  });
  if (queued_mail && mail_queued_) mail_queued_();
  publish_job(work.job);
  if (job_done && job_listener_) job_listener_(event_id);
}

Result<CertificateJob> CertificateService::read_job(std::int64_t job) {
  CertificateJob out;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT id, event_id, state, total, done, failed, send_mail, created_at, finished_at FROM certificate_jobs "
        "WHERE id = ?1");
    q.bind_int(1, job);
    auto more = q.step();
    if (!more) return more.status();
    if (!*more) return Status::not_found("job_not_found", "Задание не найдено.");
    auto ev = events_.find(q.text(1));
    auto fmt = [&](std::int64_t ms) { return ev == events_.end() ? format_instant(from_ms(ms)) : ev->second.timeline->format(from_ms(ms)); };
    out = {q.int64(0), q.text(1), q.text(2), q.int64(3), q.int64(4), q.int64(5), q.int64(6) == 1, fmt(q.int64(7)),
           q.is_null(8) ? std::nullopt : std::optional<std::string>(fmt(q.int64(8)))};
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

void CertificateService::publish_job(std::int64_t job) {
  MutexLock lock(progress_mutex_);
  auto j = read_job(job);
  if (!j) return;
  publish_.publish(live::topic::certificates(j->event), "progress", to_json(*j));
}

namespace {

// A new running job of the event; 409 job_running while another runs.
Result<std::int64_t> open_job(store::Tx& tx, std::string_view event_id, bool send_mail, std::int64_t started_by,
                              TimePoint now) {
  auto running = tx.prepare("SELECT 1 FROM certificate_jobs WHERE event_id = ?1 AND state = 'running'");
  running.bind_text(1, event_id);
  auto busy = running.step();
  if (!busy) return busy.status();
  if (*busy) return Status::conflict("job_running", "Выпуск сертификатов уже идёт; дождитесь его окончания.");
  auto ins = tx.prepare(
      "INSERT INTO certificate_jobs (event_id, state, total, send_mail, started_by, created_at) "
      "VALUES (?1, 'running', 0, ?2, ?3, ?4)");
  ins.bind_text(1, event_id).bind_int(2, send_mail ? 1 : 0).bind_int(3, started_by).bind_int(4, to_ms(now));
  if (auto st = ins.run(); !st) return st;
  return tx.last_insert_id();
}

// The job's count of documents to make; a job with none is done at once.
Status set_job_total(store::Tx& tx, std::int64_t job, std::size_t total, TimePoint now) {
  auto q = tx.prepare(
      "UPDATE certificate_jobs SET total = ?2, state = CASE WHEN ?2 = 0 THEN 'done' ELSE 'running' END, "
      "finished_at = CASE WHEN ?2 = 0 THEN ?3 END WHERE id = ?1");
  return q.bind_int(1, job).bind_int(2, static_cast<std::int64_t>(total)).bind_int(3, to_ms(now)).run();
}

}  // namespace

// What one start_job transaction works with and what it did.
struct CertificateService::Issue {
  std::string event_id;
  const timeline::EventView& event;
  const Settings& settings;
  bool send_mail = false;
  TimePoint now{};
  mail::MailPart mail_part;               // holds *letter
  const mail::Template* letter = nullptr;  // the certificate letter, null when the mail part lacks it
  std::int64_t job = 0;
  std::vector<Work> work;  // the documents to make
  bool queued_mail = false;
};

Status CertificateService::issue_one(store::Tx& tx, Issue& issue, const Person& person) {
  Content content = content_for(issue.settings, *issue.event.agenda, person);
  if (!content.tmpl) return Status::ok();
  std::string data = content.data.dump();
  std::string email = person.email();
  auto q = tx.prepare(
      "SELECT id, template, data, email, state, number, created_at FROM certificates WHERE event_id = ?1 AND "
      "user_id = ?2");
  q.bind_text(1, issue.event_id).bind_int(2, person.user_id);
  auto more = q.step();
  if (!more) return more.status();
  if (!*more) {
    auto add = tx.prepare(
        "INSERT INTO certificates (number, event_id, user_id, template, data, email, state, job_id, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8)");
    add.bind_text(1, new_number())
        .bind_text(2, issue.event_id)
        .bind_int(3, person.user_id)
        .bind_text(4, content.tmpl->id)
        .bind_text(5, data)
        .bind_text(6, email)
        .bind_int(7, issue.job)
        .bind_int(8, to_ms(issue.now));
    if (auto st = add.run(); !st) return st;
    issue.work.push_back({issue.job, tx.last_insert_id()});
    return Status::ok();
  }
  std::int64_t id = q.int64(0);
  if (q.text(1) != content.tmpl->id || q.text(2) != data || q.text(3) != email || q.text(4) != "made") {
    auto upd = tx.prepare(
        "UPDATE certificates SET template = ?2, data = ?3, email = ?4, state = 'pending', job_id = ?5, "
        "error = NULL, claimed_by = NULL, claimed_until = NULL WHERE id = ?1");
    upd.bind_int(1, id).bind_text(2, content.tmpl->id).bind_text(3, data).bind_text(4, email).bind_int(5, issue.job);
    if (auto st = upd.run(); !st) return st;
    issue.work.push_back({issue.job, id});
    return Status::ok();
  }
  // Unchanged and made before, perhaps by a job that did not mail: the letter is queued
  // now, and never twice (the outbox refuses a known key).
  if (!issue.send_mail || !issue.letter) return Status::ok();
  std::string number = q.text(5);
  auto values = document_values(*issue.event.agenda, issue.settings, content.data, number,
                                russian_date(issue.settings, issue.event.timeline->format(from_ms(q.int64(6)))));
  fs::path pdf = event_dir(issue.event_id) / (number + ".pdf");
  auto stored = mail::Outbox::enqueue(
      tx, certificate_letter(*issue.letter, *content.tmpl, issue.event_id, person.user_id, email, values, pdf),
      issue.now);
  if (!stored) return stored.status();
  issue.queued_mail = issue.queued_mail || *stored;
  return Status::ok();
}

Result<CertificateJob> CertificateService::start_job(const accounts::Identity& organiser, std::string_view event_id,
                                                     bool send_mail) {
  auto ev = find(event_id);
  if (!ev) return ev.status();
  if (!accounts::is_organiser(organiser, event_id)) return not_organiser();
  auto people = participants(organiser, **ev);
  if (!people) return people.status();

  Issue issue{std::string(event_id), **ev, settings_.find(event_id)->second, send_mail, clock_.now()};
  issue.letter = mail_template(*(*ev)->agenda, issue.settings.mail_template, issue.mail_part);
  Status s = db_.transaction([&](store::Tx& tx) -> Status {
    issue.work.clear();
    issue.queued_mail = false;
    auto job = open_job(tx, event_id, send_mail, organiser.user.id, issue.now);
    if (!job) return job.status();
    issue.job = *job;
    for (const auto& person : *people)
      if (auto st = issue_one(tx, issue, person); !st) return st;
    return set_job_total(tx, issue.job, issue.work.size(), issue.now);
  });
  if (!s) return s;
  if (issue.queued_mail && mail_queued_) mail_queued_();
  // The job's first push goes out before any worker can push a later count.
  auto j = [&] {
    MutexLock lock(progress_mutex_);
    auto read = read_job(issue.job);
    if (read) publish_.publish(live::topic::certificates(event_id), "progress", to_json(*read));
    return read;
  }();
  {
    MutexLock lock(mutex_);
    for (const auto& w : issue.work) queue_.push_back(w);
  }
  changed_.notify_all();
  return j;
}

Result<std::optional<CertificateJob>> CertificateService::current_job(std::string_view event_id) {
  auto ev = find(event_id);
  if (!ev) return ev.status();
  std::optional<std::int64_t> job;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare("SELECT max(id) FROM certificate_jobs WHERE event_id = ?1");
    q.bind_text(1, event_id);
    auto more = q.step();
    if (!more) return more.status();
    if (*more && !q.is_null(0)) job = q.int64(0);
    return Status::ok();
  });
  if (!s) return s;
  if (!job) return std::optional<CertificateJob>();
  auto j = read_job(*job);
  if (!j) return j.status();
  return std::optional<CertificateJob>(std::move(*j));
}

Result<std::optional<CertificateJob>> CertificateService::subscribe(const accounts::Identity* who,
                                                                    std::string_view event) {
  if (!who) return errors::not_authenticated();
  if (!accounts::is_organiser(*who, event)) return not_organiser();
  return current_job(event);
}

// ---------------------------------------------------------------- reading

namespace {

// The recipients' names and (when asked) their certificate letters' states: the accounts and mail
// modules' answers for this event's rows.
Status fill_names_and_mail(store::Tx& tx, std::string_view event_id, const std::set<std::int64_t>& users,
                           std::map<std::int64_t, std::string>& names,
                           std::map<std::int64_t, std::string>* mail_states) {
  auto found = accounts::users_by_id(tx, users);
  if (!found) return found.status();
  for (auto& [id, user] : *found) names[id] = std::move(user.full_name);
  if (!mail_states) return Status::ok();
  auto letters = mail::Outbox::states_with_prefix(tx, letter_key_prefix(event_id));
  if (!letters) return letters.status();
  for (auto user : users)
    if (auto it = letters->find(letter_key(event_id, user)); it != letters->end()) (*mail_states)[user] = it->second;
  return Status::ok();
}

}  // namespace

Result<CertificateList> CertificateService::list(std::string_view event_id) {
  auto ev = find(event_id);
  if (!ev) return ev.status();
  CertificateList out;
  const auto& timeline = *(*ev)->timeline;
  std::map<std::int64_t, std::string> names, mail_states;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT number, user_id, email, template, data, state, error, made_at FROM certificates "
        "WHERE event_id = ?1 ORDER BY id");
    q.bind_text(1, event_id);
    std::set<std::int64_t> users;
    auto rows = store::each_row(q, [&]() -> Status {
      ListedCertificate c;
      json data;
      std::optional<std::int64_t> made_at;
      store::read_columns(q, 0, c.number, c.user_id, c.email, c.template_id, store::json_object(data), c.state,
                          c.error, made_at);
      c.title = data.value("template_title", "");
      if (made_at) c.made_at = timeline.format(from_ms(*made_at));
      users.insert(c.user_id);
      out.certificates.push_back(std::move(c));
      return Status::ok();
    });
    if (!rows) return rows;
    return fill_names_and_mail(tx, event_id, users, names, &mail_states);
  });
  if (!s) return s;
  for (auto& c : out.certificates) {
    c.full_name = names[c.user_id];
    if (auto it = mail_states.find(c.user_id); it != mail_states.end()) c.mail = it->second;
  }
  std::stable_sort(out.certificates.begin(), out.certificates.end(),
                   [](const ListedCertificate& a, const ListedCertificate& b) { return a.full_name < b.full_name; });
  auto job = current_job(event_id);
  if (!job) return job.status();
  out.job = std::move(*job);
  return out;
}

Result<std::vector<CertificateService::Issued>> CertificateService::issued(std::string_view event_id) {
  auto ev = find(event_id);
  if (!ev) return ev.status();
  std::vector<Issued> out;
  std::map<std::int64_t, std::string> names, mail_states;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT user_id, email, number, data FROM certificates WHERE event_id = ?1 AND state = 'made' ORDER BY id");
    q.bind_text(1, event_id);
    std::set<std::int64_t> users;
    auto rows = store::each_row(q, [&]() -> Status {
      auto data = json::parse(q.text(3), nullptr, false);
      out.push_back({q.int64(0), {}, q.text(1), q.text(2), data.is_object() ? data.value("template_title", "") : "",
                     false});
      users.insert(q.int64(0));
      return Status::ok();
    });
    if (!rows) return rows;
    return fill_names_and_mail(tx, event_id, users, names, &mail_states);
  });
  if (!s) return s;
  for (auto& i : out) {
    i.full_name = names[i.user_id];
    i.mailed = mail_states.count(i.user_id) > 0;
  }
  return out;
}

Result<CertificateService::JobCounts> CertificateService::job_counts(std::string_view event_id) {
  JobCounts c;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT (SELECT count(*) FROM certificates WHERE state = 'pending' AND (coalesce(?1, '') = '' OR event_id = ?1)), "
        "(SELECT count(*) FROM certificates WHERE state = 'failed' AND (coalesce(?1, '') = '' OR event_id = ?1)), "
        "(SELECT count(*) FROM certificate_jobs WHERE state = 'running' AND (coalesce(?1, '') = '' OR event_id = ?1))");
    q.bind_text(1, event_id);
    auto more = q.step();
    if (!more) return more.status();
    if (*more) {
      c.queued = q.int64(0);
      c.failed = q.int64(1);
      c.running = q.int64(2);
    }
    return Status::ok();
  });
  if (!s) return s;
  return c;
}

Result<std::int64_t> CertificateService::not_issued(std::string_view event_id) {
  auto ev = find(event_id);
  if (!ev) return ev.status();
  accounts::Identity organiser;
  organiser.roles.push_back({std::string(event_id), accounts::Role::organiser, std::nullopt});
  auto people = participants(organiser, **ev);
  if (!people) return people.status();
  std::int64_t left = 0;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    for (const auto& person : *people) {
      auto q = tx.prepare("SELECT 1 FROM certificates WHERE event_id = ?1 AND user_id = ?2 AND state = 'made'");
      q.bind_text(1, event_id).bind_int(2, person.user_id);
      auto more = q.step();
      if (!more) return more.status();
      left += *more ? 0 : 1;
    }
    return Status::ok();
  });
  if (!s) return s;
  return left;
}

namespace {

// The person's part in the event as the verify page names it; data issued before roles were
// kept says it through its practices and sections.
std::string role_label(const Settings& settings, const json& data) {
  std::set<std::string> roles;
  for (const auto& r : data.value("roles", json::array()))
    if (r.is_string()) roles.insert(r.get<std::string>());
  if (!data.contains("roles")) {
    if (!data.value("practices", json::array()).empty()) roles.insert("author");
    if (data.value("sections", json::array()).size() > data.value("practices", json::array()).size())
      roles.insert("attendee");
  }
  std::string out;
  for (const char* role : {"author", "attendee"}) {
    if (!roles.count(role)) continue;
    if (!out.empty()) out += ", ";
    out += settings.roles.at(role);
  }
  return out;
}

std::vector<CertifiedPractice> certified_practices(const timeline::Agenda& agenda, const json& data) {
  std::vector<CertifiedPractice> out;
  for (const auto& p : data.value("practice_titles", json::array())) {
    if (!p.is_object()) continue;
    int section = p.value("section", 0);
    const auto* s = agenda.find_section(section);
    out.push_back({p.value("title", ""), section, s ? s->title : std::string()});
  }
  return out;
}

}  // namespace

Result<Verification> CertificateService::verify(std::string_view text) {
  std::string number = normalise_number(text);
  if (number.empty()) return not_found();
  Verification out;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT event_id, data, created_at FROM certificates WHERE number = ?1 AND state = 'made'");
    q.bind_text(1, number);
    auto more = q.step();
    if (!more) return more.status();
    if (!*more) return not_found();
    auto ev = events_.find(q.text(0));
    if (ev == events_.end()) return not_found();
    auto data = json::parse(q.text(1), nullptr, false);
    if (!data.is_object()) return not_found();
    const auto& settings = settings_.find(ev->first)->second;
    const auto issued = ev->second.timeline->format(from_ms(q.int64(2)));
    out.number = number;
    out.event_id = ev->first;
    out.event_title = ev->second.agenda->title;
    out.document = data.value("template_title", "");
    out.template_id = data.value("template", "");
    out.values = data.value("values", json::object());
    out.full_name = out.values.value("full_name", "");
    out.institution = out.values.value("institution", "");
    out.took_part = data.value("took_part", json::array());
    out.role = role_label(settings, data);
    out.practices = certified_practices(*ev->second.agenda, data);
    out.issued_on = russian_date(settings, issued);
    out.issued_at = issued;
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<OwnCertificates> CertificateService::mine(const accounts::Identity& who, std::string_view event_id) {
  auto ev = find(event_id);
  if (!ev) return ev.status();
  OwnCertificates out;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT number, data, created_at FROM certificates WHERE event_id = ?1 AND user_id = ?2 AND state = 'made' "
        "ORDER BY id");
    q.bind_text(1, event_id).bind_int(2, who.user.id);
    return store::each_row(q, [&]() -> Status {
      auto data = json::parse(q.text(1), nullptr, false);
      out.certificates.push_back({q.text(0), data.is_object() ? data.value("template_title", "") : "",
                                  data.is_object() ? data.value("took_part", json::array()) : json::array(),
                                  (*ev)->timeline->format(from_ms(q.int64(2)))});
      return Status::ok();
    });
  });
  if (!s) return s;
  auto readable = may_read_proceedings(who, event_id);
  if (!readable) return readable.status();
  out.proceedings = proceedings_.find(event_id)->second.enabled && *readable;
  return out;
}

Result<File> CertificateService::file(const accounts::Identity& who, std::string_view text) {
  std::string number = normalise_number(text);
  if (number.empty()) return not_found();
  File out;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT event_id, user_id, template, data, created_at FROM certificates WHERE number = ?1 AND state = 'made'");
    q.bind_text(1, number);
    auto more = q.step();
    if (!more) return more.status();
    if (!*more) return not_found();
    std::string event_id = q.text(0);
    if (q.int64(1) != who.user.id && !accounts::is_organiser(who, event_id)) return not_found();
    auto ev = events_.find(event_id);
    if (ev == events_.end()) return not_found();
    const auto& settings = settings_.find(event_id)->second;
    const Template* t = settings.find_template(q.text(2));
    auto data = json::parse(q.text(3), nullptr, false);
    auto values = document_values(*ev->second.agenda, settings, data.is_object() ? data : json::object(), number, "");
    out.path = event_dir(event_id) / (number + ".pdf");
    out.name = t ? mail::fill(t->file_name, values) : number + ".pdf";
    out.content_type = "application/pdf";
    return Status::ok();
  });
  if (!s) return s;
  if (!fs::exists(out.path)) return not_found();
  return out;
}

Result<File> CertificateService::archive(std::string_view event_id) {
  auto ev = find(event_id);
  if (!ev) return ev.status();
  std::vector<std::pair<std::string, std::string>> made;  // number, full name
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare("SELECT number, user_id FROM certificates WHERE event_id = ?1 AND state = 'made' ORDER BY id");
    q.bind_text(1, event_id);
    std::vector<std::pair<std::string, std::int64_t>> rows;
    std::set<std::int64_t> users;
    auto read = store::each_row(q, [&]() -> Status {
      rows.emplace_back(q.text(0), q.int64(1));
      users.insert(q.int64(1));
      return Status::ok();
    });
    if (!read) return read;
    std::map<std::int64_t, std::string> names;
    if (auto filled = fill_names_and_mail(tx, event_id, users, names, nullptr); !filled) return filled;
    for (auto& [number, user] : rows) made.emplace_back(std::move(number), names[user]);
    return Status::ok();
  });
  if (!s) return s;
  std::stable_sort(made.begin(), made.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  if (made.empty()) return Status::not_found("no_certificates", "Сертификаты ещё не выпущены.");
  // Named by what it holds, so an unchanged set is served from the file built before.
  std::string list;
  for (const auto& [number, name] : made) {
    std::error_code ec;
    auto when = fs::last_write_time(event_dir(event_id) / (number + ".pdf"), ec);
    list += number + ":" + std::to_string(when.time_since_epoch().count()) + ";";
  }
  std::string key = hex_digest(list).substr(0, 16);
  fs::path zip_path = event_dir(event_id) / ("certificates-" + key + ".zip");
  File out{zip_path, "Сертификаты " + std::string(event_id) + ".zip", "application/zip"};
  MutexLock lock(build_mutex_);
  if (fs::exists(zip_path)) return out;
  fs::path partial = zip_path;
  partial += ".part";
  std::error_code ec;
  fs::remove(partial, ec);
  int error = 0;
  zip_t* zip = zip_open(partial.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (!zip) return Status::internal("archive_failed", "Не удалось создать архив.");
  std::set<std::string> names;
  for (const auto& [number, name] : made) {
    fs::path pdf = event_dir(event_id) / (number + ".pdf");
    zip_source_t* src = zip_source_file(zip, pdf.c_str(), 0, -1);
    std::string entry = name + " " + number + ".pdf";
    for (char& c : entry)
      if (c == '/' || c == '\\') c = '_';
    if (!src || zip_file_add(zip, entry.c_str(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
      if (src) zip_source_free(src);
      zip_discard(zip);
      return Status::internal("archive_failed", "Не удалось добавить в архив сертификат " + number + ".");
    }
  }
  if (zip_close(zip) != 0) {
    zip_discard(zip);
    fs::remove(partial, ec);
    return Status::internal("archive_failed", "Не удалось записать архив.");
  }
  // Older archives of this event are outdated now.
  for (const auto& entry : fs::directory_iterator(event_dir(event_id), ec)) {
    auto n = entry.path().filename().string();
    if (n.rfind("certificates-", 0) == 0 && n.size() > 4 && n.substr(n.size() - 4) == ".zip") fs::remove(entry.path(), ec);
  }
  fs::rename(partial, zip_path, ec);
  if (ec) return Status::internal("archive_failed", "Не удалось сохранить архив: " + ec.message());
  return out;
}

// ---------------------------------------------------------------- the proceedings

Result<bool> CertificateService::may_read_proceedings(const accounts::Identity& who, std::string_view event_id) {
  for (const auto& g : who.roles)
    if (g.event_id == event_id) return true;
  bool yes = false;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto known = intake::registered_or_owner(tx, event_id, who.user.id);
    if (!known) return known.status();
    if (*known) return yes = true, Status::ok();
    auto q = tx.prepare("SELECT 1 FROM certificates WHERE event_id = ?1 AND user_id = ?2 LIMIT 1");
    q.bind_text(1, event_id).bind_int(2, who.user.id);
    auto more = q.step();
    if (!more) return more.status();
    if (*more) return yes = true, Status::ok();
    auto named = intake::named_coauthor(tx, event_id, who.user.email);
    if (!named) return named.status();
    yes = *named;
    return Status::ok();
  });
  if (!s) return s;
  return yes;
}

Result<File> CertificateService::proceedings(const accounts::Identity& who, std::string_view event_id) {
  auto ev = find(event_id);
  if (!ev) return ev.status();
  const auto& settings = proceedings_.find(event_id)->second;
  if (!settings.enabled) return Status::not_found("proceedings_not_configured", "Сборник для этого мероприятия не предусмотрен.");
  auto readable = may_read_proceedings(who, event_id);
  if (!readable) return readable.status();
  if (!*readable) return Status::forbidden("not_a_participant", "Сборник доступен участникам мероприятия.");
  const auto& agenda = *(*ev)->agenda;

  MutexLock lock(build_mutex_);
  std::vector<ProceedingsPractice> practices;
  std::string basis, stored_fp, stored_file;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    // The admitted outcomes come from the agenda (the proceedings part).
    auto admitted = intake::admitted(tx, event_id, settings.outcomes);
    if (!admitted) return admitted.status();
    for (const auto& d : *admitted) {
      ProceedingsPractice p;
      p.id = d.practice.id;
      p.section = d.practice.section;
      p.answers = d.practice.answers;
      p.title = practice_title(agenda.words, p.id, p.answers);
      p.institution = at_path(p.answers, "organisation.name");
      if (agenda.practice)
        for (const auto& t : agenda.practice->types)
          if (t.id == d.practice.type) p.type_title = t.title;
      basis += std::to_string(p.id) + ":" + std::to_string(d.practice.revision) + ":" + d.outcome.outcome + ":" +
               std::to_string(d.outcome.decided_at) + ";";
      practices.push_back(std::move(p));
    }
    auto f = tx.prepare("SELECT fingerprint, file FROM proceedings WHERE event_id = ?1");
    f.bind_text(1, event_id);
    auto more = f.step();
    if (!more) return more.status();
    if (*more) {
      stored_fp = f.text(0);
      stored_file = f.text(1);
    }
    return Status::ok();
  });
  if (!s) return s;
  // The agenda's texts are part of what the file was built from: an edited title rebuilds it.
  std::string fingerprint = hex_digest(basis + json(agenda.modules.count("proceedings") ? agenda.modules.at("proceedings")
                                                                                        : json()).dump());
  File out{event_dir(event_id) / ("proceedings-" + fingerprint.substr(0, 16) + ".pdf"), settings.file_name,
           "application/pdf"};
  if (stored_fp == fingerprint && fs::exists(out.path)) return out;
  std::error_code ec;
  fs::create_directories(out.path.parent_path(), ec);
  std::sort(practices.begin(), practices.end(), [](const auto& a, const auto& b) {
    return a.section != b.section ? a.section < b.section : a.title < b.title;
  });
  const auto values = title_values(agenda, practices.size());
  auto made = typeset_proceedings(agenda, settings, values, practices, out.path);
  if (!made) return made.status();
  s = db_.transaction([&](store::Tx& tx) {
    return tx.prepare(
                 "INSERT INTO proceedings (event_id, fingerprint, file, practices, pages, built_at) VALUES (?1, ?2, ?3, "
                 "?4, ?5, ?6) ON CONFLICT (event_id) DO UPDATE SET fingerprint = ?2, file = ?3, practices = ?4, "
                 "pages = ?5, built_at = ?6")
        .bind_text(1, event_id)
        .bind_text(2, fingerprint)
        .bind_text(3, out.path.filename().string())
        .bind_int(4, static_cast<std::int64_t>(practices.size()))
        .bind_int(5, made->pages)
        .bind_int(6, to_ms(clock_.now()))
        .run();
  });
  if (!s) return s;
  if (!stored_file.empty() && stored_file != out.path.filename().string()) fs::remove(event_dir(event_id) / stored_file, ec);
  return out;
}

// ---------------------------------------------------------------- the order

Result<Document> CertificateService::order(std::string_view event_id) {
  auto ev = events_.find(event_id);
  if (ev == events_.end()) return errors::event_not_found();
  const auto& settings = orders_.find(event_id)->second;
  if (!settings.enabled)
    return Status::not_found("order_not_configured", "Распорядительный документ для этого мероприятия не предусмотрен.");
  const auto& agenda = *ev->second.agenda;
  auto review_part = review::read_review_part(agenda);
  const auto* decisions = std::get_if<review::ReviewPart>(&review_part);
  // The name and institution the author gave in their registration, else the account's name and
  // the practice's organisation.
  auto author_of = [&](const std::string& account_name, const json& registration, const std::string& organisation) {
    std::string name = settings.author_name_field.empty() ? "" : at_path(registration, settings.author_name_field);
    std::string own = at_path(registration, settings.author_institution_field);
    return OrderAuthor{name.empty() ? account_name : name, own.empty() ? organisation : own};
  };
  std::vector<OrderPractice> practices;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto admitted = intake::admitted(tx, event_id, settings.outcomes);
    if (!admitted) return admitted.status();
    for (const auto& [practice, outcome] : *admitted) {
      OrderPractice p;
      p.section = practice.section;
      p.title = practice_title(agenda.words, practice.id, practice.answers);
      p.institution = at_path(practice.answers, settings.institution_field);
      auto title = decisions ? decisions->outcome_titles.find(outcome.outcome)
                             : std::map<std::string, std::string>::const_iterator{};
      p.outcome = decisions && title != decisions->outcome_titles.end() ? title->second : outcome.outcome;
      // The owner first, then the registered co-authors, each with their own registration.
      auto authors = intake::authors_of(tx, practice.id);
      if (!authors) return authors.status();
      for (const auto& a : *authors) {
        auto registration = intake::registration_of(tx, event_id, a.user_id);
        if (!registration) return registration.status();
        const json answers = *registration ? (*registration)->answers : json::object();
        if (a.owner && p.institution.empty()) p.institution = at_path(answers, settings.author_institution_field);
        p.authors.push_back(author_of(a.full_name, answers, p.institution));
      }
      practices.push_back(std::move(p));
    }
    return Status::ok();
  });
  if (!s) return s;
  std::stable_sort(practices.begin(), practices.end(), [](const auto& a, const auto& b) {
    return a.section != b.section ? a.section < b.section : a.title < b.title;
  });
  const auto values = title_values(agenda, practices.size());
  auto made = typeset_order(agenda, settings, values, practices);
  if (!made) return made.status();
  return Document{std::move(*made), settings.file_name};
}

Result<ProceedingsLetters> CertificateService::send_proceedings(const accounts::Identity& organiser, std::string_view event_id) {
  auto ev = find(event_id);
  if (!ev) return ev.status();
  if (!accounts::is_organiser(organiser, event_id)) return not_organiser();
  const auto& settings = settings_.find(event_id)->second;
  const auto& p = proceedings_.find(event_id)->second;
  if (!p.enabled) return Status::not_found("proceedings_not_configured", "Сборник для этого мероприятия не предусмотрен.");
  // Built first, so a letter never points at a collection that cannot be made.
  if (auto built = proceedings(organiser, event_id); !built) return built.status();
  auto people = participants(organiser, **ev);
  if (!people) return people.status();
  const auto& agenda = *(*ev)->agenda;
  mail::MailPart part;
  const mail::Template* letter = mail_template(agenda, p.mail_template, part);
  if (!letter) return Status::internal("mail_template_missing", "В программе нет шаблона письма о сборнике.");
  int queued = 0;
  auto now = clock_.now();
  Status s = db_.transaction([&](store::Tx& tx) -> Status {
    queued = 0;
    for (const auto& person : *people) {
      std::map<std::string, std::string> values{{"full_name", person.full_name},
                                                {"event_title", agenda.title},
                                                {"event_title_genitive", agenda.title_genitive},
                                                {"event_title_prepositional", agenda.title_prepositional},
                                                {"proceedings_url", settings.site_url + "/api/events/" + agenda.id + "/proceedings"},
                                                {"cabinet_url", settings.site_url + "/events/" + agenda.id + "/cabinet"}};
      mail::Message m;
      m.idempotency_key = "proceedings:" + agenda.id + ":" + std::to_string(person.user_id);
      m.event_id = agenda.id;
      m.recipients = {person.email()};
      m.subject = mail::fill(letter->subject, values);
      m.body = mail::fill(letter->body, values);
      auto stored = mail::Outbox::enqueue(tx, m, now);
      if (!stored) return stored.status();
      queued += *stored ? 1 : 0;
    }
    return Status::ok();
  });
  if (!s) return s;
  if (queued && mail_queued_) mail_queued_();
  return ProceedingsLetters{people->size(), queued};
}

// ---------------------------------------------------------------- exports

Result<Table> CertificateService::export_table(const accounts::Identity& organiser, std::string_view event_id,
                                               std::string_view which) {
  auto ev = find(event_id);
  if (!ev) return ev.status();
  if (!accounts::is_organiser(organiser, event_id)) return not_organiser();
  const auto& timeline = *(*ev)->timeline;
  const auto& agenda = *(*ev)->agenda;
  Table t;
  t.title = std::string(which) + "-" + std::string(event_id);
  if (which == "attendance") {
    t.columns = {"Секция", "Название секции", "ФИО", "E-mail", "Первый вход", "Минут"};
    if (!attendance_) return t;
    auto rows = attendance_(organiser, event_id);
    if (!rows) return rows.status();
    for (const auto& r : *rows) {
      const auto* sec = agenda.find_section(r.section);
      t.rows.push_back({std::to_string(r.section), sec ? sec->title : "", r.full_name, r.email,
                        exporting::date_time_text(r.first_joined), r.minutes});
    }
    return t;
  }
  Status s = Status::ok();
  if (which == "decisions") {
    // The agenda's words for each decision, as the letters and pages say them.
    auto part = review::read_review_part(agenda);
    const auto titles = std::holds_alternative<review::ReviewPart>(part)
                            ? std::get<review::ReviewPart>(part).outcome_titles
                            : std::map<std::string, std::string>{};
    auto decision_words = [&](const std::string& id) {
      auto it = titles.find(id);
      return it == titles.end() ? std::string("решение без названия в программе") : it->second;
    };
    t.columns = {capitalised(agenda.words.one), "Секция", "Название " + agenda.words.genitive, "Учреждение", "Решение",
                 "Причина", "Решил", "Когда"};
    s = db_.read([&](store::Tx& tx) -> Status {
      auto decided = intake::decided(tx, event_id);
      if (!decided) return decided.status();
      for (const auto& d : *decided) {
        auto by = accounts::user_by_id(tx, d.outcome.decided_by);
        if (!by) return by.status();
        if (!*by) continue;
        const auto& p = d.practice;
        t.rows.push_back({std::to_string(p.id), std::to_string(p.section), practice_title(agenda.words, p.id, p.answers),
                          at_path(p.answers, "organisation.name"), decision_words(d.outcome.outcome), d.outcome.reason, (*by)->full_name,
                          exporting::date_time_text(timeline.format(from_ms(d.outcome.decided_at)))});
      }
      return Status::ok();
    });
  } else if (which == "certificates") {
    t.columns = {"Номер", "ФИО", "E-mail", "Документ", "Состояние", "Выпущен", "Письмо"};
    auto listed = list(event_id);
    if (!listed) return listed.status();
    const std::map<std::string, std::string> made = {{"pending", "готовится"}, {"made", "готов"}, {"failed", "не удалось сделать"}};
    const std::map<std::string, std::string> mailed = {{"pending", "в очереди"}, {"sent", "отправлено"}, {"failed", "не отправлено"}};
    auto words = [](const std::map<std::string, std::string>& of, const std::optional<std::string>& v, const char* none) {
      auto it = v ? of.find(*v) : of.end();
      return it == of.end() ? std::string(none) : it->second;
    };
    for (const auto& c : listed->certificates)
      t.rows.push_back({c.number, c.full_name, c.email, c.title, words(made, c.state, ""),
                        c.made_at ? exporting::date_time_text(*c.made_at) : "", words(mailed, c.mail, "не отправлялось")});
  } else {
    return Status::not_found("unknown_export", "Такой выгрузки нет: есть выгрузки решений, посещаемости и сертификатов.");
  }
  if (!s) return s;
  return t;
}

}  // namespace praktika::certificates
