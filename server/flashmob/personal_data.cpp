// The flashmob's part of a person's request for their data (personal_data.h).
#include "flashmob/personal_data.h"

#include "store/db.h"
#include "store/rows.h"

namespace praktika::flashmob {

Result<HeldData> data_of(store::Tx& tx, std::int64_t user_id) {
  HeldData held;
  auto q = tx.prepare(
      "SELECT id, event_id, upload_id, work_kind, title, institution, media_kind, play_state, review FROM flashmob_items "
      "WHERE owner_id = ?1 ORDER BY id");
  q.bind_int(1, user_id);
  auto rows = store::rows_json(q, {"id#", "event", "upload", "work_kind", "title", "institution", "media_kind",
                                   "play_state", "review"});
  if (!rows) return rows.status();
  held.records["flashmob_items"] = std::move(*rows);
  return held;
}

Status anonymise(store::Tx& tx, const Withdrawal& w) {
  return store::rewrite_texts(tx, "SELECT id, title, CASE WHEN owner_id = ?1 THEN 1 ELSE 0 END FROM flashmob_items", w.user_id,
                              "UPDATE flashmob_items SET title = ?2 WHERE id = ?1",
                              [&w](const std::string& text, bool own) { return w.scrub(text, own ? Withdrawal::Scope::own : Withdrawal::Scope::anyone); });
}

}  // namespace praktika::flashmob
