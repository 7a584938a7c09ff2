// The fan-out of one process: numbers and the kept events live in its TopicLog.
#include <nlohmann/json.hpp>

#include "live/fanout.h"
#include "live/topic_log.h"

namespace praktika::live {
namespace {

class MemoryFanout final : public Fanout {
 public:
  MemoryFanout(hub::Hub& hub, std::size_t keep) : hub_(hub), log_(hub, keep, /*numbers_known=*/true) {}

  void publish(const std::string& topic, std::string_view event, const nlohmann::json& data) override {
    log_.publish_next(topic, event_fragment(event, data));
  }
  void notify(const std::string& topic, std::string_view event, const nlohmann::json& data) override {
    hub_.publish_frame(topic, frame_of(topic, std::nullopt, event_fragment(event, data)));
  }
  std::optional<std::uint64_t> subscribe(const std::string& topic, std::shared_ptr<hub::Subscriber> subscriber,
                                         std::optional<std::uint64_t> since, const nlohmann::json& state) override {
    return log_.subscribe(topic, subscriber, since, &state).last;
  }
  void unsubscribe(const std::string& topic, const hub::Subscriber* subscriber) override {
    hub_.unsubscribe(topic, subscriber);
  }
  const char* backend() const override { return "memory"; }
  bool healthy() const override { return true; }

 private:
  hub::Hub& hub_;
  TopicLog log_;
};

}  // namespace

std::unique_ptr<Fanout> make_memory_fanout(hub::Hub& hub, std::size_t keep) {
  return std::make_unique<MemoryFanout>(hub, keep);
}

}  // namespace praktika::live
