#include "timeline/clock.h"

#include <cassert>
#include <cmath>

namespace praktika::timeline {

bool Clock::valid_speed(double speed) { return std::isfinite(speed) && speed > 0 && speed <= kMaxSpeed; }

Clock Clock::real() { return Clock(false, TimePoint{}, 1.0); }

Clock Clock::simulated(TimePoint start, double speed) {
  assert(valid_speed(speed));
  if (!valid_speed(speed)) speed = 1.0;
  return Clock(true, start, speed);
}

Clock::Clock(bool simulated, TimePoint start, double speed)
    : simulated_(simulated), virtual_start_(start), real_start_(std::chrono::steady_clock::now()), speed_(speed) {}

TimePoint Clock::now() const {
  using namespace std::chrono;
  if (!simulated_) return time_point_cast<Millis>(system_clock::now());
  // The steady clock, not the system clock, drives virtual time: an NTP step on the host must
  // not make a demo jump backwards.
  duration<double, std::milli> real_elapsed = steady_clock::now() - real_start_;
  return virtual_start_ + Millis(static_cast<Millis::rep>(std::floor(real_elapsed.count() * speed_)));
}

std::chrono::steady_clock::duration Clock::real_time_until(TimePoint t) const {
  using namespace std::chrono;
  using Steady = steady_clock::duration;
  Millis ahead = t - now();
  if (ahead <= Millis::zero()) return Steady::zero();
  duration<double, std::nano> wait = duration<double, std::milli>(static_cast<double>(ahead.count()) / speed_);
  // Rounded up so a timer never fires just before the boundary it waits for.
  double ticks = std::ceil(duration_cast<duration<double, Steady::period>>(wait).count());
  constexpr double kLongest = static_cast<double>(Steady::max().count() / 2);
  return Steady(static_cast<Steady::rep>(std::min(ticks, kLongest)));
}

}  // namespace praktika::timeline
