#include "accounts/throttle.h"

#include <gtest/gtest.h>

namespace praktika::accounts {
namespace {

using namespace std::chrono_literals;
using std::chrono::steady_clock;

struct FakeClock {
  steady_clock::time_point now = steady_clock::time_point(1000h);
  LoginThrottle::SteadyNow fn() {
    return [this] { return now; };
  }
};

ThrottlePolicy policy() {
  ThrottlePolicy p;
  p.max_failures_per_pair = 5;
  p.max_failures_per_account = 12;
  p.max_failures_per_address = 40;
  p.first_delay = 30s;
  p.max_delay = 4min;
  p.forgive_after = 15min;
  return p;
}

const std::string kAddress = "10.0.0.1";

std::string user(int i) { return "user" + std::to_string(i) + "@b.ru"; }

TEST(LoginThrottle, LocksThePairAfterFiveFailuresAndDoublesUpToTheCap) {
  FakeClock clock;
  LoginThrottle t(policy(), clock.fn());
  for (int i = 0; i < 4; ++i) {
    t.record_failure("a@b.ru", kAddress);
    EXPECT_EQ(t.retry_after("a@b.ru", kAddress), 0s) << i;
  }
  t.record_failure("a@b.ru", kAddress);
  EXPECT_EQ(t.retry_after("a@b.ru", kAddress), 30s);
  clock.now += 10s;
  EXPECT_EQ(t.retry_after("a@b.ru", kAddress), 20s);
  clock.now += 20s;
  EXPECT_EQ(t.retry_after("a@b.ru", kAddress), 0s);

  // Each failure after a lock locks again, twice as long, capped at max_delay.
  for (auto expected : {60s, 120s, 240s, 240s}) {
    t.record_failure("a@b.ru", kAddress);
    EXPECT_EQ(t.retry_after("a@b.ru", kAddress), expected);
    clock.now += expected;
  }
}

TEST(LoginThrottle, ALockedPairLeavesOtherAccountsAtTheSameAddressFree) {
  FakeClock clock;
  LoginThrottle t(policy(), clock.fn());
  for (int i = 0; i < 5; ++i) t.record_failure("a@b.ru", kAddress);
  ASSERT_EQ(t.retry_after("a@b.ru", kAddress), 30s);
  EXPECT_EQ(t.retry_after("colleague@b.ru", kAddress), 0s);
}

TEST(LoginThrottle, ALockedPairLeavesTheSameAccountFreeFromAnotherAddress) {
  FakeClock clock;
  LoginThrottle t(policy(), clock.fn());
  for (int i = 0; i < 5; ++i) t.record_failure("a@b.ru", kAddress);
  ASSERT_EQ(t.retry_after("a@b.ru", kAddress), 30s);
  EXPECT_EQ(t.retry_after("a@b.ru", "10.0.0.2"), 0s);
}

TEST(LoginThrottle, ColleaguesTyposBelowTheAddressCeilingLockNobodyElse) {
  FakeClock clock;
  LoginThrottle t(policy(), clock.fn());
  // 39 failures from one address, four per person: under each pair's limit and the address's.
  for (int i = 0; i < 39; ++i) t.record_failure(user(i / 4), kAddress);
  EXPECT_EQ(t.retry_after("fresh@b.ru", kAddress), 0s);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(t.retry_after(user(i), kAddress), 0s) << i;
}

TEST(LoginThrottle, PastTheAddressCeilingEveryAccountWaitsAtThatAddressOnly) {
  FakeClock clock;
  LoginThrottle t(policy(), clock.fn());
  // Credential stuffing: one try per account, 40 accounts.
  for (int i = 0; i < 40; ++i) t.record_failure(user(i), kAddress);
  EXPECT_EQ(t.retry_after("fresh@b.ru", kAddress), 30s);
  EXPECT_EQ(t.retry_after("fresh@b.ru", "10.0.0.2"), 0s);
  clock.now += 30s;
  EXPECT_EQ(t.retry_after("fresh@b.ru", kAddress), 0s);
}

TEST(LoginThrottle, AnIpv6AddressCountsAsItsSlash64) {
  FakeClock clock;
  LoginThrottle t(policy(), clock.fn());
  for (int i = 0; i < 40; ++i) t.record_failure(user(i), "2001:db8:1:2::" + std::to_string(i + 1));
  EXPECT_EQ(t.retry_after("fresh@b.ru", "2001:db8:1:2:ffff::1"), 30s);
  EXPECT_EQ(t.retry_after("fresh@b.ru", "2001:db8:1:3::1"), 0s);
}

TEST(LoginThrottle, ASuccessDoesNotResetTheAddressCount) {
  FakeClock clock;
  LoginThrottle t(policy(), clock.fn());
  for (int i = 0; i < 39; ++i) t.record_failure(user(i), kAddress);
  t.record_success("own@b.ru", kAddress);
  t.record_failure(user(39), kAddress);
  EXPECT_EQ(t.retry_after("own@b.ru", kAddress), 30s);
}

TEST(LoginThrottle, ManyAddressesAtOneAccountLockTheAccountEverywhere) {
  FakeClock clock;
  LoginThrottle t(policy(), clock.fn());
  for (int i = 0; i < 11; ++i) t.record_failure("a@b.ru", "10.0.1." + std::to_string(i));
  EXPECT_EQ(t.retry_after("a@b.ru", "10.0.2.1"), 0s);
  t.record_failure("a@b.ru", "10.0.1.11");
  EXPECT_EQ(t.retry_after("a@b.ru", "10.0.2.1"), 30s);
  EXPECT_EQ(t.retry_after("b@b.ru", "10.0.1.11"), 0s);
}

TEST(LoginThrottle, SuccessStartsThePairAndTheAccountOver) {
  FakeClock clock;
  LoginThrottle t(policy(), clock.fn());
  for (int i = 0; i < 4; ++i) t.record_failure("a@b.ru", kAddress);
  t.record_success("a@b.ru", kAddress);
  for (int i = 0; i < 4; ++i) t.record_failure("a@b.ru", kAddress);
  EXPECT_EQ(t.retry_after("a@b.ru", kAddress), 0s);
}

TEST(LoginThrottle, WithoutAnAddressOnlyTheAccountCounts) {
  FakeClock clock;
  LoginThrottle t(policy(), clock.fn());
  for (int i = 0; i < 11; ++i) t.record_failure("a@b.ru", "");
  EXPECT_EQ(t.retry_after("a@b.ru", ""), 0s);
  t.record_failure("a@b.ru", "");
  EXPECT_EQ(t.retry_after("a@b.ru", ""), 30s);
}

TEST(LoginThrottle, QuietPeriodForgives) {
  FakeClock clock;
  LoginThrottle t(policy(), clock.fn());
  for (int i = 0; i < 4; ++i) t.record_failure("a@b.ru", kAddress);
  clock.now += 16min;
  for (int i = 0; i < 4; ++i) t.record_failure("a@b.ru", kAddress);
  EXPECT_EQ(t.retry_after("a@b.ru", kAddress), 0s);
  t.record_failure("a@b.ru", kAddress);
  EXPECT_EQ(t.retry_after("a@b.ru", kAddress), 30s);
}

TEST(LoginThrottle, RetryAfterRoundsUpToWholeSeconds) {
  FakeClock clock;
  LoginThrottle t(policy(), clock.fn());
  for (int i = 0; i < 5; ++i) t.record_failure("a@b.ru", kAddress);
  clock.now += 29500ms;
  EXPECT_EQ(t.retry_after("a@b.ru", kAddress), 1s);
}

}  // namespace
}  // namespace praktika::accounts
