// The fan-out across instances. Publishing is one script in Redis: INCR the topic's number, XADD
// the event to the topic's Stream (MAXLEN ~ keep), PUBLISH "topic\nseq\nevent" on one channel.
// Every instance, the publisher too, delivers what the channel brings through its TopicLog, so
// all see one order. A resubscribe whose missed events this instance did not keep reads them
// from the Stream; the connection meanwhile sits behind a CatchUp that holds live events and
// drops any it already gave.
#include <charconv>
#include <map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/mutex.h"
#include "live/fanout.h"
#include "live/topic_log.h"
#include "redis/client.h"

namespace praktika::live {
namespace {

constexpr std::string_view kChannel = "praktika:live";
// A topic nobody published on for a week forgets its number and its events.
constexpr std::string_view kKeepMs = "604800000";

constexpr std::string_view kPublishScript = R"lua(
local seq = redis.call('INCR', KEYS[1])
local added = redis.pcall('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], seq .. '-1', 'e', ARGV[2])
if type(added) == 'table' and added.err then
  redis.call('DEL', KEYS[2])
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], seq .. '-1', 'e', ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('PUBLISH', ARGV[5], ARGV[1] .. '\n' .. seq .. '\n' .. ARGV[2])
return seq
)lua";

constexpr std::string_view kCatchUpScript = R"lua(
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
return {last, redis.call('XRANGE', KEYS[2], ARGV[1] .. '-0', '+', 'COUNT', ARGV[2])}
)lua";

std::string seq_key(const std::string& topic) { return "praktika:live:seq:" + topic; }
std::string log_key(const std::string& topic) { return "praktika:live:log:" + topic; }

std::optional<std::uint64_t> number(std::string_view text) {
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end == text.data()) return std::nullopt;
  return n;
}

// A subscriber's stand-in while its missed events come from Redis: live events wait behind it,
// and afterwards every numbered event at or below the last one given is dropped.
class CatchUp final : public hub::Subscriber {
 public:
  CatchUp(std::shared_ptr<hub::Subscriber> target, std::uint64_t since) : target_(std::move(target)), last_(since) {}

  void deliver(const hub::Frame& frame, hub::Pace pace) override {
    MutexLock lock(mutex_);
    if (!ready_) {
      held_.push_back(frame);
      return;
    }
    pass(frame, pace);
  }

  // The missed events (or one resync), then what was held.
  void finish(const std::vector<hub::Frame>& first) {
    MutexLock lock(mutex_);
    for (const auto& frame : first) pass(frame, hub::Pace::burst);
    for (const auto& frame : held_) pass(frame, hub::Pace::burst);
    held_.clear();
    ready_ = true;
  }
  const hub::Subscriber* target() const { return target_.get(); }

 private:
  void pass(const hub::Frame& frame, hub::Pace pace) REQUIRES(mutex_) {
    if (frame->seq() != 0) {
      if (frame->seq() <= last_) return;
      last_ = frame->seq();
    }
    target_->deliver(frame, pace);
  }

  const std::shared_ptr<hub::Subscriber> target_;
  Mutex mutex_;
  bool ready_ GUARDED_BY(mutex_) = false;
  std::uint64_t last_ GUARDED_BY(mutex_);
  std::vector<hub::Frame> held_ GUARDED_BY(mutex_);
};

// What a catch-up read from Redis says: the events after `since`, or a resync at `last`.
std::vector<hub::Frame> caught_up(const std::string& topic, std::uint64_t since, const Result<redis::Reply>& reply,
                                  std::size_t keep, const std::string& state) {
  auto resync = [&](std::optional<std::uint64_t> at) { return std::vector{frame_of(topic, at, state)}; };
  if (!reply || reply->kind != redis::Reply::Kind::array || reply->elements.size() != 2) return resync(std::nullopt);
  const std::uint64_t last = static_cast<std::uint64_t>(std::max<std::int64_t>(0, reply->elements[0].integer));
  if (since == last) return {};
  if (since > last) return resync(last);
  std::vector<hub::Frame> frames;
  std::uint64_t expected = since + 1;
  for (const auto& entry : reply->elements[1].elements) {
    if (entry.elements.size() != 2 || entry.elements[1].elements.size() != 2) return resync(last);
    auto seq = number(entry.elements[0].str);
    if (!seq || *seq != expected) return resync(last);
    frames.push_back(frame_of(topic, *seq, entry.elements[1].elements[1].str));
    ++expected;
  }
  if (expected != last + 1 || frames.size() > keep) return resync(last);
  return frames;
}

class RedisFanout final : public Fanout {
 public:
  RedisFanout(hub::Hub& hub, std::size_t keep) : hub_(hub), keep_(keep), log_(hub, keep, /*numbers_known=*/false) {}

  Status connect(boost::asio::io_context& io, const std::string& url) {
    auto commands = redis::Client::create(io, url);
    if (!commands) return commands.status();
    commands_ = std::move(*commands);
    redis::ClientOptions feed;
    feed.channel = std::string(kChannel);
    // The numbers kept here may have a hole once the channel dropped; Redis has them all.
    feed.on_state = [this](bool) { log_.forget(); };
    feed.on_message = [this](std::string_view message) { on_message(message); };
    auto client = redis::Client::create(io, url, std::move(feed));
    if (!client) return client.status();
    feed_ = std::move(*client);
    return Status::ok();
  }

  ~RedisFanout() override { stop(); }

  void publish(const std::string& topic, std::string_view event, const nlohmann::json& data) override {
    std::string fragment = event_fragment(event, data);
    commands_->command({"EVAL", std::string(kPublishScript), "2", seq_key(topic), log_key(topic), topic, fragment,
                        std::to_string(keep_), std::string(kKeepMs), std::string(kChannel)},
                       [this, topic, fragment](Result<redis::Reply> reply) {
                         // Redis away: this instance's viewers still see the event, unnumbered.
                         if (!reply || reply->is_error())
                           hub_.publish_frame(topic, frame_of(topic, std::nullopt, fragment));
                       });
  }

  void notify(const std::string& topic, std::string_view event, const nlohmann::json& data) override {
    hub_.publish_frame(topic, frame_of(topic, std::nullopt, event_fragment(event, data)));
  }

  std::optional<std::uint64_t> subscribe(const std::string& topic, std::shared_ptr<hub::Subscriber> subscriber,
                                         std::optional<std::uint64_t> since, const nlohmann::json& state) override {
    auto joined = log_.subscribe(topic, subscriber, since, nullptr);
    if (joined.caught_up) return joined.last;
    auto catch_up = std::make_shared<CatchUp>(subscriber, *since);
    {
      MutexLock lock(mutex_);
      catching_[{topic, subscriber.get()}] = catch_up;
    }
    // Subscribed before the read: whatever Redis numbers after it reaches the CatchUp live.
    hub_.subscribe(topic, catch_up);
    std::string resync = event_fragment("resync", state);
    commands_->command({"EVAL", std::string(kCatchUpScript), "2", seq_key(topic), log_key(topic),
                        std::to_string(*since + 1), std::to_string(keep_ + 1)},
                       [topic, since = *since, catch_up, resync, keep = keep_](Result<redis::Reply> reply) {
                         catch_up->finish(caught_up(topic, since, reply, keep, resync));
                       });
    return joined.last;
  }

  void unsubscribe(const std::string& topic, const hub::Subscriber* subscriber) override {
    std::shared_ptr<CatchUp> stand_in;
    {
      MutexLock lock(mutex_);
      auto found = catching_.find({topic, subscriber});
      if (found != catching_.end()) {
        stand_in = std::move(found->second);
        catching_.erase(found);
      }
    }
    hub_.unsubscribe(topic, stand_in ? stand_in.get() : subscriber);
  }

  const char* backend() const override { return "redis"; }
  bool healthy() const override { return commands_->connected() && feed_->connected(); }
  void stop() override {
    if (commands_) commands_->close();
    if (feed_) feed_->close();
  }

 private:
  // "topic\nseq\nevent": delivered to this instance's subscribers of the topic.
  void on_message(std::string_view message) {
    auto first = message.find('\n');
    auto second = first == std::string_view::npos ? first : message.find('\n', first + 1);
    if (second == std::string_view::npos) return;
    auto seq = number(message.substr(first + 1, second - first - 1));
    if (!seq) return;
    log_.deliver(std::string(message.substr(0, first)), *seq, message.substr(second + 1));
  }

  // Constant after construction (connect() runs before any other call).
  hub::Hub& hub_;
  const std::size_t keep_;
  std::unique_ptr<redis::Client> commands_;
  std::unique_ptr<redis::Client> feed_;

  TopicLog log_;
  Mutex mutex_;
  std::map<std::pair<std::string, const hub::Subscriber*>, std::shared_ptr<CatchUp>> catching_ GUARDED_BY(mutex_);
};

}  // namespace

Result<std::unique_ptr<Fanout>> make_redis_fanout(boost::asio::io_context& io, const std::string& redis_url,
                                                  hub::Hub& hub, std::size_t keep) {
  auto fanout = std::make_unique<RedisFanout>(hub, keep);
  if (auto s = fanout->connect(io, redis_url); !s) return s;
  return std::unique_ptr<Fanout>(std::move(fanout));
}

}  // namespace praktika::live
