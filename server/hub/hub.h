// The live hub: topics and their subscribers. A service publishes an event to a topic once;
// the hub serialises it once, encodes it as a WebSocket frame once (hub/frame.h), and hands
// the same immutable bytes to every subscriber.
// Thread-safe: called from any thread. Owns the topic table (guarded by mutex_); it never
// waits on a subscriber — Subscriber::deliver must not block (connections write without
// blocking, queue the rest and cut off slow readers themselves).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "hub/frame.h"
#include "common/mutex.h"

namespace praktika::hub {

// How a publish stands to the others, as the hub sees them go by. A quiet one came after a pause,
// and so did the one before it: nothing is likely to follow at once, so a subscriber may write it
// straight away. One of a burst started while another ran, right after one ended, or amid a
// stream (publishes less than kStreamInterval apart, whose publisher may stall and then catch
// up): more are coming, and a subscriber may hold it for a moment to write it together with them.
enum class Pace : std::uint8_t { quiet, burst };

class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // Called from any thread, possibly concurrently; must return quickly.
  virtual void deliver(const Frame& frame, Pace pace) = 0;
};

// {"topic":…,"event":…,"data":…} serialised and framed once.
Frame make_event_frame(std::string_view topic, std::string_view event, const nlohmann::json& data);

class Hub {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  // A publish that starts less than this after the previous one ended is of a burst.
  static constexpr std::chrono::milliseconds kQuietGap{1};
  // Publishes that start less than this apart are a stream (see Pace).
  static constexpr std::chrono::milliseconds kStreamInterval{10};

  // `clock` tells the pace of publishes (tests set it).
  explicit Hub(Clock clock = std::chrono::steady_clock::now)
      : clock_(std::move(clock)),
        last_start_((clock_() - kStreamInterval).time_since_epoch().count()),
        last_end_((clock_() - kQuietGap).time_since_epoch().count()) {}
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  // Subscribing twice to one topic is a no-op. Returns whether it was added.
  bool subscribe(const std::string& topic, std::shared_ptr<Subscriber> subscriber);
  bool unsubscribe(const std::string& topic, const Subscriber* subscriber);

  // Returns the number of subscribers the frame was handed to.
  std::size_t publish(const std::string& topic, std::string_view event, const nlohmann::json& data);
  std::size_t publish_frame(const std::string& topic, const Frame& frame);

  std::size_t subscriber_count(const std::string& topic) const;
  std::size_t topic_count() const;
  // Every topic with its subscribers on this instance (a copy, taken under the lock).
  std::vector<std::pair<std::string, std::size_t>> topics() const;

  // Process-wide, since start: publishes, and frames handed to subscribers (one per subscriber
  // per publish; counted once per publish, not per delivery).
  static std::uint64_t publishes();
  static std::uint64_t deliveries();

 private:
  using Snapshot = std::shared_ptr<const std::vector<std::shared_ptr<Subscriber>>>;

  struct Topic {
    std::vector<std::shared_ptr<Subscriber>> members;
    std::unordered_map<const Subscriber*, std::size_t> index;  // position in members
    // Rebuilt lazily by publish after a change, so a burst of joins costs one copy, and a
    // publish holds the lock only to take the pointer.
    Snapshot snapshot;
  };

  // Called around the deliveries of a publish that has subscribers.
  Pace begin_publish();
  void end_publish();

  const Clock clock_;

  // The pace, read and written without mutex_: publishes under way, when the last one started
  // and ended, and the time between the last two starts.
  std::atomic<int> publishing_{0};
  std::atomic<std::chrono::steady_clock::rep> last_start_;
  std::atomic<std::chrono::steady_clock::rep> last_end_;
  std::atomic<std::chrono::steady_clock::rep> last_interval_{
      std::chrono::steady_clock::duration(kStreamInterval).count()};

  // State below is guarded by mutex_.
  mutable Mutex mutex_;
  std::unordered_map<std::string, Topic> topics_ GUARDED_BY(mutex_);
};

}  // namespace praktika::hub
