// The section day's part of a person's request for their data (personal_data.h).
#include "sections/personal_data.h"

#include "store/db.h"
#include "store/rows.h"

namespace praktika::sections {

Result<HeldData> data_of(store::Tx& tx, std::int64_t user_id) {
  HeldData held;
  auto questions = tx.prepare(
      "SELECT id, event_id, section, text, status, votes, asked_at, decided_at FROM section_questions "
      "WHERE user_id = ?1 ORDER BY id");
  questions.bind_int(1, user_id);
  auto q = store::rows_json(questions, {"id#", "event", "section#", "text", "status", "votes#", "asked_at#",
                                        "decided_at#"});
  if (!q) return q.status();
  held.records["questions"] = std::move(*q);
  auto hands = tx.prepare(
      "SELECT event_id, section, status, raised_at, ended_at FROM section_hands WHERE user_id = ?1 ORDER BY id");
  hands.bind_int(1, user_id);
  auto h = store::rows_json(hands, {"event", "section#", "status", "raised_at#", "ended_at#"});
  if (!h) return h.status();
  held.records["hands"] = std::move(*h);
  auto attendance = tx.prepare(
      "SELECT event_id, section, joined_at, left_at FROM section_attendance WHERE user_id = ?1 ORDER BY id");
  attendance.bind_int(1, user_id);
  auto a = store::rows_json(attendance, {"event", "section#", "joined_at#", "left_at#"});
  if (!a) return a.status();
  held.records["attendance"] = std::move(*a);
  auto votes = tx.prepare("SELECT question_id, voted_at FROM section_question_votes WHERE user_id = ?1 ORDER BY voted_at");
  votes.bind_int(1, user_id);
  auto v = store::rows_json(votes, {"question#", "voted_at#"});
  if (!v) return v.status();
  held.records["question_votes"] = std::move(*v);
  auto notices = tx.prepare(
      "SELECT event_id, section, practice_id, text, slot, created_at FROM section_notices WHERE user_id = ?1 ORDER BY id");
  notices.bind_int(1, user_id);
  auto n = store::rows_json(notices, {"event", "section#", "practice#", "text", "slot$", "created_at#"});
  if (!n) return n.status();
  held.records["notices"] = std::move(*n);
  return held;
}

Status anonymise(store::Tx& tx, const Withdrawal& w) {
  auto scrub = [&w](const std::string& text, bool own) {
    return w.scrub(text, own ? Withdrawal::Scope::own : Withdrawal::Scope::anyone);
  };
  if (auto s = store::rewrite_texts(tx, "SELECT id, text, CASE WHEN user_id = ?1 THEN 1 ELSE 0 END FROM section_questions", w.user_id,
                                    "UPDATE section_questions SET text = ?2 WHERE id = ?1", scrub);
      !s)
    return s;
  return store::rewrite_texts(tx, "SELECT id, text, CASE WHEN user_id = ?1 THEN 1 ELSE 0 END FROM section_notices", w.user_id,
                              "UPDATE section_notices SET text = ?2 WHERE id = ?1", scrub);
}

}  // namespace praktika::sections
