// The live side's delivery: the Publisher every module pushes through, and the subscriptions of
// this instance's connections to numbered topics. Every event published on a topic takes the
// topic's next sequence number ("seq", from 1) and is kept for a while (the last `keep` of each
// topic), so a client that resubscribes with the last number it saw gets what it missed, each
// event once, or, when that is no longer kept, one "resync" event carrying the topic's state.
//   memory: one process; numbers and the kept events live in it (a restart starts them again).
//   redis:  every instance; an event is numbered by Redis (INCR), kept in a bounded Stream per
//           topic (XADD … MAXLEN ~ keep) and sent to all instances on one PUB/SUB channel, each
//           of which frames it once for its own subscribers.
// Thread-safe: any thread. Delivery never waits on a subscriber (hub/hub.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/status.h"
#include "hub/hub.h"
#include "live/publisher.h"

namespace boost::asio {
class io_context;
}

namespace praktika::live {

class Fanout : public Publisher {
 public:
  // Subscribes `subscriber` to `topic`. With `since`, first delivers the events numbered after
  // it, or a resync event whose data is `state` when they are gone (or the numbers started
  // again); the events that follow come after them, none twice. Returns the topic's last number
  // as this instance knows it (nullopt: not known here yet).
  virtual std::optional<std::uint64_t> subscribe(const std::string& topic, std::shared_ptr<hub::Subscriber> subscriber,
                                                 std::optional<std::uint64_t> since,
                                                 const nlohmann::json& state) = 0;
  virtual void unsubscribe(const std::string& topic, const hub::Subscriber* subscriber) = 0;

  virtual const char* backend() const = 0;  // "memory" or "redis"
  virtual bool healthy() const = 0;         // false while Redis cannot be reached
  // Closes the Redis connections; called once by main's thread after the server stopped.
  virtual void stop() {}
};

std::unique_ptr<Fanout> make_memory_fanout(hub::Hub& hub, std::size_t keep);
// Fails only on a malformed URL; an unreachable Redis is retried in the background. While it is
// away, events reach this instance's subscribers only, unnumbered.
Result<std::unique_ptr<Fanout>> make_redis_fanout(boost::asio::io_context& io, const std::string& redis_url,
                                                  hub::Hub& hub, std::size_t keep);

}  // namespace praktika::live
