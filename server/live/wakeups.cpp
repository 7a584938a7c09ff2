#include "live/wakeups.h"

namespace praktika::live {

void Wakeups::set(const std::string& key, TimePoint at, Wake wake) {
  remove(key);
  by_key_.emplace(key, Entry{at, std::move(wake)});
  by_time_.emplace(at, key);
}

void Wakeups::remove(const std::string& key) {
  auto found = by_key_.find(key);
  if (found == by_key_.end()) return;
  by_time_.erase({found->second.at, key});
  by_key_.erase(found);
}

std::optional<TimePoint> Wakeups::next() const {
  if (by_time_.empty()) return std::nullopt;
  return by_time_.begin()->first;
}

std::vector<Wakeups::Wake> Wakeups::take_due(TimePoint now) {
  std::vector<Wake> due;
  while (!by_time_.empty() && by_time_.begin()->first <= now) {
    auto key = by_time_.begin()->second;
    by_time_.erase(by_time_.begin());
    auto found = by_key_.find(key);
    due.push_back(std::move(found->second.wake));
    by_key_.erase(found);
  }
  return due;
}

}  // namespace praktika::live
