// The outbox's part of a person's request for their data (personal_data.h).
#include "mail/personal_data.h"

#include <vector>

#include "store/db.h"
#include "store/rows.h"

namespace praktika::mail {
namespace {

Result<HeldData> data_of(store::Tx& tx, const DataSubject& who) {
  // recipients is a JSON array of addresses: the quoted address inside it.
  return store::HeldRows(tx, who.user_id)
      .add("letters",
           "SELECT event_id, recipients, subject, body, state, created_at, sent_at FROM mail_outbox "
           "WHERE recipients LIKE ?1 ORDER BY id",
           "%\"" + who.email + "\"%", {"event", "recipients$", "subject", "body", "state", "created_at#", "sent_at#"})
      .done();
}

Status anonymise(store::Tx& tx, const Withdrawal& w) {
  struct Letter {
    std::int64_t id = 0;
    std::string key, recipients, subject, body;
  };
  std::vector<Letter> changed;
  {
    auto q = tx.prepare("SELECT id, idempotency_key, recipients, subject, body FROM mail_outbox ORDER BY id");
    Status read = store::each_row(q, [&] {
      Letter old{q.int64(0), q.text(1), q.text(2), q.text(3), q.text(4)};
      // Letters to the person are theirs; others' only lose the name and e-mail.
      const auto scope = old.recipients.find("\"" + w.email + "\"") != std::string::npos ? Withdrawal::Scope::own
                                                                                           : Withdrawal::Scope::anyone;
      Letter now{old.id, w.scrub(old.key, scope), w.scrub(old.recipients, scope), w.scrub(old.subject, scope),
                 w.scrub(old.body, scope)};
      if (now.key != old.key || now.recipients != old.recipients || now.subject != old.subject || now.body != old.body)
        changed.push_back(std::move(now));
    });
    if (!read) return read;
  }
  for (const auto& l : changed)
    if (auto s = tx.prepare("UPDATE mail_outbox SET idempotency_key = ?2, recipients = ?3, subject = ?4, body = ?5 "
                            "WHERE id = ?1")
                     .bind_int(1, l.id)
                     .bind_text(2, l.key)
                     .bind_text(3, l.recipients)
                     .bind_text(4, l.subject)
                     .bind_text(5, l.body)
                     .run();
        !s)
      return s;
  // A letter still waiting for the person is not sent to nobody.
  return tx.prepare("UPDATE mail_outbox SET state = 'failed', last_error = 'Получатель отозвал согласие на обработку персональных данных' WHERE state = 'pending' "
                    "AND recipients LIKE ?1")
      .bind_text(1, "%\"" + w.anonymous_email + "\"%")
      .run();
}

}  // namespace

const PersonalDataPart kPersonalData{&data_of, &anonymise};

}  // namespace praktika::mail
