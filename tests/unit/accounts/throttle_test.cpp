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
  p.max_failures_per_email = 5;
  p.max_failures_per_client = 8;
  p.first_delay = 30s;
  p.max_delay = 4min;
  p.forgive_after = 15min;
  return p;
}

TEST(LoginThrottle, LocksAfterFiveFailuresAndDoublesUpToTheCap) {
  FakeClock clock;
  LoginThrottle t(policy(), clock.fn());
  for (int i = 0; i < 4; ++i) {
    t.record_failure("a@b.ru", "");
    EXPECT_EQ(t.retry_after("a@b.ru", ""), 0s) << i;
  }
  t.record_failure("a@b.ru", "");
  EXPECT_EQ(t.retry_after("a@b.ru", ""), 30s);
  clock.now += 10s;
  EXPECT_EQ(t.retry_after("a@b.ru", ""), 20s);
  clock.now += 20s;
  EXPECT_EQ(t.retry_after("a@b.ru", ""), 0s);

  // Each failure after a lock locks again, twice as long, capped at max_delay.
  for (auto expected : {60s, 120s, 240s, 240s}) {
    t.record_failure("a@b.ru", "");
    EXPECT_EQ(t.retry_after("a@b.ru", ""), expected);
    clock.now += expected;
  }
}

TEST(LoginThrottle, SuccessStartsOver) {
  FakeClock clock;
  LoginThrottle t(policy(), clock.fn());
  for (int i = 0; i < 4; ++i) t.record_failure("a@b.ru", "10.0.0.1");
  t.record_success("a@b.ru", "10.0.0.1");
  for (int i = 0; i < 4; ++i) t.record_failure("a@b.ru", "10.0.0.1");
  EXPECT_EQ(t.retry_after("a@b.ru", "10.0.0.1"), 0s);
}

TEST(LoginThrottle, ClientKeyCountsAcrossEmailsWithItsOwnLimit) {
  FakeClock clock;
  LoginThrottle t(policy(), clock.fn());
  for (int i = 0; i < 7; ++i) t.record_failure("user" + std::to_string(i) + "@b.ru", "10.0.0.1");
  EXPECT_EQ(t.retry_after("fresh@b.ru", "10.0.0.1"), 0s);
  t.record_failure("user7@b.ru", "10.0.0.1");
  EXPECT_EQ(t.retry_after("fresh@b.ru", "10.0.0.1"), 30s);
  EXPECT_EQ(t.retry_after("fresh@b.ru", "10.0.0.2"), 0s);
}

TEST(LoginThrottle, QuietPeriodForgives) {
  FakeClock clock;
  LoginThrottle t(policy(), clock.fn());
  for (int i = 0; i < 4; ++i) t.record_failure("a@b.ru", "");
  clock.now += 16min;
  for (int i = 0; i < 4; ++i) t.record_failure("a@b.ru", "");
  EXPECT_EQ(t.retry_after("a@b.ru", ""), 0s);
  t.record_failure("a@b.ru", "");
  EXPECT_EQ(t.retry_after("a@b.ru", ""), 30s);
}

TEST(LoginThrottle, RetryAfterRoundsUpToWholeSeconds) {
  FakeClock clock;
  LoginThrottle t(policy(), clock.fn());
  for (int i = 0; i < 5; ++i) t.record_failure("a@b.ru", "");
  clock.now += 29500ms;
  EXPECT_EQ(t.retry_after("a@b.ru", ""), 1s);
}

}  // namespace
}  // namespace praktika::accounts
