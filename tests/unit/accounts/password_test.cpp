#include "accounts/password.h"

#include <gtest/gtest.h>

namespace praktika::accounts {
namespace {

TEST(Password, HashIsArgon2idAndVerifiesOnlyTheSamePassword) {
  auto hash = hash_password("correct horse", PasswordCost::cheapest_for_tests());
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(verify_password(*hash, "correct horse"));
  EXPECT_FALSE(verify_password(*hash, "correct horsE"));
  EXPECT_FALSE(verify_password(*hash, ""));
}

TEST(Password, SamePasswordHashesDifferentlyEachTime) {
  auto a = hash_password("same password", PasswordCost::cheapest_for_tests());
  auto b = hash_password("same password", PasswordCost::cheapest_for_tests());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);  // salted
}

TEST(Password, MalformedHashNeverVerifies) {
  EXPECT_FALSE(verify_password("", "x"));
  EXPECT_FALSE(verify_password("$argon2id$garbage", "x"));
  EXPECT_FALSE(verify_password(std::string(1000, 'a'), "x"));
}

TEST(Password, NeedsRehashWhenCostDiffers) {
  auto hash = hash_password("password1", PasswordCost::cheapest_for_tests());
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(password_needs_rehash(*hash, PasswordCost::cheapest_for_tests()));
  EXPECT_TRUE(password_needs_rehash(*hash, PasswordCost::interactive()));
}

}  // namespace
}  // namespace praktika::accounts
