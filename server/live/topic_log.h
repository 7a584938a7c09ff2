// What both fan-outs share: the last number of each topic this instance delivered and the last
// events of each (a contiguous run, so a catch-up from it has no hole), and the one place that
// frames an event — {"topic","seq","event","data"} — for this instance's subscribers. Delivering
// and subscribing take one lock, so a catch-up and a live event never cross.
// Thread-safe; never waits on a subscriber.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <nlohmann/json_fwd.hpp>

#include "common/mutex.h"
#include "hub/hub.h"

namespace praktika::live {

// `"event":…,"data":…`: an event serialised once, before it is numbered.
std::string event_fragment(std::string_view event, const nlohmann::json& data);
// The whole message; without `seq` it carries no number.
hub::Frame frame_of(std::string_view topic, std::optional<std::uint64_t> seq, std::string_view fragment);

class TopicLog {
 public:
  // `numbers_known`: a topic never delivered to stands at 0 (memory) or is unknown (Redis).
  TopicLog(hub::Hub& hub, std::size_t keep, bool numbers_known) : hub_(hub), keep_(keep), numbers_known_(numbers_known) {}

  // Numbers the event itself (memory) and delivers it.
  void publish_next(const std::string& topic, std::string_view fragment);
  // Delivers event `seq` as numbered elsewhere (Redis).
  void deliver(const std::string& topic, std::uint64_t seq, std::string_view fragment);
  // The kept events may have a hole (the feed from Redis dropped): forget them.
  void forget();

  struct Joined {
    std::optional<std::uint64_t> last;  // the topic's last number, if known
    bool caught_up = true;              // false: the events after `since` are not kept here
  };
  // Subscribes and delivers the kept events after `since`. When they are not kept here:
  // with `resync` (memory), delivers a resync event with that state and subscribes; without
  // (Redis), neither subscribes nor delivers, and says so.
  Joined subscribe(const std::string& topic, const std::shared_ptr<hub::Subscriber>& subscriber,
                   std::optional<std::uint64_t> since, const nlohmann::json* resync);

 private:
  struct Topic {
    std::uint64_t last = 0;
    std::deque<std::pair<std::uint64_t, hub::Frame>> kept;  // contiguous numbers, oldest first
  };
  void deliver_locked(const std::string& topic, Topic& t, std::uint64_t seq, std::string_view fragment)
      REQUIRES(mutex_);

  // Constant after construction.
  hub::Hub& hub_;
  const std::size_t keep_;
  const bool numbers_known_;

  Mutex mutex_;
  std::unordered_map<std::string, Topic> topics_ GUARDED_BY(mutex_);
};

}  // namespace praktika::live
