// Internal to presence: whether a changed count is worth a broadcast now. A count is pushed to
// every subscriber of its topic, so on a topic of 10,000 a once-a-second push is 10,000
// deliveries a second of overhead, most of it about a change nobody can see (10,000 → 10,003).
// Topics over Options::large_topic_members are reported when the count moved by at least
// large_topic_step_percent, or else once large_topic_interval_ms has passed since their last
// report; smaller topics on every change. Not thread-safe: used on the presence strand.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <unordered_map>

#include "presence/presence.h"

namespace praktika::presence {

class Throttle {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Throttle(const Options& options)
      : members_(options.large_topic_members),
        interval_(options.large_topic_interval_ms),
        step_percent_(options.large_topic_step_percent) {}

  // `before` was last reported, `now` differs from it. True (and remembered as reported) when
  // it should be reported now; false leaves it for a later round.
  bool due(const std::string& topic, std::int64_t before, std::int64_t now, Clock::time_point at = Clock::now()) {
    if (before < members_ && now < members_) {
      last_.erase(topic);
      return true;
    }
    auto it = last_.find(topic);
    bool moved = std::llabs(now - before) * 100 >= step_percent_ * before;
    bool waited = it == last_.end() || at - it->second >= interval_;
    if (!moved && !waited) return false;
    if (now == 0)
      last_.erase(topic);
    else
      last_[topic] = at;
    return true;
  }

 private:
  const std::int64_t members_;
  const std::chrono::milliseconds interval_;
  const std::int64_t step_percent_;
  std::unordered_map<std::string, Clock::time_point> last_;  // large topics: their last report
};

}  // namespace praktika::presence
