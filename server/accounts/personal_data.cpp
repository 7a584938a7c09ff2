// The accounts' part of a person's request for their data (personal_data.h).
#include "accounts/personal_data.h"
#include "store/db.h"
#include "store/rows.h"

namespace praktika::accounts {

Result<HeldData> data_of(store::Tx& tx, std::int64_t user_id) {
  HeldData held;
  auto user = tx.prepare("SELECT id, email, full_name, created_at FROM users WHERE id = ?1");
  user.bind_int(1, user_id);
  auto account = store::rows_json(user, {"id#", "email", "full_name", "created_at#"});
  if (!account) return account.status();
  held.records["account"] = std::move(*account);
  auto roles = tx.prepare("SELECT event_id, role, section, created_at FROM event_roles WHERE user_id = ?1 "
                          "ORDER BY event_id, role, section");
  roles.bind_int(1, user_id);
  auto role_rows = store::rows_json(roles, {"event", "role", "section#", "created_at#"});
  if (!role_rows) return role_rows.status();
  held.records["roles"] = std::move(*role_rows);
  auto invitations = tx.prepare(
      "SELECT i.event_id, i.role, i.section, i.created_at FROM role_invitations i JOIN users u ON u.email = i.email "
      "WHERE u.id = ?1 ORDER BY i.event_id, i.role");
  invitations.bind_int(1, user_id);
  auto invitation_rows = store::rows_json(invitations, {"event", "role", "section#", "created_at#"});
  if (!invitation_rows) return invitation_rows.status();
  held.records["invitations"] = std::move(*invitation_rows);
  return held;
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

}  // namespace praktika::accounts
