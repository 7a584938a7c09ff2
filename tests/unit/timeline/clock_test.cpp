#include "timeline/clock.h"

#include <thread>

#include <gtest/gtest.h>

namespace praktika::timeline {
namespace {

using namespace std::chrono_literals;

TimePoint at(std::string_view s) { return *parse_instant(s); }

TEST(Clock, RealClockFollowsTheSystemClock) {
  Clock c = Clock::real();
  EXPECT_FALSE(c.is_simulated());
  EXPECT_EQ(c.speed(), 1.0);
  auto system = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
  EXPECT_LT(std::chrono::abs(c.now() - system), 1000ms);
}

TEST(Clock, SimulatedClockStartsAtTheChosenInstant) {
  Clock c = Clock::simulated(at("2020-06-28T23:59+08:00"), 1.0);
  EXPECT_TRUE(c.is_simulated());
  auto elapsed = c.now() - at("2020-06-28T23:59+08:00");
  EXPECT_GE(elapsed, 0ms);
  EXPECT_LT(elapsed, 1000ms);
}

TEST(Clock, SimulatedClockAtSpeed60AdvancesAboutAMinutePerSecond) {
  Clock c = Clock::simulated(at("2020-07-06T10:00+08:00"), 60.0);
  auto real_start = std::chrono::steady_clock::now();
  auto virtual_start = c.now();
  std::this_thread::sleep_for(200ms);
  auto real = std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - real_start);
  auto virt = c.now() - virtual_start;
  // 200 ms real is 12 s virtual; the bounds allow for a slow, shared machine.
  EXPECT_GE(virt, Millis(real.count() * 60 - 200));
  EXPECT_LE(virt, Millis(real.count() * 60 + 200));
  EXPECT_GE(virt, 11s);
}

TEST(Clock, RealTimeUntilDividesByTheSpeed) {
  Clock c = Clock::simulated(at("2020-07-08T09:00+08:00"), 60.0);
  auto wait = c.real_time_until(at("2020-07-08T10:00+08:00"));  // one virtual hour
  EXPECT_GT(wait, 59s);
  EXPECT_LE(wait, 60s);
}

TEST(Clock, RealTimeUntilThePastIsZero) {
  Clock sim = Clock::simulated(at("2020-07-08T09:00+08:00"), 10.0);
  EXPECT_EQ(sim.real_time_until(at("2020-07-01T00:00+08:00")), std::chrono::steady_clock::duration::zero());
  Clock real = Clock::real();
  EXPECT_EQ(real.real_time_until(at("2020-07-01T00:00+08:00")), std::chrono::steady_clock::duration::zero());
}

TEST(Clock, RealTimeUntilOnTheRealClockIsTheRemainingTime) {
  Clock c = Clock::real();
  auto wait = c.real_time_until(c.now() + 5s);
  EXPECT_GT(wait, 4s);
  EXPECT_LE(wait, 5s);
}

TEST(Clock, SpeedMustBePositiveFiniteAndBounded) {
  EXPECT_TRUE(Clock::valid_speed(1));
  EXPECT_TRUE(Clock::valid_speed(0.5));
  EXPECT_TRUE(Clock::valid_speed(Clock::kMaxSpeed));
  EXPECT_FALSE(Clock::valid_speed(0));
  EXPECT_FALSE(Clock::valid_speed(-1));
  EXPECT_FALSE(Clock::valid_speed(Clock::kMaxSpeed * 2));
  EXPECT_FALSE(Clock::valid_speed(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_FALSE(Clock::valid_speed(std::numeric_limits<double>::infinity()));
}

}  // namespace
}  // namespace praktika::timeline
