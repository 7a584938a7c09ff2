#include "intake/catalogue.h"

#include <algorithm>

#include "intake/practice_row.h"
#include "store/columns.h"
#include "store/db.h"
#include "store/rows.h"

namespace praktika::intake {
namespace {

using nlohmann::json;

using detail::kPracticeColumns;
using detail::kPracticeFrom;
using detail::read_practice;
constexpr std::string_view kOutcomeColumns = ", o.outcome, o.reason, o.decided_by, o.decided_at, o.notified_at";

Outcome read_outcome(const store::Stmt& q, int first) {
  Outcome o;
  store::read_columns(q, first, o.outcome, o.reason, o.decided_by, o.decided_at, o.notified_at);
  return o;
}

using store::read_rows;

Result<std::vector<Decided>> read_decided(store::Tx& tx, store::Stmt& q) {
  auto rows = read_rows<Decided>(q, [](const store::Stmt& r) {
    return Decided{read_practice(r), read_outcome(r, detail::kPracticeColumnCount)};
  });
  if (!rows) return rows;
  if (auto s = detail::fill_owners(tx, *rows, [](auto& row) -> auto& { return row.practice; }); !s) return s;
  return rows;
}

Result<bool> exists(store::Stmt& q) {
  auto more = q.step();
  if (!more) return more.status();
  return *more;
}

}  // namespace

namespace detail {

Practice read_practice(const store::Stmt& q) {
  Practice p;
  store::read_columns(q, 0, p.id, p.event_id, p.owner_id, p.section, p.type, store::json_object(p.answers), p.state, p.revision, p.created_at, p.updated_at, p.submitted_at);
  return p;
}

}  // namespace detail

Result<std::vector<Practice>> practices(store::Tx& tx, std::string_view event_id, const PracticeQuery& query) {
  std::string sql = std::string(kPracticeColumns) + std::string(kPracticeFrom) +
                    "WHERE p.event_id = ?1 AND (?2 = 1 OR p.state = 'submitted') AND (p.id = ?3 OR ?3 IS NULL) "
                    "AND (p.id != ?4 OR ?4 IS NULL)";
  if (query.paid_only)
    sql += " AND EXISTS (SELECT 1 FROM payments pay WHERE pay.practice_id = p.id AND pay.state = 'confirmed')";
  if (query.without_payment_proof)
    sql += " AND NOT EXISTS (SELECT 1 FROM payments pay WHERE pay.practice_id = p.id AND pay.state IN ('proof_sent', "
           "'confirmed'))";
  sql += " ORDER BY p.id";
  auto q = tx.prepare(sql);
  q.bind_text(1, event_id).bind_int(2, query.include_drafts ? 1 : 0).bind_int(3, query.only).bind_int(4, query.except);
  auto rows = read_rows<Practice>(q, read_practice);
  if (!rows) return rows;
  if (auto s = detail::fill_owners(tx, *rows, [](auto& row) -> auto& { return row; }); !s) return s;
  return rows;
}

Result<std::optional<Practice>> practice_by_id(store::Tx& tx, std::string_view event_id, std::int64_t id) {
  auto found = practices(tx, event_id, {.include_drafts = true, .only = id});
  if (!found) return found.status();
  if (found->empty()) return std::optional<Practice>();
  return std::optional<Practice>(std::move(found->front()));
}

Result<std::set<std::int64_t>> practices_of_person(store::Tx& tx, std::string_view event_id, std::int64_t user_id,
                                                   std::string_view email) {
  auto q = tx.prepare(
      "SELECT id FROM practices WHERE event_id = ?1 AND owner_id = ?2 UNION SELECT p.id FROM practices p "
      "JOIN practice_coauthors c ON c.practice_id = p.id WHERE p.event_id = ?1 AND c.email = ?3");
  q.bind_text(1, event_id).bind_int(2, user_id).bind_text(3, email);
  auto ids = read_rows<std::int64_t>(q, [](const store::Stmt& r) { return r.int64(0); });
  if (!ids) return ids.status();
  return std::set<std::int64_t>(ids->begin(), ids->end());
}

Result<std::vector<Decided>> admitted(store::Tx& tx, std::string_view event_id, const std::vector<std::string>& outcomes,
                                      std::optional<int> section, std::optional<std::int64_t> only) {
  // The outcomes come from the agenda or the constants above: bound as a JSON array, never spliced into SQL.
  auto q = tx.prepare(std::string(kPracticeColumns) + std::string(kOutcomeColumns) + std::string(kPracticeFrom) +
                      "JOIN practice_outcomes o ON o.practice_id = p.id WHERE p.event_id = ?1 AND p.state = 'submitted' "
                      "AND o.outcome IN (" + store::json_array_values(tx.dialect(), 2, false) +
                      ") AND (p.section = ?3 OR ?3 IS NULL) "
                      "AND (p.id = ?4 OR ?4 IS NULL) ORDER BY p.section, p.id");
  std::optional<std::int64_t> section_bound;
  if (section) section_bound = *section;
  q.bind_text(1, event_id).bind_text(2, json(outcomes).dump()).bind_int(3, section_bound).bind_int(4, only);
  return read_decided(tx, q);
}

Result<std::vector<Decided>> decided(store::Tx& tx, std::string_view event_id) {
  auto q = tx.prepare(std::string(kPracticeColumns) + std::string(kOutcomeColumns) + std::string(kPracticeFrom) +
                      "JOIN practice_outcomes o ON o.practice_id = p.id WHERE p.event_id = ?1 ORDER BY p.section, p.id");
  q.bind_text(1, event_id);
  return read_decided(tx, q);
}

Result<std::vector<Author>> authors_of(store::Tx& tx, std::int64_t practice_id) {
  auto q = tx.prepare("SELECT owner_id FROM practices WHERE id = ?1");
  q.bind_int(1, practice_id);
  auto found = q.step();
  if (!found) return found.status();
  if (!*found) return std::vector<Author>();
  const std::int64_t owner_id = q.int64(0);
  std::vector<Author> out;
  auto owner = accounts::user_by_id(tx, owner_id);
  if (!owner) return owner.status();
  if (*owner) out.push_back(Author{owner_id, (*owner)->full_name, (*owner)->email, true});
  // A co-author is an e-mail the owner typed; it names an author once someone registered with it.
  auto emails = tx.prepare("SELECT email FROM practice_coauthors WHERE practice_id = ?1");
  emails.bind_int(1, practice_id);
  auto coauthors = read_rows<std::string>(emails, [](const store::Stmt& r) { return r.text(0); });
  if (!coauthors) return coauthors.status();
  for (const auto& email : *coauthors) {
    auto user = accounts::user_by_email(tx, email);
    if (!user) return user.status();
    if (*user && (*user)->id != owner_id) out.push_back(Author{(*user)->id, (*user)->full_name, (*user)->email, false});
  }
  std::stable_sort(out.begin(), out.end(), [](const Author& a, const Author& b) {
    return a.owner != b.owner ? a.owner : a.full_name < b.full_name;
  });
  return out;
}

std::string institution_of(const Practice& practice) {
  auto org = practice.answers.find("organisation");
  if (org == practice.answers.end() || !org->is_object()) return {};
  auto name = org->find("name");
  return name != org->end() && name->is_string() ? name->get<std::string>() : std::string();
}

Result<std::optional<Registration>> registration_of(store::Tx& tx, std::string_view event_id, std::int64_t user_id) {
  auto q = tx.prepare("SELECT answers FROM registrations WHERE event_id = ?1 AND user_id = ?2");
  q.bind_text(1, event_id).bind_int(2, user_id);
  auto more = q.step();
  if (!more) return more.status();
  if (!*more) return std::optional<Registration>();
  Registration r{user_id, {}};
  store::read_columns(q, 0, store::json_object(r.answers));
  return std::optional<Registration>(std::move(r));
}

Result<std::string> registered_institution(store::Tx& tx, std::string_view event_id, std::int64_t user_id) {
  auto r = registration_of(tx, event_id, user_id);
  if (!r) return r.status();
  if (!*r) return std::string();
  auto it = (*r)->answers.find("institution");
  if (it == (*r)->answers.end() || it->is_null()) return std::string();
  return it->is_string() ? it->get<std::string>() : it->dump();
}

Result<bool> registered_or_owner(store::Tx& tx, std::string_view event_id, std::int64_t user_id) {
  auto q = tx.prepare(
      "SELECT 1 FROM registrations WHERE event_id = ?1 AND user_id = ?2 "
      "UNION ALL SELECT 1 FROM practices WHERE event_id = ?1 AND owner_id = ?2 LIMIT 1");
  q.bind_text(1, event_id).bind_int(2, user_id);
  return exists(q);
}

Result<bool> named_coauthor(store::Tx& tx, std::string_view event_id, std::string_view email) {
  auto q = tx.prepare(
      "SELECT 1 FROM practices p JOIN practice_coauthors c ON c.practice_id = p.id "
      "WHERE p.event_id = ?1 AND c.email = ?2 LIMIT 1");
  q.bind_text(1, event_id).bind_text(2, email);
  return exists(q);
}

Result<std::optional<Outcome>> outcome_of(store::Tx& tx, std::int64_t practice_id) {
  auto q = tx.prepare(
      "SELECT outcome, reason, decided_by, decided_at, notified_at FROM practice_outcomes WHERE practice_id = ?1");
  q.bind_int(1, practice_id);
  auto more = q.step();
  if (!more) return more.status();
  if (!*more) return std::optional<Outcome>();
  return std::optional<Outcome>(read_outcome(q, 0));
}

Status record_outcome(store::Tx& tx, std::int64_t practice_id, std::string_view outcome, std::string_view reason,
                      std::int64_t decided_by, std::int64_t at_ms) {
  return tx
      .prepare(
          "INSERT INTO practice_outcomes (practice_id, outcome, reason, decided_by, decided_at, notified_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, NULL) ON CONFLICT (practice_id) DO UPDATE SET outcome = excluded.outcome, "
          "reason = excluded.reason, decided_by = excluded.decided_by, decided_at = excluded.decided_at, "
          "notified_at = NULL")
      .bind_int(1, practice_id)
      .bind_text(2, outcome)
      .bind_text(3, reason)
      .bind_int(4, decided_by)
      .bind_int(5, at_ms)
      .run();
}

Status mark_notified(store::Tx& tx, std::int64_t practice_id, std::int64_t at_ms) {
  return tx.prepare("UPDATE practice_outcomes SET notified_at = ?2 WHERE practice_id = ?1 AND notified_at IS NULL")
      .bind_int(1, practice_id)
      .bind_int(2, at_ms)
      .run();
}

bool shown_to_readers(std::string_view purpose) { return purpose != "payment"; }

Result<std::vector<uploads::StoredFile>> files_of(store::Tx& tx, const Practice& practice, Audience audience) {
  auto files = uploads::files_of_practice(tx, practice.event_id, practice.owner_id, practice.id);
  if (!files || audience == Audience::author) return files;
  std::vector<uploads::StoredFile> shown;
  for (auto& f : *files)
    if (f.state == "complete" && shown_to_readers(f.purpose)) shown.push_back(std::move(f));
  return shown;
}

Result<std::optional<uploads::StoredFile>> reader_file(store::Tx& tx, std::string_view event_id,
                                                       std::string_view upload_id) {
  auto file = uploads::find_file(tx, event_id, upload_id);
  if (!file || !*file) return file;
  const uploads::StoredFile& f = **file;
  if (f.state != "complete" || !shown_to_readers(f.purpose) || !f.practice_id) return std::optional<uploads::StoredFile>();
  auto practice = practice_by_id(tx, event_id, *f.practice_id);
  if (!practice) return practice.status();
  if (!*practice || (*practice)->owner_id != f.owner_id) return std::optional<uploads::StoredFile>();
  return file;
}

}  // namespace praktika::intake
