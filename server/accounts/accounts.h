// Accounts: people (users), their login sessions and their roles per event, stored in the
// tables of store/migrations/001_accounts.sql. Called by the HTTP routes of /api/auth, /api/me
// and the role routes, and by the admin CLI. Any thread, but every method blocks (SQLite;
// argon2id in register/login: 64 MiB and 0.1–0.4 s of one core, 0.4 s measured on the 2-core
// build machine): call from the worker pool, never from a connection strand.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "accounts/password.h"
#include "accounts/throttle.h"
#include "common/status.h"
#include "common/time.h"

namespace praktika::store {
class Db;
class Tx;
}  // namespace praktika::store

namespace praktika::accounts {

// Roles are explicit and per event: an organiser of an event is not thereby its expert.
enum class Role { organiser, expert, moderator, participant };

std::optional<Role> parse_role(std::string_view text);  // "organiser", "expert", "moderator", "participant"
const char* to_string(Role role);

struct User {
  std::int64_t id = 0;
  std::string email;  // trimmed, lower-case
  std::string full_name;
  TimePoint created_at{};
};

struct RoleGrant {
  std::string event_id;
  Role role = Role::participant;
  std::optional<int> section;  // expert and moderator only; empty = the whole event
  friend bool operator==(const RoleGrant&, const RoleGrant&) = default;
};

// Who is making a request: what authenticate() answers for a session cookie.
struct Identity {
  User user;
  std::vector<RoleGrant> roles;  // ordered by event, role, section
};

// A new login. `token` goes into the cookie and is never stored: the database keeps its hash.
struct Session {
  std::string token;  // 64 lower-case hex characters (32 random bytes)
  User user;
  TimePoint expires_at{};
};

struct RoleAssignment {
  User user;
  RoleGrant grant;
};

// A role granted to an e-mail without an account: it waits until that address registers or
// signs in, and becomes a RoleGrant then.
struct Invitation {
  std::string email;  // normalised like User::email
  RoleGrant grant;
  TimePoint created_at{};
};

// True when `identity` holds `role` in `event_id`. With a section: a grant for that section or
// for the whole event counts. Without one: any grant of that role in the event counts.
bool has_role(const Identity& identity, std::string_view event_id, Role role, std::optional<int> section = {});
bool is_organiser(const Identity& identity, std::string_view event_id);

// Readers for other modules, inside their own transaction (they write no SQL against the
// accounts' tables). A user that does not exist is an empty optional.
Result<std::optional<User>> user_by_id(store::Tx& tx, std::int64_t id);
Result<std::optional<User>> user_by_email(store::Tx& tx, std::string_view email);  // as stored: trimmed, lower-case
// The given users, for lists that show a name or address beside another module's row (read in a few
// statements, not one per row); a user that does not exist has no entry.
Result<std::map<std::int64_t, User>> users_by_id(store::Tx& tx, const std::set<std::int64_t>& ids);
// Fills each of another module's rows from its user (a name beside a comment, say): `user_of(row)`
// is the row's user id, `fill(row, user)` copies what the row shows. Rows whose user is gone keep
// what they had.
template <typename Rows, typename UserOf, typename Fill>
Status fill_from_users(store::Tx& tx, Rows& rows, UserOf user_of, Fill fill) {
  std::set<std::int64_t> ids;
  for (const auto& row : rows) ids.insert(user_of(row));
  auto users = users_by_id(tx, ids);
  if (!users) return users.status();
  for (auto& row : rows)
    if (auto it = users->find(user_of(row)); it != users->end()) fill(row, it->second);
  return Status::ok();
}
// Who holds `role` in the event, each grant once: the user and the section (empty: the whole event).
Result<std::vector<std::pair<std::int64_t, std::optional<int>>>> role_holders(store::Tx& tx, std::string_view event_id,
                                                                              Role role);

// Wire shapes. A password hash is never part of them.
nlohmann::json to_json(const User& user);              // {"id","email","full_name"}
nlohmann::json to_json(const RoleGrant& grant);        // {"event","role","section"?}
nlohmann::json to_json(const Identity& identity);      // {"user":{…},"roles":[{…}]}
nlohmann::json to_json(const RoleAssignment& assignment);  // {"user":{…},"event","role","section"?}
nlohmann::json to_json(const Invitation& invitation);      // {"email","event","role","section"?}

// Stable codes (HTTP status) of the Status values the service returns, besides store's
// storage_error/storage_busy: invalid_email, weak_password, password_too_long, invalid_name,
// invalid_event, invalid_section (422); email_taken (409); invalid_credentials,
// not_authenticated (401); user_not_found, role_not_found (404); too_many_attempts (429); for
// invitations also invalid_role (422) and invitation_not_found (404).
class AccountsService {
 public:
  struct Options {
    // Absolute: a session ends this long after login whatever its use, matching the cookie's Max-Age.
    std::chrono::seconds session_lifetime{std::chrono::days(14)};
    PasswordCost password_cost = PasswordCost::interactive();
    ThrottlePolicy throttle;
    // Wall clock for session times (stored in the database); defaults to the system clock.
    std::function<TimePoint()> now;
    // Monotonic clock for throttling; defaults to steady_clock. Tests step both.
    LoginThrottle::SteadyNow steady_now;
    // With several instances: failures counted for all of them (in Redis), beside this process's own.
    std::shared_ptr<SharedThrottle> shared_throttle;
    // Told, after the commit, the user whose sessions or roles just changed (a logout, a grant, a
    // revocation), so that whoever holds that user's identity in memory (an open WebSocket) can
    // drop it. On the thread that made the change; must not block.
    std::function<void(std::int64_t user_id)> on_identity_changed;
  };

  // `db` must outlive the service. Throws std::runtime_error only if libsodium cannot start.
  AccountsService(store::Db& db, Options options);

  // Cleans the e-mail and name (clean_text, one line), lower-cases the e-mail (ASCII only: a
  // Cyrillic local part is kept as typed), checks the shapes and stores the user.
  Result<User> register_user(std::string_view email, std::string_view password, std::string_view full_name);
  // The admin CLI's call: register_user plus `grants`, all in one transaction (nothing is
  // created if a grant is invalid). Bootstraps the first organiser.
  Result<User> create_user(std::string_view email, std::string_view password, std::string_view full_name,
                           const std::vector<RoleGrant>& grants = {});

  // Unknown e-mail and wrong password give the same invalid_credentials, in about the same time.
  // `client_address` is the person's address (net::Request::client_address, empty for the command
  // line). When the throttle locks the e-mail, the e-mail at that address, or the address itself
  // (past its flood ceiling, see throttle.h) the answer is too_many_attempts, and `retry_after`,
  // when given, receives the wait for a Retry-After header.
  Result<Session> login(std::string_view email, std::string_view password, std::string_view client_address,
                        std::chrono::seconds* retry_after = nullptr);
  // Ends the session; unknown or malformed tokens are fine (logging out twice is not an error).
  Status logout(std::string_view token);
  // authenticate() without recording activity: a pure read, for re-checking an identity already
  // held (a WebSocket before each operation).
  Result<Identity> recheck(std::string_view token);
  // The user and roles of a live session; not_authenticated for an unknown, malformed or expired
  // token. Records last_seen at most once a minute per session, so reads stay reads.
  Result<Identity> authenticate(std::string_view token);

  // Idempotent: granting a held role is ok. user_not_found for an unknown user; invalid_section
  // for a section on organiser/participant or a section below 1; invalid_event for a malformed id.
  Status grant_role(std::int64_t user_id, std::string_view event_id, Role role, std::optional<int> section = {});
  // role_not_found when that exact grant (same section, or both without one) is not held.
  Status revoke_role(std::int64_t user_id, std::string_view event_id, Role role, std::optional<int> section = {});
  Result<std::vector<RoleGrant>> roles_of(std::int64_t user_id);
  Result<std::vector<RoleAssignment>> list_roles(std::string_view event_id);  // by role, section, e-mail

  // Stores `grant` for an e-mail that has no account yet (idempotent, like grant_role) and runs
  // `also` inside the same transaction, so the invitation letter is queued exactly when the role
  // is stored. The role is applied when the address registers (register_user, create_user) or
  // signs in. invalid_email, invalid_event, invalid_section as above; email_taken (409) when the
  // address has an account meanwhile (grant the role to the user then); invalid_role for a
  // participant's role, which comes with the registration. `invited_by` is the organiser's user
  // id, 0 for nobody in particular.
  Result<Invitation> invite(std::string_view email, const RoleGrant& grant, std::int64_t invited_by,
                const std::function<Status(store::Tx&, const Invitation&)>& also);
  // invitation_not_found when that exact grant is not waiting for that e-mail.
  Status withdraw_invitation(std::string_view email, const RoleGrant& grant);
  Result<std::vector<Invitation>> list_invitations(std::string_view event_id);  // by e-mail, role, section

  Result<User> find_user(std::int64_t id);
  Result<User> find_user_by_email(std::string_view email);

 private:
  enum class RecordActivity { no, yes };
  Result<Identity> read_identity(std::string_view token, RecordActivity record);
  void identity_changed(std::int64_t user_id) const;
  Result<User> insert_user(std::string_view email, std::string_view password, std::string_view full_name,
                           const std::vector<RoleGrant>& grants);

  // Verified against when the e-mail is unknown, so that answer takes as long as a wrong password.
  // Made at the first such login rather than at start-up: a hash costs as much as a login, and
  // every millisecond of a restart is a millisecond the crowd of viewers waits to reconnect.
  const std::string& dummy_hash();

  // Constant after construction.
  store::Db& db_;
  const Options options_;

  // Written once, under dummy_once_.
  std::once_flag dummy_once_;
  std::string dummy_hash_;

  // Internally synchronised.
  LoginThrottle throttle_;
};

}  // namespace praktika::accounts
