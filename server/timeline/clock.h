// The one source of "now" for the whole server: real time, or virtual time that starts at a
// chosen instant and runs `speed` times faster than real time (demos, tests, --clock/--clock-speed).
// A Clock is immutable after construction, so any thread may call it at any time.
#pragma once

#include <chrono>

#include "common/time.h"

namespace praktika::timeline {

class Clock {
 public:
  // Speeds outside (0, kMaxSpeed] are refused by the configuration before a Clock is built.
  static constexpr double kMaxSpeed = 1e6;
  static bool valid_speed(double speed);

  static Clock real();
  // Virtual time equals `start` at the moment of this call and then advances speed× real time.
  // Precondition: valid_speed(speed).
  static Clock simulated(TimePoint start, double speed);

  TimePoint now() const;
  double speed() const { return speed_; }
  bool is_simulated() const { return simulated_; }

  // How long a steady timer must wait until now() reaches t; zero if t is not in the future.
  std::chrono::steady_clock::duration real_time_until(TimePoint t) const;

 private:
  Clock(bool simulated, TimePoint start, double speed);

  // Constant after construction.
  bool simulated_;
  TimePoint virtual_start_;
  std::chrono::steady_clock::time_point real_start_;
  double speed_;
};

}  // namespace praktika::timeline
