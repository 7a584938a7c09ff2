// The wake-ups an Alarm holds, each named by a key and due at an instant of the event clock: a
// key set again replaces its earlier wake-up. Pure: no clock, no timer, no lock; the Alarm
// keeps one on its strand.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/time.h"

namespace praktika::live {

class Wakeups {
 public:
  using Wake = std::function<void()>;

  void set(const std::string& key, TimePoint at, Wake wake);
  void remove(const std::string& key);
  // The earliest instant a wake-up is due, if any.
  std::optional<TimePoint> next() const;
  // Removes and returns the wake-ups due at `now` or before, earliest first (ties by key).
  std::vector<Wake> take_due(TimePoint now);
  bool empty() const { return by_key_.empty(); }

 private:
  struct Entry {
    TimePoint at;
    Wake wake;
  };
  std::map<std::string, Entry> by_key_;
  std::set<std::pair<TimePoint, std::string>> by_time_;
};

}  // namespace praktika::live
