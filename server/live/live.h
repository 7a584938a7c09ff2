// The live side's plug-in points: topic families clients may subscribe to over the WebSocket
// ("timeline:{event}", "practice:{event}:{n}", ...) and named WebSocket operations
// ("section.next"). Stage modules register theirs with a Registry while App is being built; the
// registry is read-only once the server starts. Callbacks run on the calling connection's strand:
// they may read or write SQLite briefly (one short transaction) but never wait on the network.
// To push, a module names the topic with live/publisher.h's builders and hands the event to the
// live::Publisher it was given; counts come from presence::Presence.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "common/status.h"

namespace praktika::live {

// Who sent a WebSocket message: the session behind the connection, if any.
struct Caller {
  const accounts::Identity* identity;  // null: nobody signed in
  std::uint64_t connection;  // unique per connection while the process lives
  std::string_view member;   // this connection's id in presence
};

struct TopicFamily {
  // The data of the subscribe reply, or the Status that refuses the subscription. `parts` is the
  // topic split at ':' after the family name.
  std::function<Result<nlohmann::json>(const Caller&, const std::vector<std::string>& parts)> subscribe;
  // Optional: told when a subscriber leaves (unsubscribe or disconnect), e.g. to record attendance.
  std::function<void(const Caller&, const std::vector<std::string>& parts)> left;
  // Optional: the same data as `subscribe`, already serialised, for a family whose reply is one
  // member (`key`) that many subscribers share: it is served from text made once per change
  // instead of being built and serialised for every subscriber of a connection storm. Admits and
  // refuses exactly as `subscribe` does.
  struct StateText {
    std::string key;    // the data's one member, "timeline"
    std::string value;  // its JSON, byte for byte what `subscribe` would serialise
  };
  std::function<Result<StateText>(const Caller&, const std::vector<std::string>& parts)> state_text;
};

// An operation's reply data, or the Status that refuses it. `message` is the whole object the
// client sent (its "op", "id" and the operation's own fields).
using Op = std::function<Result<nlohmann::json>(const Caller&, const nlohmann::json& message)>;

class Registry {
 public:
  virtual ~Registry() = default;
  virtual void add_topic(std::string family, TopicFamily topic) = 0;
  virtual void add_op(std::string name, Op op) = 0;
};

}  // namespace praktika::live
