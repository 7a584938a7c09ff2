#include "accounts/accounts.h"

#include <sodium.h>

#include <array>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/utf8.h"
#include "log/log.h"
#include "store/db.h"
#include "store/rows.h"

namespace praktika::accounts {
namespace {

using store::Stmt;
using store::Tx;

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kPasswordMinChars = 8;
constexpr std::size_t kPasswordMaxBytes = 256;  // bounds the hashing work an attacker can ask for
constexpr std::size_t kNameMaxChars = 200;
constexpr std::size_t kEventIdMaxChars = 64;
constexpr auto kLastSeenResolution = std::chrono::minutes(1);

using TokenHash = std::array<unsigned char, crypto_generichash_BYTES>;

std::string normalise_email(std::string_view email) {
  std::string out = clean_text(email, TextLines::one);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Code points in valid UTF-8 without control characters; nullopt otherwise.
std::optional<std::size_t> printable_utf8_length(std::string_view s) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len;
    char32_t cp;
    if (c < 0x80) {
      len = 1, cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + len > s.size()) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (cc & 0x3F);
    }
    const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return std::nullopt;
    i += len;
    ++count;
  }
  return count;
}

// A practical shape check, not RFC 5322: one "@", a local part and a dotted domain, no spaces,
// quotes or brackets. Non-ASCII is allowed (Cyrillic domains); delivery is the real test.
bool valid_email(std::string_view e) {
  if (e.size() < 5 || e.size() > 254 || !printable_utf8_length(e)) return false;
  const auto at = e.find('@');
  if (at == std::string_view::npos || e.find('@', at + 1) != std::string_view::npos) return false;
  const auto local = e.substr(0, at);
  const auto domain = e.substr(at + 1);
  if (local.empty() || local.size() > 64 || domain.size() < 3) return false;
  for (char c : e) {
    if (c == ' ' || std::string_view("\"(),:;<>[]\\").find(c) != std::string_view::npos) return false;
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
  if (domain.find('.') == std::string_view::npos || domain.find("..") != std::string_view::npos) return false;
  if (domain.front() == '.' || domain.back() == '.' || domain.front() == '-' || domain.back() == '-') return false;
  return true;
}

bool valid_event_id(std::string_view id) {
  if (id.empty() || id.size() > kEventIdMaxChars) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

Status check_password(std::string_view password) {
  if (password.size() > kPasswordMaxBytes) {
    return Status::unprocessable("password_too_long", "Пароль длиннее 256 байт");
  }
  // Characters, not bytes: "8 characters" is what a person counts; continuation bytes are skipped.
  std::size_t chars = 0;
  for (char c : password) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
  }
  if (chars < kPasswordMinChars) {
    return Status::unprocessable("weak_password", "Пароль должен содержать не менее 8 символов");
  }
  return Status::ok();
}

Status check_grant(const RoleGrant& g) {
  if (!valid_event_id(g.event_id)) {
    return Status::unprocessable("invalid_event", "Неверный идентификатор мероприятия");
  }
  if (g.section) {
    if (g.role != Role::expert && g.role != Role::moderator) {
      return Status::unprocessable("invalid_section", "Секция указывается только для эксперта или модератора");
    }
    if (*g.section < 1) return Status::unprocessable("invalid_section", "Номер секции должен быть не меньше 1");
  }
  return Status::ok();
}

Status not_authenticated() { return Status::unauthorized("not_authenticated", "Требуется вход в систему"); }
Status invalid_credentials() {
  return Status::unauthorized("invalid_credentials", "Неверный адрес электронной почты или пароль");
}
Status user_not_found() { return Status::not_found("user_not_found", "Пользователь не найден"); }

std::optional<TokenHash> hash_token(std::string_view token) {
  if (token.size() != kTokenBytes * 2) return std::nullopt;
  std::array<unsigned char, kTokenBytes> raw{};
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(raw.data(), raw.size(), token.data(), token.size(), nullptr, &len, &end) != 0 ||
      len != kTokenBytes || end != token.data() + token.size()) {
    return std::nullopt;
  }
  TokenHash h{};
  crypto_generichash(h.data(), h.size(), raw.data(), raw.size(), nullptr, 0);
  return h;
}

std::string new_token() {
  std::array<unsigned char, kTokenBytes> raw{};
  randombytes_buf(raw.data(), raw.size());
  char hex[kTokenBytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw.data(), raw.size());
  sodium_memzero(raw.data(), raw.size());
  return std::string(hex, kTokenBytes * 2);
}

constexpr const char* kSelectUser = "SELECT id, email, full_name, created_at FROM users";

User read_user(const Stmt& q, int first = 0) {
  return User{q.int64(first), q.text(first + 1), q.text(first + 2), from_ms(q.int64(first + 3))};
}

std::optional<int> section_of(const Stmt& q, int column) {
  auto section = q.optional_int64(column);
  return section ? std::optional<int>(static_cast<int>(*section)) : std::nullopt;
}

Status read_grants(Tx& tx, std::int64_t user_id, std::vector<RoleGrant>& out) {
  auto q = tx.prepare(
      "SELECT event_id, role, section FROM event_roles WHERE user_id = ?1 ORDER BY event_id, role, coalesce(section, 0)");
  q.bind_int(1, user_id);
  return store::each_row(q, [&] {
    auto role = parse_role(q.text(1));
    if (!role) return;  // the CHECK constraint makes this unreachable; skip rather than crash
    out.push_back(RoleGrant{q.text(0), *role, section_of(q, 2)});
  });
}

Status insert_grant(Tx& tx, std::int64_t user_id, const RoleGrant& g, TimePoint now) {
  return tx
      .prepare(
          "INSERT INTO event_roles (user_id, event_id, role, section, created_at) VALUES (?1, ?2, ?3, ?4, ?5) "
          "ON CONFLICT DO NOTHING")
      .bind_int(1, user_id)
      .bind_text(2, g.event_id)
      .bind_text(3, to_string(g.role))
      .bind_int(4, g.section ? std::optional<std::int64_t>(*g.section) : std::nullopt)
      .bind_int(5, to_ms(now))
      .run();
}

// Turns the roles waiting for `email` into the user's roles, in the caller's transaction.
Status apply_invitations(Tx& tx, std::int64_t user_id, const std::string& email, TimePoint now) {
  Status moved = tx.prepare(
                       "INSERT INTO event_roles (user_id, event_id, role, section, created_at) "
                       "SELECT ?1, event_id, role, section, ?3 FROM role_invitations WHERE email = ?2 "
                       "ON CONFLICT DO NOTHING")
                     .bind_int(1, user_id)
                     .bind_text(2, email)
                     .bind_int(3, to_ms(now))
                     .run();
  if (!moved.is_ok()) return moved;
  return tx.prepare("DELETE FROM role_invitations WHERE email = ?1").bind_text(1, email).run();
}

Result<User> select_user(store::Db& db, std::string_view where, const std::function<void(Stmt&)>& bind) {
  std::optional<User> user;
  const std::string sql = std::string(kSelectUser) + " WHERE " + std::string(where);
  Status s = db.read([&](Tx& tx) -> Status {
    auto q = tx.prepare(sql);
    bind(q);
    auto row = q.step();
    if (!row.ok()) return row.status();
    if (*row) user = read_user(q);
    return Status::ok();
  });
  if (!s.is_ok()) return s;
  if (!user) return user_not_found();
  return std::move(*user);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Roles and JSON

std::optional<Role> parse_role(std::string_view text) {
  if (text == "organiser") return Role::organiser;
  if (text == "expert") return Role::expert;
  if (text == "moderator") return Role::moderator;
  if (text == "participant") return Role::participant;
  return std::nullopt;
}

const char* to_string(Role role) {
  switch (role) {
    case Role::organiser: return "organiser";
    case Role::expert: return "expert";
    case Role::moderator: return "moderator";
    case Role::participant: return "participant";
  }
  return "participant";
}

bool has_role(const Identity& identity, std::string_view event_id, Role role, std::optional<int> section) {
  for (const auto& g : identity.roles) {
    if (g.event_id != event_id || g.role != role) continue;
    if (!section || !g.section || *g.section == *section) return true;
  }
  return false;
}

bool is_organiser(const Identity& identity, std::string_view event_id) {
  return has_role(identity, event_id, Role::organiser);
}

nlohmann::json to_json(const User& user) {
  return {{"id", user.id}, {"email", user.email}, {"full_name", user.full_name}};
}

nlohmann::json to_json(const RoleGrant& grant) {
  nlohmann::json j = {{"event", grant.event_id}, {"role", to_string(grant.role)}};
  if (grant.section) j["section"] = *grant.section;
  return j;
}

nlohmann::json to_json(const Identity& identity) {
  auto roles = nlohmann::json::array();
  for (const auto& g : identity.roles) roles.push_back(to_json(g));
  return {{"user", to_json(identity.user)}, {"roles", std::move(roles)}};
}

nlohmann::json to_json(const Invitation& invitation) {
  nlohmann::json j = to_json(invitation.grant);
  j["email"] = invitation.email;
  return j;
}

nlohmann::json to_json(const RoleAssignment& assignment) {
  nlohmann::json j = to_json(assignment.grant);
  j["user"] = to_json(assignment.user);
  return j;
}

// ---------------------------------------------------------------------------------------------
// AccountsService

namespace {
AccountsService::Options with_default_clocks(AccountsService::Options o) {
  if (!o.now) o.now = [] { return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()); };
  if (!o.steady_now) o.steady_now = [] { return std::chrono::steady_clock::now(); };
  return o;
}
}  // namespace

AccountsService::AccountsService(store::Db& db, Options options)
    : db_(db),
      options_(with_default_clocks(std::move(options))),
      throttle_(options_.throttle, options_.steady_now) {
  if (!init_sodium()) throw std::runtime_error("libsodium failed to initialise");
}

const std::string& AccountsService::dummy_hash() {
  std::call_once(dummy_once_, [this] {
    auto dummy = hash_password(new_token(), options_.password_cost);
    if (dummy.ok()) dummy_hash_ = std::move(dummy).value();
  });
  return dummy_hash_;
}

Result<User> AccountsService::register_user(std::string_view email, std::string_view password,
                                            std::string_view full_name) {
  return insert_user(email, password, full_name, {});
}

Result<User> AccountsService::create_user(std::string_view email, std::string_view password,
                                          std::string_view full_name, const std::vector<RoleGrant>& grants) {
  return insert_user(email, password, full_name, grants);
}

Result<User> AccountsService::insert_user(std::string_view email_in, std::string_view password,
                                          std::string_view full_name_in, const std::vector<RoleGrant>& grants) {
  const std::string email = normalise_email(email_in);
  if (!valid_email(email)) {
    return Status::unprocessable("invalid_email", "Неверный адрес электронной почты");
  }
  if (Status s = check_password(password); !s.is_ok()) return s;
  const std::string full_name = clean_text(full_name_in, TextLines::one);
  const auto name_chars = printable_utf8_length(full_name);
  if (full_name.empty() || !name_chars || *name_chars > kNameMaxChars) {
    return Status::unprocessable("invalid_name", "Укажите ФИО (до 200 символов)");
  }
  for (const auto& g : grants) {
    if (Status s = check_grant(g); !s.is_ok()) return s;
  }

  // Hashed before the transaction: the database lock must not wait on argon2.
  auto hash = hash_password(password, options_.password_cost);
  if (!hash.ok()) return hash.status();

  User user{0, email, full_name, options_.now()};
  Status s = db_.transaction([&](Tx& tx) -> Status {
    Status ins = tx.prepare(
                       "INSERT INTO users (email, password_hash, full_name, created_at) VALUES (?1, ?2, ?3, ?4)")
                     .bind_text(1, user.email)
                     .bind_text(2, *hash)
                     .bind_text(3, user.full_name)
                     .bind_int(4, to_ms(user.created_at))
                     .run();
    if (store::is_conflict(ins)) {
      return Status::conflict("email_taken", "Пользователь с таким адресом электронной почты уже зарегистрирован");
    }
    if (!ins.is_ok()) return ins;
    user.id = tx.last_insert_id();
    for (const auto& g : grants) {
      if (Status e = insert_grant(tx, user.id, g, user.created_at); !e.is_ok()) return e;
    }
    return apply_invitations(tx, user.id, user.email, user.created_at);
  });
  if (!s.is_ok()) return s;
  return user;
}

Result<Session> AccountsService::login(std::string_view email_in, std::string_view password,
                                       std::string_view client_address, std::chrono::seconds* retry_after) {
  const std::string email = normalise_email(email_in);
  auto wait = throttle_.retry_after(email, client_address);
  if (const auto& shared = options_.shared_throttle)
    if (auto counted = shared->retry_after(email, client_address)) wait = std::max(wait, *counted);
  if (wait.count() > 0) {
    if (retry_after) *retry_after = wait;
    return Status::too_many("too_many_attempts", "Слишком много неудачных попыток входа. Повторите через " +
                                                     std::to_string(wait.count()) + " с");
  }

  std::optional<User> user;
  std::string stored_hash;
  if (password.size() <= kPasswordMaxBytes) {
    Status s = db_.read([&](Tx& tx) -> Status {
      auto q = tx.prepare("SELECT id, email, full_name, created_at, password_hash FROM users WHERE email = ?1");
      q.bind_text(1, email);
      auto row = q.step();
      if (!row.ok()) return row.status();
      if (*row) {
        user = read_user(q);
        stored_hash = q.text(4);
      }
      return Status::ok();
    });
    if (!s.is_ok()) return s;
  }
  // Verify even for an unknown e-mail, so its answer takes as long as a wrong password's.
  const bool ok = verify_password(user ? stored_hash : dummy_hash(), password) && user.has_value();
  if (!ok) {
    throttle_.record_failure(email, client_address);
    if (options_.shared_throttle) options_.shared_throttle->record_failure(email, client_address);
    return invalid_credentials();
  }
  throttle_.record_success(email, client_address);
  if (options_.shared_throttle) options_.shared_throttle->record_success(email, client_address);

  // Parameters raised since this password was set: store a hash at today's cost.
  std::optional<std::string> rehashed;
  if (password_needs_rehash(stored_hash, options_.password_cost)) {
    if (auto h = hash_password(password, options_.password_cost); h.ok()) rehashed = std::move(h).value();
  }

  const TimePoint now = options_.now();
  Session session{new_token(), std::move(*user), now + std::chrono::duration_cast<Millis>(options_.session_lifetime)};
  const auto token_hash = hash_token(session.token);
  Status s = db_.transaction([&](Tx& tx) -> Status {
    // The user's dead sessions go here, where a user's session count can grow.
    Status del = tx.prepare("DELETE FROM sessions WHERE user_id = ?1 AND expires_at <= ?2")
                     .bind_int(1, session.user.id)
                     .bind_int(2, to_ms(now))
                     .run();
    if (!del.is_ok()) return del;
    Status ins = tx.prepare(
                       "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?3)")
                     .bind_blob(1, *token_hash)
                     .bind_int(2, session.user.id)
                     .bind_int(3, to_ms(now))
                     .bind_int(4, to_ms(session.expires_at))
                     .run();
    if (!ins.is_ok()) return ins;
    // Roles waiting for this address: registering applies them already; here too, so that no way
    // an account comes to exist (a restored backup, say) leaves one waiting.
    if (Status applied = apply_invitations(tx, session.user.id, session.user.email, now); !applied.is_ok())
      return applied;
    if (rehashed) {
      return tx.prepare("UPDATE users SET password_hash = ?1 WHERE id = ?2")
          .bind_text(1, *rehashed)
          .bind_int(2, session.user.id)
          .run();
    }
    return Status::ok();
  });
  if (!s.is_ok()) return s;
  return session;
}

Status AccountsService::logout(std::string_view token) {
  const auto token_hash = hash_token(token);
  if (!token_hash) return Status::ok();
  std::optional<std::int64_t> user_id;
  Status s = db_.transaction([&](Tx& tx) -> Status {
    auto q = tx.prepare("DELETE FROM sessions WHERE token_hash = ?1 RETURNING user_id");
    q.bind_blob(1, *token_hash);
    auto row = q.step();
    if (!row.ok()) return row.status();
    if (*row) user_id = q.int64(0);
    return Status::ok();
  });
  if (s.is_ok() && user_id) identity_changed(*user_id);
  return s;
}

Result<Identity> AccountsService::authenticate(std::string_view token) {
  auto who = read_identity(token, RecordActivity::yes);
  // The request's access line names the person by id.
  if (who) log::note_user(who->user.id);
  return who;
}

Result<Identity> AccountsService::recheck(std::string_view token) {
  return read_identity(token, RecordActivity::no);
}

Result<Identity> AccountsService::read_identity(std::string_view token, RecordActivity record) {
  const auto token_hash = hash_token(token);
  if (!token_hash) return not_authenticated();
  const TimePoint now = options_.now();
  std::optional<Identity> identity;
  TimePoint last_seen{};
  Status s = db_.read([&](Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT u.id, u.email, u.full_name, u.created_at, s.last_seen_at FROM sessions s "
        "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1 AND s.expires_at > ?2");
    q.bind_blob(1, *token_hash).bind_int(2, to_ms(now));
    auto row = q.step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::ok();
    identity = Identity{read_user(q), {}};
    last_seen = from_ms(q.int64(4));
    return read_grants(tx, identity->user.id, identity->roles);
  });
  if (!s.is_ok()) return s;
  if (!identity) return not_authenticated();

  if (record == RecordActivity::yes && now - last_seen >= kLastSeenResolution) {
    // Best effort: a failure to record activity must not refuse a valid session.
    (void)db_.transaction([&](Tx& tx) {
      return tx.prepare("UPDATE sessions SET last_seen_at = ?1 WHERE token_hash = ?2")
          .bind_int(1, to_ms(now))
          .bind_blob(2, *token_hash)
          .run();
    });
  }
  return std::move(*identity);
}

Status AccountsService::grant_role(std::int64_t user_id, std::string_view event_id, Role role,
                                   std::optional<int> section) {
  const RoleGrant grant{std::string(event_id), role, section};
  if (Status s = check_grant(grant); !s.is_ok()) return s;
  Status s = db_.transaction([&](Tx& tx) -> Status {
    auto q = tx.prepare("SELECT 1 FROM users WHERE id = ?1");
    q.bind_int(1, user_id);
    auto row = q.step();
    if (!row.ok()) return row.status();
    if (!*row) return user_not_found();
    return insert_grant(tx, user_id, grant, options_.now());
  });
  if (s.is_ok()) identity_changed(user_id);
  return s;
}

Status AccountsService::revoke_role(std::int64_t user_id, std::string_view event_id, Role role,
                                    std::optional<int> section) {
  Status s = db_.transaction([&](Tx& tx) -> Status {
    Status del = tx.prepare(
                       "DELETE FROM event_roles WHERE user_id = ?1 AND event_id = ?2 AND role = ?3 AND section IS NOT DISTINCT FROM ?4")
                     .bind_int(1, user_id)
                     .bind_text(2, event_id)
                     .bind_text(3, to_string(role))
                     .bind_int(4, section ? std::optional<std::int64_t>(*section) : std::nullopt)
                     .run();
    if (!del.is_ok()) return del;
    if (tx.changes() == 0) return Status::not_found("role_not_found", "У пользователя нет такой роли");
    return Status::ok();
  });
  if (s.is_ok()) identity_changed(user_id);
  return s;
}

void AccountsService::identity_changed(std::int64_t user_id) const {
  if (options_.on_identity_changed) options_.on_identity_changed(user_id);
}

Result<std::vector<RoleGrant>> AccountsService::roles_of(std::int64_t user_id) {
  std::vector<RoleGrant> grants;
  Status s = db_.read([&](Tx& tx) { return read_grants(tx, user_id, grants); });
  if (!s.is_ok()) return s;
  return grants;
}

namespace {

Result<std::optional<User>> one_user(Stmt& q) {
  auto row = q.step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<User>();
  return std::optional<User>(read_user(q));
}

}  // namespace

Result<std::optional<User>> user_by_id(Tx& tx, std::int64_t id) {
  auto q = tx.prepare(std::string(kSelectUser) + " WHERE id = ?1");
  q.bind_int(1, id);
  return one_user(q);
}

Result<std::optional<User>> user_by_email(Tx& tx, std::string_view email) {
  auto q = tx.prepare(std::string(kSelectUser) + " WHERE email = ?1");
  q.bind_text(1, email);
  return one_user(q);
}

Result<std::map<std::int64_t, User>> users_by_id(Tx& tx, const std::set<std::int64_t>& ids) {
  // In batches, so a statement never binds more parameters than either store allows.
  constexpr std::size_t kBatch = 200;
  std::map<std::int64_t, User> out;
  std::vector<std::int64_t> batch;
  auto read_batch = [&]() -> Status {
    std::string sql = std::string(kSelectUser) + " WHERE id IN (";
    for (std::size_t i = 0; i < batch.size(); ++i) sql += (i ? ", ?" : "?") + std::to_string(i + 1);
    auto q = tx.prepare(sql + ")");
    for (std::size_t i = 0; i < batch.size(); ++i) q.bind_int(static_cast<int>(i + 1), batch[i]);
    batch.clear();
    return store::each_row(q, [&]() -> Status {
      out[q.int64(0)] = read_user(q);
      return Status::ok();
    });
  };
  for (auto id : ids) {
    batch.push_back(id);
    if (batch.size() == kBatch)
      if (auto s = read_batch(); !s) return s;
  }
  if (!batch.empty())
    if (auto s = read_batch(); !s) return s;
  return out;
}

Result<std::vector<std::pair<std::int64_t, std::optional<int>>>> role_holders(Tx& tx, std::string_view event_id,
                                                                              Role role) {
  auto q = tx.prepare("SELECT user_id, section FROM event_roles WHERE event_id = ?1 AND role = ?2 ORDER BY user_id");
  q.bind_text(1, event_id).bind_text(2, to_string(role));
  return store::read_rows<std::pair<std::int64_t, std::optional<int>>>(
      q, [](const Stmt& r) { return std::make_pair(r.int64(0), section_of(r, 1)); });
}

Result<std::vector<RoleAssignment>> AccountsService::list_roles(std::string_view event_id) {
  std::vector<RoleAssignment> out;
  Status s = db_.read([&](Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT u.id, u.email, u.full_name, u.created_at, r.role, r.section FROM event_roles r "
        "JOIN users u ON u.id = r.user_id WHERE r.event_id = ?1 "
        "ORDER BY CASE r.role WHEN 'organiser' THEN 0 WHEN 'expert' THEN 1 WHEN 'moderator' THEN 2 ELSE 3 END, "
        "coalesce(r.section, 0), u.email");
    q.bind_text(1, event_id);
    return store::each_row(q, [&] {
      if (auto role = parse_role(q.text(4)))
        out.push_back(RoleAssignment{read_user(q), RoleGrant{std::string(event_id), *role, section_of(q, 5)}});
    });
  });
  if (!s.is_ok()) return s;
  return out;
}

Result<Invitation> AccountsService::invite(std::string_view email_in, const RoleGrant& grant, std::int64_t invited_by,
                               const std::function<Status(Tx&, const Invitation&)>& also) {
  const Invitation invitation{normalise_email(email_in), grant, options_.now()};
  if (!valid_email(invitation.email)) {
    return Status::unprocessable("invalid_email", "Неверный адрес электронной почты");
  }
  if (grant.role == Role::participant) {
    return Status::unprocessable("invalid_role", "Роль участника появляется с регистрацией, её не назначают");
  }
  if (Status s = check_grant(grant); !s.is_ok()) return s;
  Status s = db_.transaction([&](Tx& tx) -> Status {
    auto q = tx.prepare("SELECT 1 FROM users WHERE email = ?1");
    q.bind_text(1, invitation.email);
    auto row = q.step();
    if (!row.ok()) return row.status();
    if (*row) {
      return Status::conflict("email_taken", "Человек с этим адресом уже зарегистрирован: назначьте роль ещё раз");
    }
    Status ins = tx.prepare(
                       "INSERT INTO role_invitations (email, event_id, role, section, invited_by, created_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING")
                     .bind_text(1, invitation.email)
                     .bind_text(2, grant.event_id)
                     .bind_text(3, to_string(grant.role))
                     .bind_int(4, grant.section ? std::optional<std::int64_t>(*grant.section) : std::nullopt)
                     .bind_int(5, invited_by > 0 ? std::optional<std::int64_t>(invited_by) : std::nullopt)
                     .bind_int(6, to_ms(invitation.created_at))
                     .run();
    if (!ins.is_ok()) return ins;
    // Invited again: the letter's idempotency key (the caller's) decides whether it goes again.
    return also ? also(tx, invitation) : Status::ok();
  });
  if (!s.is_ok()) return s;
  return invitation;
}

Status AccountsService::withdraw_invitation(std::string_view email, const RoleGrant& grant) {
  return db_.transaction([&](Tx& tx) -> Status {
    Status del = tx.prepare(
                       "DELETE FROM role_invitations WHERE email = ?1 AND event_id = ?2 AND role = ?3 AND section IS NOT DISTINCT FROM ?4")
                     .bind_text(1, normalise_email(email))
                     .bind_text(2, grant.event_id)
                     .bind_text(3, to_string(grant.role))
                     .bind_int(4, grant.section ? std::optional<std::int64_t>(*grant.section) : std::nullopt)
                     .run();
    if (!del.is_ok()) return del;
    if (tx.changes() == 0) return Status::not_found("invitation_not_found", "Такого приглашения нет");
    return Status::ok();
  });
}

Result<std::vector<Invitation>> AccountsService::list_invitations(std::string_view event_id) {
  std::vector<Invitation> out;
  Status s = db_.read([&](Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT email, role, section, created_at FROM role_invitations WHERE event_id = ?1 "
        "ORDER BY email, role, coalesce(section, 0)");
    q.bind_text(1, event_id);
    return store::each_row(q, [&] {
      if (auto role = parse_role(q.text(1)))
        out.push_back(Invitation{q.text(0), RoleGrant{std::string(event_id), *role, section_of(q, 2)}, from_ms(q.int64(3))});
    });
  });
  if (!s.is_ok()) return s;
  return out;
}

Result<User> AccountsService::find_user(std::int64_t id) {
  return select_user(db_, "id = ?1", [&](Stmt& q) { q.bind_int(1, id); });
}

Result<User> AccountsService::find_user_by_email(std::string_view email) {
  const std::string normalised = normalise_email(email);
  return select_user(db_, "email = ?1", [&](Stmt& q) { q.bind_text(1, normalised); });
}

}  // namespace praktika::accounts
