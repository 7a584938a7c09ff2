#include "accounts/accounts.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "store/db.h"
#include "support/test_store.h"
#include "support/temp_dir.h"

namespace praktika::accounts {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using test::TempDir;

class Accounts : public ::testing::Test {
 protected:
  Accounts() { reopen(); }

  AccountsService::Options options() {
    AccountsService::Options o;
    o.session_lifetime = 24h;
    o.password_cost = PasswordCost::cheapest_for_tests();
    o.now = [this] { return wall_; };
    o.steady_now = [this] { return steady_; };
    return o;
  }

  void reopen() {
    service_.reset();
    db_.reset();
    auto db = test::open_test_store(dir_.path() / "praktika.db");
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
    service_ = std::make_unique<AccountsService>(*db_, options());
  }

  User register_ok(std::string_view email, std::string_view password = "password123",
                   std::string_view name = "Иванова Мария Петровна") {
    auto u = service_->register_user(email, password, name);
    EXPECT_TRUE(u.ok()) << u.status().code();
    return u.ok() ? *u : User{};
  }

  Session login_ok(std::string_view email, std::string_view password = "password123") {
    auto s = service_->login(email, password, "10.0.0.1");
    EXPECT_TRUE(s.ok()) << s.status().code();
    return s.ok() ? *s : Session{};
  }

  std::string text_column(const std::string& sql) {
    std::string out;
    EXPECT_TRUE(db_->read([&](store::Tx& tx) -> Status {
                    auto q = tx.prepare(sql);
                    auto row = q.step();
                    if (!row.ok()) return row.status();
                    if (*row) out = q.text(0);
                    return Status::ok();
                  }).is_ok());
    return out;
  }

  TempDir dir_;
  TimePoint wall_ = *parse_instant("2020-06-20T10:00:00+08:00");
  std::chrono::steady_clock::time_point steady_ = std::chrono::steady_clock::time_point(1000h);
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<AccountsService> service_;
};

TEST_F(Accounts, AnInvitationBecomesTheRoleWhenThatAddressRegisters) {
  const RoleGrant grant{"irkutsk-2020", Role::expert, 2};
  int letters = 0;
  auto invited = service_->invite(" New@Dom.RU ", grant, 0, [&](store::Tx&, const Invitation& i) {
    EXPECT_EQ(i.email, "new@dom.ru");
    ++letters;
    return Status::ok();
  });
  ASSERT_TRUE(invited.ok()) << invited.status().code();
  EXPECT_EQ(letters, 1);
  ASSERT_EQ(service_->list_invitations("irkutsk-2020")->size(), 1u);

  auto user = register_ok("new@dom.ru");
  auto roles = service_->roles_of(user.id);
  ASSERT_TRUE(roles.ok());
  EXPECT_EQ(*roles, std::vector<RoleGrant>{grant});
  EXPECT_TRUE(service_->list_invitations("irkutsk-2020")->empty());
}

TEST_F(Accounts, AnInvitationIsNotStoredWhenItsLetterCannotBeQueued) {
  auto invited = service_->invite("new@dom.ru", {"irkutsk-2020", Role::organiser, {}}, 0, [](store::Tx&, const Invitation&) {
    return Status::unprocessable("invitation_template_missing", "Нет текста письма.");
  });
  EXPECT_EQ(invited.status().code(), "invitation_template_missing");
  EXPECT_TRUE(service_->list_invitations("irkutsk-2020")->empty());
}

TEST_F(Accounts, AnAddressWithAnAccountIsNotInvited) {
  register_ok("known@dom.ru");
  auto invited = service_->invite("known@dom.ru", {"irkutsk-2020", Role::expert, {}}, 0, {});
  EXPECT_EQ(invited.status().code(), "email_taken");
}

TEST_F(Accounts, RegisterLoginAuthenticateLogoutRoundTrip) {
  const User user = register_ok("maria@example.org");
  EXPECT_GT(user.id, 0);
  EXPECT_EQ(user.created_at, wall_);

  const Session session = login_ok("maria@example.org");
  EXPECT_EQ(session.token.size(), 64u);
  EXPECT_EQ(session.token.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(session.user.id, user.id);
  EXPECT_EQ(session.expires_at, wall_ + 24h);

  auto identity = service_->authenticate(session.token);
  ASSERT_TRUE(identity.ok()) << identity.status().code();
  EXPECT_EQ(identity->user.id, user.id);
  EXPECT_EQ(identity->user.email, "maria@example.org");
  EXPECT_EQ(identity->user.full_name, "Иванова Мария Петровна");
  EXPECT_TRUE(identity->roles.empty());

  EXPECT_TRUE(service_->logout(session.token).is_ok());
  auto after = service_->authenticate(session.token);
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.status().code(), "not_authenticated");
  EXPECT_EQ(after.status().http_status(), 401);
  EXPECT_TRUE(service_->logout(session.token).is_ok());  // twice is fine
}

TEST_F(Accounts, LogoutEndsOnlyThatSession) {
  register_ok("maria@example.org");
  const Session a = login_ok("maria@example.org");
  const Session b = login_ok("maria@example.org");
  EXPECT_NE(a.token, b.token);
  ASSERT_TRUE(service_->logout(a.token).is_ok());
  EXPECT_FALSE(service_->authenticate(a.token).ok());
  EXPECT_TRUE(service_->authenticate(b.token).ok());
}

TEST_F(Accounts, DataAndSessionsSurviveReopen) {
  const User user = register_ok("maria@example.org");
  ASSERT_TRUE(service_->grant_role(user.id, "irkutsk-2020", Role::participant).is_ok());
  const Session session = login_ok("maria@example.org");
  reopen();
  auto identity = service_->authenticate(session.token);
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(identity->user.id, user.id);
  ASSERT_EQ(identity->roles.size(), 1u);
  EXPECT_TRUE(login_ok("maria@example.org").token.size() == 64);
}

TEST_F(Accounts, EmailIsTrimmedAndCaseInsensitive) {
  const User user = register_ok("  Maria.Ivanova@Example.ORG \n", "password123", "  Мария  ");
  EXPECT_EQ(user.email, "maria.ivanova@example.org");
  EXPECT_EQ(user.full_name, "Мария");
  EXPECT_TRUE(service_->login("MARIA.IVANOVA@example.org", "password123", "k").ok());
  auto found = service_->find_user_by_email("maria.IVANOVA@EXAMPLE.org");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, user.id);

  auto dup = service_->register_user("MARIA.ivanova@example.org", "otherpassword", "Другая");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), "email_taken");
  EXPECT_EQ(dup.status().http_status(), 409);
}

TEST_F(Accounts, RegisterRejectsMalformedInput) {
  for (const char* email : {"", "plain", "@example.org", "a@", "a@b", "a@@b.ru", "a b@c.ru", "a@b..ru", ".a@b.ru",
                            "a@.b.ru", "a@b.ru.", "<a@b.ru>"}) {
    auto r = service_->register_user(email, "password123", "Имя");
    ASSERT_FALSE(r.ok()) << email;
    EXPECT_EQ(r.status().code(), "invalid_email") << email;
    EXPECT_EQ(r.status().http_status(), 422);
  }
  EXPECT_TRUE(service_->register_user("почта@пример.рф", "password123", "Имя").ok());

  EXPECT_EQ(service_->register_user("a@b.ru", "1234567", "Имя").status().code(), "weak_password");
  // Twelve bytes but six characters: the minimum counts characters.
  EXPECT_EQ(service_->register_user("a@b.ru", "пароль", "Имя").status().code(), "weak_password");
  EXPECT_EQ(service_->register_user("a@b.ru", std::string(257, 'x'), "Имя").status().code(), "password_too_long");

  for (std::string name : {std::string(""), std::string("   "), std::string("\x01\xE2\x80\xAE\r\n"),
                           std::string(201, 'a'), std::string("\xff\xfe")}) {
    EXPECT_EQ(service_->register_user("a@b.ru", "password123", name).status().code(), "invalid_name") << name;
  }
  std::string cyrillic_200;
  for (int i = 0; i < 200; ++i) cyrillic_200 += "Я";
  EXPECT_TRUE(service_->register_user("long@b.ru", std::string(256, 'x'), cyrillic_200).ok());
  EXPECT_TRUE(service_->register_user("a@b.ru", "восемь!!", "Имя").ok());
}

TEST_F(Accounts, NameAndEmailAreStoredWithoutControlAndBidiCharacters) {
  auto r = service_->register_user(" Maria@Example.org\xE2\x80\x8F", "password123",
                                   "\xE2\x80\xAEМария" + std::string(1, '\0') + "\tИванова\x1b");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->email, "maria@example.org");
  EXPECT_EQ(r->full_name, "Мария Иванова");
  EXPECT_EQ(text_column("SELECT full_name FROM users"), "Мария Иванова");
  EXPECT_TRUE(service_->login("maria@example.org", "password123", "10.0.0.1").ok());
}

TEST_F(Accounts, StoresOnlyHashesOfPasswordAndToken) {
  register_ok("maria@example.org", "secret-password");
  const Session s = login_ok("maria@example.org", "secret-password");
  const std::string hash = text_column("SELECT password_hash FROM users");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(hash.find("secret-password"), std::string::npos);
  // upper(hex(…)) in SQLite, upper(encode(…, 'hex')) in PostgreSQL: the same text either way.
  const std::string stored = text_column(db_->dialect() == store::Dialect::sqlite
                                             ? "SELECT hex(token_hash) FROM sessions"
                                             : "SELECT upper(encode(token_hash, 'hex')) FROM sessions");
  ASSERT_EQ(stored.size(), 64u);
  std::string upper = s.token;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_NE(stored, upper);
}

TEST_F(Accounts, WrongPasswordAndUnknownEmailGiveTheSameAnswer) {
  register_ok("maria@example.org");
  auto wrong = service_->login("maria@example.org", "wrong-password", "k1");
  auto unknown = service_->login("nobody@example.org", "password123", "k2");
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.status().code(), "invalid_credentials");
  EXPECT_EQ(wrong.status().http_status(), 401);
  EXPECT_EQ(wrong.status().code(), unknown.status().code());
  EXPECT_EQ(wrong.status().message(), unknown.status().message());
  EXPECT_EQ(service_->login("not an email", "password123", "k3").status().code(), "invalid_credentials");
}

TEST_F(Accounts, FiveFailuresThrottleAndASuccessResets) {
  register_ok("maria@example.org");
  for (int i = 0; i < 5; ++i) {
    auto r = service_->login("maria@example.org", "wrong-password", "10.0.0.1");
    EXPECT_EQ(r.status().code(), "invalid_credentials") << i;
  }
  // Locked at that address: even the right password is not checked.
  std::chrono::seconds retry{0};
  auto locked = service_->login("Maria@example.org", "password123", "10.0.0.1", &retry);
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.status().code(), "too_many_attempts");
  EXPECT_EQ(locked.status().http_status(), 429);
  EXPECT_EQ(retry, 30s);

  steady_ += 30s;
  ASSERT_TRUE(service_->login("maria@example.org", "password123", "10.0.0.1").ok());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(service_->login("maria@example.org", "wrong", "10.0.0.1").status().code(), "invalid_credentials") << i;
  }
  EXPECT_EQ(service_->login("maria@example.org", "password123", "10.0.0.1").status().code(), "too_many_attempts");
  // Another account from elsewhere is unaffected.
  register_ok("olga@example.org");
  EXPECT_TRUE(service_->login("olga@example.org", "password123", "10.0.0.9").ok());
}

TEST_F(Accounts, UnknownEmailIsThrottledLikeAKnownOne) {
  for (int i = 0; i < 5; ++i) service_->login("nobody@example.org", "password123", "10.0.0.1");
  EXPECT_EQ(service_->login("nobody@example.org", "password123", "10.0.0.1").status().code(), "too_many_attempts");
}

TEST_F(Accounts, ExpiredSessionIsRefused) {
  register_ok("maria@example.org");
  const Session s = login_ok("maria@example.org");
  wall_ += 24h - 1s;
  EXPECT_TRUE(service_->authenticate(s.token).ok());
  wall_ += 1s;
  auto r = service_->authenticate(s.token);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "not_authenticated");
}

TEST_F(Accounts, LoginRemovesTheUsersExpiredSessions) {
  register_ok("maria@example.org");
  login_ok("maria@example.org");
  wall_ += 25h;
  login_ok("maria@example.org");
  EXPECT_EQ(text_column("SELECT count(*) FROM sessions"), "1");
}

TEST_F(Accounts, MalformedTokensAreNotAuthenticated) {
  for (std::string token : {std::string(""), std::string("abc"), std::string(64, 'g'), std::string(63, 'a'),
                            std::string(65, 'a'), std::string(64, 'a')}) {
    auto r = service_->authenticate(token);
    ASSERT_FALSE(r.ok()) << token;
    EXPECT_EQ(r.status().code(), "not_authenticated");
  }
}

TEST_F(Accounts, AuthenticateRecordsLastSeenAtMostOnceAMinute) {
  register_ok("maria@example.org");
  const Session s = login_ok("maria@example.org");
  const auto login_ms = std::to_string(wall_.time_since_epoch().count());
  wall_ += 59s;
  ASSERT_TRUE(service_->authenticate(s.token).ok());
  EXPECT_EQ(text_column("SELECT last_seen_at FROM sessions"), login_ms);
  wall_ += 1s;
  ASSERT_TRUE(service_->authenticate(s.token).ok());
  EXPECT_EQ(text_column("SELECT last_seen_at FROM sessions"), std::to_string(wall_.time_since_epoch().count()));
}

TEST_F(Accounts, RolesAreGrantedListedAndRevoked) {
  const User org = register_ok("org@example.org");
  const User exp = register_ok("expert@example.org");
  ASSERT_TRUE(service_->grant_role(org.id, "irkutsk-2020", Role::organiser).is_ok());
  ASSERT_TRUE(service_->grant_role(exp.id, "irkutsk-2020", Role::expert, 2).is_ok());
  ASSERT_TRUE(service_->grant_role(exp.id, "irkutsk-2020", Role::expert, 2).is_ok());  // idempotent
  ASSERT_TRUE(service_->grant_role(exp.id, "irkutsk-2020", Role::expert, 3).is_ok());
  ASSERT_TRUE(service_->grant_role(exp.id, "contest-2025", Role::participant).is_ok());

  auto roles = service_->roles_of(exp.id);
  ASSERT_TRUE(roles.ok());
  const std::vector<RoleGrant> expected = {{"contest-2025", Role::participant, std::nullopt},
                                           {"irkutsk-2020", Role::expert, 2},
                                           {"irkutsk-2020", Role::expert, 3}};
  EXPECT_EQ(*roles, expected);

  auto listed = service_->list_roles("irkutsk-2020");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].user.email, "org@example.org");
  EXPECT_EQ((*listed)[0].grant.role, Role::organiser);
  EXPECT_EQ((*listed)[1].grant.section, 2);
  EXPECT_EQ((*listed)[2].grant.section, 3);

  ASSERT_TRUE(service_->revoke_role(exp.id, "irkutsk-2020", Role::expert, 2).is_ok());
  auto again = service_->revoke_role(exp.id, "irkutsk-2020", Role::expert, 2);
  EXPECT_EQ(again.code(), "role_not_found");
  EXPECT_EQ(again.http_status(), 404);
  // Without a section it names the whole-event grant, which was never given.
  EXPECT_EQ(service_->revoke_role(exp.id, "irkutsk-2020", Role::expert).code(), "role_not_found");
  EXPECT_EQ(service_->list_roles("irkutsk-2020")->size(), 2u);
  EXPECT_TRUE(service_->list_roles("other")->empty());
}

TEST_F(Accounts, GrantRoleRefusesBadInput) {
  const User u = register_ok("u@example.org");
  EXPECT_EQ(service_->grant_role(u.id + 100, "irkutsk-2020", Role::organiser).code(), "user_not_found");
  EXPECT_EQ(service_->grant_role(u.id, "irkutsk-2020", Role::organiser, 1).code(), "invalid_section");
  EXPECT_EQ(service_->grant_role(u.id, "irkutsk-2020", Role::expert, 0).code(), "invalid_section");
  EXPECT_EQ(service_->grant_role(u.id, "Irkutsk 2020", Role::expert).code(), "invalid_event");
  EXPECT_EQ(service_->grant_role(u.id, "", Role::expert).code(), "invalid_event");
  EXPECT_TRUE(service_->roles_of(u.id)->empty());
}

TEST_F(Accounts, IdentityCarriesRolesAndHasRoleIsExplicit) {
  const User u = register_ok("u@example.org");
  ASSERT_TRUE(service_->grant_role(u.id, "irkutsk-2020", Role::organiser).is_ok());
  ASSERT_TRUE(service_->grant_role(u.id, "irkutsk-2020", Role::expert, 2).is_ok());
  ASSERT_TRUE(service_->grant_role(u.id, "irkutsk-2020", Role::moderator).is_ok());
  auto id = service_->authenticate(login_ok("u@example.org").token);
  ASSERT_TRUE(id.ok());
  ASSERT_EQ(id->roles.size(), 3u);

  EXPECT_TRUE(is_organiser(*id, "irkutsk-2020"));
  EXPECT_FALSE(is_organiser(*id, "contest-2025"));
  EXPECT_FALSE(has_role(*id, "irkutsk-2020", Role::participant));  // organiser is not everything
  EXPECT_TRUE(has_role(*id, "irkutsk-2020", Role::expert));
  EXPECT_TRUE(has_role(*id, "irkutsk-2020", Role::expert, 2));
  EXPECT_FALSE(has_role(*id, "irkutsk-2020", Role::expert, 3));
  EXPECT_TRUE(has_role(*id, "irkutsk-2020", Role::moderator, 4));  // a whole-event moderator
}

TEST_F(Accounts, CreateUserWithGrantsIsAllOrNothing) {
  auto bad = service_->create_user("boss@example.org", "password123", "Начальник",
                                   {{"irkutsk-2020", Role::organiser, std::nullopt}, {"bad id", Role::expert, 1}});
  EXPECT_EQ(bad.status().code(), "invalid_event");
  EXPECT_EQ(service_->find_user_by_email("boss@example.org").status().code(), "user_not_found");

  auto ok = service_->create_user("boss@example.org", "password123", "Начальник",
                                  {{"irkutsk-2020", Role::organiser, std::nullopt}});
  ASSERT_TRUE(ok.ok());
  auto roles = service_->roles_of(ok->id);
  ASSERT_TRUE(roles.ok());
  ASSERT_EQ(roles->size(), 1u);
  EXPECT_EQ((*roles)[0].role, Role::organiser);
}

TEST_F(Accounts, FindUser) {
  const User u = register_ok("u@example.org");
  auto found = service_->find_user(u.id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->email, "u@example.org");
  EXPECT_EQ(found->created_at, u.created_at);
  auto missing = service_->find_user(u.id + 1);
  EXPECT_EQ(missing.status().code(), "user_not_found");
  EXPECT_EQ(missing.status().http_status(), 404);
}

TEST_F(Accounts, LoginUpgradesAHashMadeAtAnOlderCost) {
  register_ok("u@example.org");
  const std::string before = text_column("SELECT password_hash FROM users");
  auto o = options();
  o.password_cost = {o.password_cost.opslimit + 1, o.password_cost.memlimit};
  AccountsService stronger(*db_, o);
  ASSERT_TRUE(stronger.login("u@example.org", "password123", "k").ok());
  const std::string after = text_column("SELECT password_hash FROM users");
  EXPECT_NE(before, after);
  EXPECT_FALSE(password_needs_rehash(after, o.password_cost));
  EXPECT_TRUE(stronger.login("u@example.org", "password123", "k").ok());
}

TEST_F(Accounts, JsonShapesCarryNoSecrets) {
  const User u = register_ok("u@example.org");
  ASSERT_TRUE(service_->grant_role(u.id, "irkutsk-2020", Role::expert, 2).is_ok());
  ASSERT_TRUE(service_->grant_role(u.id, "irkutsk-2020", Role::participant).is_ok());
  auto id = service_->authenticate(login_ok("u@example.org").token);
  ASSERT_TRUE(id.ok());
  const auto expected = nlohmann::json::parse(R"({
    "user": {"id": )" + std::to_string(u.id) + R"(, "email": "u@example.org", "full_name": "Иванова Мария Петровна"},
    "roles": [{"event": "irkutsk-2020", "role": "expert", "section": 2},
              {"event": "irkutsk-2020", "role": "participant"}]})");
  EXPECT_EQ(to_json(*id), expected);
  auto listed = service_->list_roles("irkutsk-2020");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(to_json((*listed)[0]),
            nlohmann::json::parse(R"({"event": "irkutsk-2020", "role": "expert", "section": 2, "user": )" +
                                  to_json(u).dump() + "}"));
}

TEST(Role, ParseAndFormatRoundTrip) {
  for (Role r : {Role::organiser, Role::expert, Role::moderator, Role::participant}) {
    EXPECT_EQ(parse_role(to_string(r)), r);
  }
  EXPECT_EQ(parse_role("Organiser"), std::nullopt);
  EXPECT_EQ(parse_role("admin"), std::nullopt);
}

TEST_F(Accounts, BackupHoldsUsersWhoCanLogIn) {
  PRAKTIKA_SKIP_ON_POSTGRESQL("Db::backup_to copies the SQLite file; PostgreSQL is backed up with pg_dump");
  register_ok("u@example.org");
  const auto copy = dir_.path() / "backup" / "copy.db";
  ASSERT_TRUE(db_->backup_to(copy).is_ok());
  auto restored = store::Db::open(copy);
  ASSERT_TRUE(restored.ok());
  AccountsService service(**restored, options());
  EXPECT_TRUE(service.login("u@example.org", "password123", "k").ok());
}

TEST_F(Accounts, UsersByIdAnswerEveryKnownUserAcrossBatches) {
  std::set<std::int64_t> ids;
  for (int i = 0; i < 205; ++i)
    ids.insert(register_ok("person" + std::to_string(i) + "@example.org", "password123",
                           "Участник " + std::to_string(i))
                   .id);
  const std::int64_t first = *ids.begin(), last = *ids.rbegin();
  ids.insert(last + 1000);  // nobody
  std::map<std::int64_t, User> users;
  ASSERT_TRUE(db_->read([&](store::Tx& tx) -> Status {
                   auto found = users_by_id(tx, ids);
                   if (!found) return found.status();
                   users = std::move(*found);
                   return Status::ok();
                 }).is_ok());
  EXPECT_EQ(users.size(), 205u);
  EXPECT_EQ(users[first].full_name, "Участник 0");
  EXPECT_EQ(users[first].email, "person0@example.org");
  EXPECT_EQ(users[last].full_name, "Участник 204");
  EXPECT_FALSE(users.count(last + 1000));
}

}  // namespace
}  // namespace praktika::accounts
