// The accounts' part of a person's request for their data (personal_data.h).
#include "accounts/personal_data.h"
#include "store/db.h"
#include "store/rows.h"

namespace praktika::accounts {
namespace {

Result<HeldData> data_of(store::Tx& tx, const DataSubject& who) {
  return store::HeldRows(tx, who.user_id)
      .add("account", "SELECT id, email, full_name, created_at FROM users WHERE id = ?1",
           {"id#", "email", "full_name", "created_at#"})
      .add("roles",
           "SELECT event_id, role, section, created_at FROM event_roles WHERE user_id = ?1 "
           "ORDER BY event_id, role, section",
           {"event", "role", "section#", "created_at#"})
      .add("invitations",
           "SELECT i.event_id, i.role, i.section, i.created_at FROM role_invitations i "
           "JOIN users u ON u.email = i.email WHERE u.id = ?1 ORDER BY i.event_id, i.role",
           {"event", "role", "section#", "created_at#"})
      .done();
}

Status anonymise(store::Tx& tx, const Withdrawal& withdrawal) {
  // "!" is no argon2id string: every password is wrong for it, whatever is typed.
  if (auto s = tx.prepare("UPDATE users SET email = ?2, full_name = ?3, password_hash = '!' WHERE id = ?1")
                   .bind_int(1, withdrawal.user_id)
                   .bind_text(2, withdrawal.anonymous_email)
                   .bind_text(3, withdrawal.anonymous_name)
                   .run();
      !s)
    return s;
  if (auto s = tx.prepare("DELETE FROM sessions WHERE user_id = ?1").bind_int(1, withdrawal.user_id).run(); !s) return s;
  return tx.prepare("DELETE FROM role_invitations WHERE email = ?1").bind_text(1, withdrawal.email).run();
}

}  // namespace

const PersonalDataPart kPersonalData{&data_of, &anonymise};

}  // namespace praktika::accounts
