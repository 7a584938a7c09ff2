// The section day's part of a person's request for their data (personal_data.h).
#include "sections/personal_data.h"

#include "store/db.h"
#include "store/rows.h"

namespace praktika::sections {
namespace {

Result<HeldData> data_of(store::Tx& tx, const DataSubject& who) {
  return store::HeldRows(tx, who.user_id)
      .add("questions",
           "SELECT id, event_id, section, text, status, votes, asked_at, decided_at FROM section_questions "
           "WHERE user_id = ?1 ORDER BY id",
           {"id#", "event", "section#", "text", "status", "votes#", "asked_at#", "decided_at#"})
      .add("hands", "SELECT event_id, section, status, raised_at, ended_at FROM section_hands WHERE user_id = ?1 ORDER BY id",
           {"event", "section#", "status", "raised_at#", "ended_at#"})
      .add("attendance",
           "SELECT event_id, section, joined_at, left_at FROM section_attendance WHERE user_id = ?1 ORDER BY id",
           {"event", "section#", "joined_at#", "left_at#"})
      .add("question_votes",
           "SELECT question_id, voted_at FROM section_question_votes WHERE user_id = ?1 ORDER BY voted_at",
           {"question#", "voted_at#"})
      .add("notices",
           "SELECT event_id, section, practice_id, text, slot, created_at FROM section_notices WHERE user_id = ?1 "
           "ORDER BY id",
           {"event", "section#", "practice#", "text", "slot$", "created_at#"})
      .add("question_flags",
           "SELECT question_id, flagged_at FROM section_question_flags WHERE user_id = ?1 ORDER BY flagged_at",
           {"question#", "flagged_at#"})
      .done();
}

Status anonymise(store::Tx& tx, const Withdrawal& w) {
  const auto scrub = w.rewrite();
  if (auto s = store::rewrite_texts(tx, "SELECT id, text, CASE WHEN user_id = ?1 THEN 1 ELSE 0 END FROM section_questions", w.user_id,
                                    "UPDATE section_questions SET text = ?2 WHERE id = ?1", scrub);
      !s)
    return s;
  return store::rewrite_texts(tx, "SELECT id, text, CASE WHEN user_id = ?1 THEN 1 ELSE 0 END FROM section_notices", w.user_id,
                              "UPDATE section_notices SET text = ?2 WHERE id = ?1", scrub);
}

}  // namespace

const PersonalDataPart kPersonalData{&data_of, &anonymise};

}  // namespace praktika::sections
