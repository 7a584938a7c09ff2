// The flashmob's part of a person's request for their data (personal_data.h).
#include "flashmob/personal_data.h"

#include "store/db.h"
#include "store/rows.h"

namespace praktika::flashmob {
namespace {

Result<HeldData> data_of(store::Tx& tx, const DataSubject& who) {
  return store::HeldRows(tx, who.user_id)
      .add("flashmob_items",
           "SELECT id, event_id, upload_id, work_kind, title, institution, media_kind, play_state, review "
           "FROM flashmob_items WHERE owner_id = ?1 ORDER BY id",
           {"id#", "event", "upload", "work_kind", "title", "institution", "media_kind", "play_state", "review"})
      .done();
}

Status anonymise(store::Tx& tx, const Withdrawal& w) {
  return store::rewrite_texts(tx, "SELECT id, title, CASE WHEN owner_id = ?1 THEN 1 ELSE 0 END FROM flashmob_items", w.user_id,
                              "UPDATE flashmob_items SET title = ?2 WHERE id = ?1", w.rewrite());
}

}  // namespace

const PersonalDataPart kPersonalData{&data_of, &anonymise};

}  // namespace praktika::flashmob
