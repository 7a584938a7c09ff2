// The gallery's part of a person's request for their data (personal_data.h).
#include "gallery/personal_data.h"

#include "store/db.h"
#include "store/rows.h"

namespace praktika::gallery {

Result<HeldData> data_of(store::Tx& tx, std::int64_t user_id) {
  HeldData held;
  auto q = tx.prepare(
      "SELECT id, practice_id, parent_id, text, created_at, edited_at, deleted_at, hidden_at FROM gallery_comments "
      "WHERE author_id = ?1 ORDER BY id");
  q.bind_int(1, user_id);
  auto rows = store::rows_json(q, {"id#", "practice#", "parent#", "text", "created_at#", "edited_at#", "deleted_at#",
                                   "hidden_at#"});
  if (!rows) return rows.status();
  held.records["comments"] = std::move(*rows);
  return held;
}

Status anonymise(store::Tx& tx, const Withdrawal& w) {
  // Any comment may name the person, not only their own.
  return store::rewrite_texts(tx, "SELECT id, text, CASE WHEN author_id = ?1 THEN 1 ELSE 0 END FROM gallery_comments", w.user_id,
                              "UPDATE gallery_comments SET text = ?2 WHERE id = ?1",
                              [&w](const std::string& text, bool own) { return w.scrub(text, own ? Withdrawal::Scope::own : Withdrawal::Scope::anyone); });
}

}  // namespace praktika::gallery
