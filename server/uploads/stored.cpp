#include "uploads/stored.h"

#include "store/columns.h"
#include "store/db.h"
#include "store/rows.h"

namespace praktika::uploads {
namespace {

constexpr std::string_view kColumns =
    "SELECT id, event_id, owner_id, purpose, file_name, length, state, verdict, practice_id, field, created_at, "
    "updated_at FROM uploads ";

StoredFile read_row(const store::Stmt& q) {
  StoredFile f;
  store::read_columns(q, 0, f.id, f.event_id, f.owner_id, f.purpose, f.file_name, f.length, f.state,
                      store::json_text(f.verdict), f.practice_id, f.field, f.created_at, f.updated_at);
  return f;
}

Result<std::vector<StoredFile>> read_all(store::Stmt& q) {
  return store::read_rows<StoredFile>(q, [&](store::Stmt&) { return read_row(q); });
}

}  // namespace

Result<std::vector<StoredFile>> files_of_practice(store::Tx& tx, std::string_view event_id, std::int64_t owner_id,
                                                  std::int64_t practice_id) {
  auto q = tx.prepare(std::string(kColumns) +
                      "WHERE event_id = ?1 AND owner_id = ?2 AND practice_id = ?3 ORDER BY created_at, id");
  q.bind_text(1, event_id).bind_int(2, owner_id).bind_int(3, practice_id);
  return read_all(q);
}

Result<std::optional<StoredFile>> find_file(store::Tx& tx, std::string_view event_id, std::string_view id) {
  auto q = tx.prepare(std::string(kColumns) + "WHERE id = ?1 AND event_id = ?2");
  q.bind_text(1, id).bind_text(2, event_id);
  auto more = q.step();
  if (!more) return more.status();
  if (!*more) return std::optional<StoredFile>();
  return std::optional<StoredFile>(read_row(q));
}

Result<std::vector<StoredFile>> files_of_event(store::Tx& tx, std::string_view event_id, std::string_view purpose,
                                               std::string_view state) {
  auto q = tx.prepare(std::string(kColumns) +
                      "WHERE event_id = ?1 AND (?2 = '' OR purpose = ?2) AND (?3 = '' OR state = ?3) "
                      "ORDER BY created_at, id");
  q.bind_text(1, event_id).bind_text(2, purpose).bind_text(3, state);
  return read_all(q);
}

std::filesystem::path complete_file(const std::filesystem::path& files_dir, std::string_view id) {
  return files_dir / std::string(id);
}

}  // namespace praktika::uploads
