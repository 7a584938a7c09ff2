// Presence: who is watching which topic now, counted across server instances.
// Owns the membership of this instance's connections and, for the Redis backend, their
// heartbeats in Redis. Called from any thread (connections' strands); every method is
// thread-safe. Count changes are reported through the CountsSink at most once per
// report_interval per topic (large topics less often, see Options), from an io_context thread, one call at a time (never under the
// membership lock, so the sink may call join/leave/count). No call runs or starts after stop()
// or the destructor returned.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"

namespace boost::asio {
class io_context;
}

namespace praktika::presence {

// Called when the number of members of `topic` (over all instances) changed.
using CountsSink = std::function<void(const std::string& topic, std::int64_t count)>;

struct Options {
  // How often counts are recomputed and reported when they changed.
  int report_interval_ms = 1000;
  // A topic with at least this many members is reported less often: when its count moved by
  // large_topic_step_percent since the last report, or else every large_topic_interval_ms.
  std::int64_t large_topic_members = 1000;
  int large_topic_interval_ms = 5000;
  int large_topic_step_percent = 1;
  // How often this instance refreshes its members' heartbeats (Redis backend).
  int heartbeat_interval_ms = 5000;
  // A member whose heartbeat is older than this is no longer counted (a crashed instance).
  int expiry_ms = 15000;
  // Unique per process; prefixes member ids so two instances never collide.
  std::string instance_id;
};

class Presence {
 public:
  virtual ~Presence() = default;

  // `member` is unique within this instance (a connection id). Joining twice is a no-op.
  virtual void join(const std::string& topic, const std::string& member) = 0;
  virtual void leave(const std::string& topic, const std::string& member) = 0;

  // The last known count of `topic` over all instances (the local view while Redis is away).
  // Redis: refreshed every report_interval for topics with local members; a topic without
  // any is counted from the round after it was first asked for (until then: 0), and kept
  // up to date while it is asked for at least every 30 s.
  virtual std::int64_t count(const std::string& topic) const = 0;

  // "memory" or "redis".
  virtual const char* backend() const = 0;
  // False while the backend cannot be reached; the server keeps serving regardless.
  virtual bool healthy() const = 0;

  // Starts timers on the io_context; stop() cancels them and, for Redis, removes this
  // instance's members (waiting up to a second for Redis to confirm, unless called on an
  // io_context thread). Both are called once, from the thread that owns the server.
  // Destroying a Redis presence without stop() leaves its members in Redis until they
  // expire, exactly as a crash would.
  virtual void start() = 0;
  virtual void stop() = 0;
};

std::unique_ptr<Presence> make_memory_presence(boost::asio::io_context& io, Options options, CountsSink sink);

// `redis_url` is "redis://HOST:PORT". Fails only on a malformed URL ("bad_redis_url"): an
// unreachable Redis is retried in the background and reported by healthy(). An empty
// options.instance_id is replaced by "<hostname>-<pid>-<random>".
Result<std::unique_ptr<Presence>> make_redis_presence(boost::asio::io_context& io, const std::string& redis_url,
                                                      Options options, CountsSink sink);

}  // namespace praktika::presence
