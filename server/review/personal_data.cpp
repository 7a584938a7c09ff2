// The review's part of a person's request for their data (personal_data.h).
#include "review/personal_data.h"

#include <tuple>
#include <vector>

#include "store/db.h"
#include "store/rows.h"

namespace praktika::review {
namespace {

Result<HeldData> data_of(store::Tx& tx, const DataSubject& who) {
  return store::HeldRows(tx, who.user_id)
      .add("assignments",
           "SELECT practice_id, assigned_at FROM review_assignments WHERE expert_id = ?1 ORDER BY practice_id",
           {"practice#", "assigned_at#"})
      .add("reviews",
           "SELECT practice_id, decision, reason, scores, created_at, updated_at FROM reviews WHERE expert_id = ?1 "
           "ORDER BY practice_id",
           {"practice#", "decision", "reason", "scores$", "created_at#", "updated_at#"})
      .done();
}

Status anonymise(store::Tx& tx, const Withdrawal& w) {
  // reviews has no integer key of its own: a reason is rewritten by practice and its old text.
  std::vector<std::tuple<std::int64_t, std::string, std::string>> reasons;  // practice, new, old
  {
    auto q = tx.prepare("SELECT practice_id, reason, expert_id FROM reviews");
    Status read = store::each_row(q, [&] {
      std::string reason = q.text(1);
      const auto scope = q.int64(2) == w.user_id ? Withdrawal::Scope::own : Withdrawal::Scope::anyone;
      if (w.traced(reason, scope)) reasons.emplace_back(q.int64(0), w.scrub(reason, scope), std::move(reason));
    });
    if (!read) return read;
  }
  for (const auto& [practice, scrubbed, reason] : reasons)
    if (auto s = tx.prepare("UPDATE reviews SET reason = ?2 WHERE practice_id = ?1 AND reason = ?3")
                     .bind_int(1, practice)
                     .bind_text(2, scrubbed)
                     .bind_text(3, reason)
                     .run();
        !s)
      return s;
  return store::rewrite_texts(tx, "SELECT id, detail, CASE WHEN actor_id = ?1 THEN 1 ELSE 0 END FROM review_log", w.user_id,
                              "UPDATE review_log SET detail = ?2 WHERE id = ?1", w.rewrite_json());
}

}  // namespace

const PersonalDataPart kPersonalData{&data_of, &anonymise};

}  // namespace praktika::review
