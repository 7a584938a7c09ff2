// AccountsService tells its on_identity_changed listener whose sessions or roles changed, after
// the change is committed, so open WebSockets holding the old identity can be closed.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <vector>

#include "accounts/accounts.h"
#include "store/db.h"
#include "support/test_store.h"

namespace praktika::accounts {
namespace {

namespace fs = std::filesystem;

class IdentityChanges : public ::testing::Test {
 protected:
  IdentityChanges() {
    std::string pattern = (fs::temp_directory_path() / "praktika-identity-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
    auto db = test::open_test_store(dir_ / "praktika.db");
    EXPECT_TRUE(db.ok());
    db_ = std::move(db).value();
    AccountsService::Options o;
    o.password_cost = PasswordCost::cheapest_for_tests();
    o.on_identity_changed = [this](std::int64_t user) { changed_.push_back(user); };
    service_ = std::make_unique<AccountsService>(*db_, o);
  }
  ~IdentityChanges() override {
    service_.reset();
    db_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  fs::path dir_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<AccountsService> service_;
  std::vector<std::int64_t> changed_;
};

TEST_F(IdentityChanges, LogoutGrantAndRevokeReportTheUserAndFailuresReportNothing) {
  auto user = service_->register_user("anna@dom.ru", "password123", "Анна");
  ASSERT_TRUE(user.ok());
  auto session = service_->login("anna@dom.ru", "password123", "10.0.0.1");
  ASSERT_TRUE(session.ok());
  EXPECT_TRUE(changed_.empty());

  ASSERT_TRUE(service_->grant_role(user->id, "irkutsk-2020", Role::moderator, 1).is_ok());
  ASSERT_TRUE(service_->revoke_role(user->id, "irkutsk-2020", Role::moderator, 1).is_ok());
  EXPECT_FALSE(service_->revoke_role(user->id, "irkutsk-2020", Role::moderator, 1).is_ok());
  ASSERT_TRUE(service_->logout(session->token).is_ok());
  ASSERT_TRUE(service_->logout(session->token).is_ok());  // already ended: nobody to tell
  EXPECT_EQ(changed_, (std::vector<std::int64_t>{user->id, user->id, user->id}));
}

TEST_F(IdentityChanges, RecheckSeesTheRolesOfNowAndAnEndedSession) {
  auto user = service_->register_user("anna@dom.ru", "password123", "Анна");
  ASSERT_TRUE(user.ok());
  auto session = service_->login("anna@dom.ru", "password123", "10.0.0.1");
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(service_->grant_role(user->id, "irkutsk-2020", Role::expert).is_ok());
  auto now = service_->recheck(session->token);
  ASSERT_TRUE(now.ok());
  EXPECT_TRUE(has_role(*now, "irkutsk-2020", Role::expert));
  ASSERT_TRUE(service_->logout(session->token).is_ok());
  EXPECT_EQ(service_->recheck(session->token).status().code(), "not_authenticated");
}

}  // namespace
}  // namespace praktika::accounts
