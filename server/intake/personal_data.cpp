// The intake's part of a person's request for their data (personal_data.h).
#include "intake/personal_data.h"

#include <vector>

#include "store/db.h"
#include "store/rows.h"

namespace praktika::intake {
namespace {

using nlohmann::json;

Result<HeldData> data_of(store::Tx& tx, const DataSubject& who) {
  auto held =
      store::HeldRows(tx, who.user_id)
          .add("registrations",
               "SELECT event_id, answers, consents, created_at, updated_at FROM registrations WHERE user_id = ?1 "
               "ORDER BY event_id",
               {"event", "answers$", "consents$", "created_at#", "updated_at#"})
          .add("practices",
               "SELECT p.id, p.event_id, p.section, p.type, p.answers, p.state, p.revision, p.created_at, "
               "p.updated_at, p.submitted_at, o.outcome, o.reason, o.decided_at FROM practices p "
               "LEFT JOIN practice_outcomes o ON o.practice_id = p.id WHERE p.owner_id = ?1 ORDER BY p.event_id, p.id",
               {"id#", "event", "section#", "type", "answers$", "state", "revision#", "created_at#", "updated_at#",
                "submitted_at#", "outcome", "outcome_reason", "decided_at#"})
          .add("payments",
               "SELECT pay.practice_id, pay.upload_id, pay.state, pay.reason, pay.sent_at, pay.decided_at "
               "FROM payments pay JOIN practices p ON p.id = pay.practice_id WHERE p.owner_id = ?1 "
               "ORDER BY pay.practice_id",
               {"practice#", "upload", "state", "reason", "sent_at#", "decided_at#"})
          .add("coauthorships",
               "SELECT p.id, p.event_id, p.answers, p.state FROM practice_coauthors c "
               "JOIN practices p ON p.id = c.practice_id WHERE c.email = ?1 ORDER BY p.event_id, p.id",
               who.email, {"practice#", "event", "answers$", "state"})
          .done();
  if (!held) return held;
  // A co-author is shown the practice's title, not the owner's whole description.
  for (auto& row : held->records["coauthorships"]) {
    json title = row["answers"].is_object() ? row["answers"].value("name", json()) : json();
    row.erase("answers");
    row["title"] = title;
  }
  return held;
}

Status anonymise(store::Tx& tx, const Withdrawal& w) {
  // Registrations: the personal fields go, the rest is scrubbed of traces.
  struct Row {
    std::string event_id;
    std::string answers;
  };
  std::vector<Row> registrations;
  {
    auto q = tx.prepare("SELECT event_id, answers FROM registrations WHERE user_id = ?1");
    q.bind_int(1, w.user_id);
    Status read = store::each_row(q, [&] {
      registrations.push_back({q.text(0), q.text(1)});
    });
    if (!read) return read;
  }
  for (const auto& r : registrations) {
    json answers = json::parse(r.answers, nullptr, false);
    if (!answers.is_object()) answers = json::object();
    if (auto fields = w.personal_fields.find(r.event_id); fields != w.personal_fields.end())
      for (const auto& field : fields->second) answers.erase(field);
    answers = w.scrub_json(answers, Withdrawal::Scope::own);
    if (auto s = tx.prepare("UPDATE registrations SET answers = ?3 WHERE event_id = ?1 AND user_id = ?2")
                     .bind_text(1, r.event_id)
                     .bind_int(2, w.user_id)
                     .bind_text(3, answers.dump())
                     .run();
        !s)
      return s;
  }

  // Descriptions: the person may be named in any practice (as its contact, an implementer). Only
  // the name and e-mail go: a phone or an address written there is the institution's, and the
  // description must stay complete.
  struct Described {
    std::int64_t id = 0;
    std::string answers;
  };
  std::vector<Described> described;
  {
    auto q = tx.prepare("SELECT id, answers FROM practices ORDER BY id");
    Status read = store::each_row(q, [&] {
      std::string answers = q.text(1);
      if (w.traced(answers)) described.push_back({q.int64(0), std::move(answers)});
    });
    if (!read) return read;
  }
  for (const auto& d : described) {
    std::string scrubbed = w.scrub_json_text(d.answers);
    if (auto s = tx.prepare("UPDATE practices SET answers = ?2, revision = revision + 1 WHERE id = ?1")
                     .bind_int(1, d.id)
                     .bind_text(2, scrubbed)
                     .run();
        !s)
      return s;
  }

  return tx.prepare(
               "UPDATE practice_coauthors SET email = ?2 WHERE email = ?1 AND NOT EXISTS "
               "(SELECT 1 FROM practice_coauthors other WHERE other.practice_id = practice_coauthors.practice_id "
               "AND other.email = ?2)")
      .bind_text(1, w.email)
      .bind_text(2, w.anonymous_email)
      .run();
}

}  // namespace

const PersonalDataPart kPersonalData{&data_of, &anonymise};

}  // namespace praktika::intake
