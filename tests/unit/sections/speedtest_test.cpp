#include "sections/speedtest.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace praktika::sections {
namespace {

using namespace std::chrono_literals;

struct FakeClock {
  std::chrono::steady_clock::time_point now{};
  SpeedtestThrottle::SteadyNow fn() {
    return [this] { return now; };
  }
};

SpeedtestLimits small() {
  SpeedtestLimits limits;
  limits.requests_per_minute = 3;
  limits.bytes_per_minute = 1000;
  return limits;
}

TEST(SpeedtestThrottle, AnAddressPastItsRequestsWaitsForTheRestOfTheMinute) {
  FakeClock clock;
  SpeedtestThrottle throttle(small(), clock.fn());
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(throttle.admit("10.0.0.1", 1)) << i;
  clock.now += 20s;
  auto refused = throttle.admit("10.0.0.1", 1);
  EXPECT_EQ(refused.http_status(), 429);
  EXPECT_EQ(refused.code(), "speedtest_too_often");
  ASSERT_NE(refused.details(), nullptr);
  EXPECT_EQ(refused.details()->at("retry_after"), 40);
  EXPECT_NE(refused.message().find("через 40 с"), std::string::npos) << refused.message();
  EXPECT_TRUE(throttle.admit("10.0.0.2", 1)) << "another address has its own budget";
  clock.now += 40s;
  EXPECT_TRUE(throttle.admit("10.0.0.1", 1)) << "a new minute starts over";
}

TEST(SpeedtestThrottle, BytesCountAsWellAsRequestsAndARefusalCostsNothing) {
  FakeClock clock;
  SpeedtestThrottle throttle(small(), clock.fn());
  EXPECT_TRUE(throttle.admit("10.0.0.1", 900));
  EXPECT_FALSE(throttle.admit("10.0.0.1", 101));
  EXPECT_TRUE(throttle.admit("10.0.0.1", 100));
  EXPECT_FALSE(throttle.admit("10.0.0.1", 1)) << "1000 bytes moved";
}

}  // namespace
}  // namespace praktika::sections
