// The gallery's part of a person's request for their data (personal_data.h).
#include "gallery/personal_data.h"

#include "store/db.h"
#include "store/rows.h"

namespace praktika::gallery {
namespace {

Result<HeldData> data_of(store::Tx& tx, const DataSubject& who) {
  return store::HeldRows(tx, who.user_id)
      .add("comments",
           "SELECT id, practice_id, parent_id, text, created_at, edited_at, deleted_at, hidden_at "
           "FROM gallery_comments WHERE author_id = ?1 ORDER BY id",
           {"id#", "practice#", "parent#", "text", "created_at#", "edited_at#", "deleted_at#", "hidden_at#"})
      .add("comment_flags",
           "SELECT comment_id, reason, flagged_at, cleared_at FROM gallery_comment_flags WHERE user_id = ?1 "
           "ORDER BY flagged_at",
           {"comment#", "reason", "flagged_at#", "cleared_at#"})
      .done();
}

Status anonymise(store::Tx& tx, const Withdrawal& w) {
  // Any comment may name the person, not only their own.
  return store::rewrite_texts(tx, "SELECT id, text, CASE WHEN author_id = ?1 THEN 1 ELSE 0 END FROM gallery_comments", w.user_id,
                              "UPDATE gallery_comments SET text = ?2 WHERE id = ?1", w.rewrite());
}

}  // namespace

const PersonalDataPart kPersonalData{&data_of, &anonymise};

}  // namespace praktika::gallery
