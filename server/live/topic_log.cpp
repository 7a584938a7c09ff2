#include "live/topic_log.h"

#include <nlohmann/json.hpp>

namespace praktika::live {
namespace {

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace

std::string event_fragment(std::string_view event, const nlohmann::json& data) {
  return "\"event\":" + dump(event) + ",\"data\":" + dump(data);
}

hub::Frame frame_of(std::string_view topic, std::optional<std::uint64_t> seq, std::string_view fragment) {
  std::string message = "{\"topic\":" + dump(topic) + ",";
  if (seq) message += "\"seq\":" + std::to_string(*seq) + ",";
  message.append(fragment);
  message += "}";
  return hub::encode_text_frame(message, seq.value_or(0));
}

void TopicLog::publish_next(const std::string& topic, std::string_view fragment) {
  MutexLock lock(mutex_);
  Topic& t = topics_[topic];
  deliver_locked(topic, t, t.last + 1, fragment);
}

void TopicLog::deliver(const std::string& topic, std::uint64_t seq, std::string_view fragment) {
  MutexLock lock(mutex_);
  deliver_locked(topic, topics_[topic], seq, fragment);
}

void TopicLog::deliver_locked(const std::string& topic, Topic& t, std::uint64_t seq, std::string_view fragment) {
  hub::Frame frame = frame_of(topic, seq, fragment);
  // A number that does not follow the last one (missed while Redis was away, or Redis started
  // its numbers again) starts a new run: a catch-up must never step over a hole.
  if (!t.kept.empty() && t.kept.back().first + 1 != seq) t.kept.clear();
  t.kept.emplace_back(seq, frame);
  while (t.kept.size() > keep_) t.kept.pop_front();
  t.last = seq;
  hub_.publish_frame(topic, frame);
}

void TopicLog::forget() {
  MutexLock lock(mutex_);
  topics_.clear();
}

TopicLog::Joined TopicLog::subscribe(const std::string& topic, const std::shared_ptr<hub::Subscriber>& subscriber,
                                     std::optional<std::uint64_t> since, const nlohmann::json* resync) {
  MutexLock lock(mutex_);
  auto found = topics_.find(topic);
  Joined joined;
  if (found != topics_.end()) joined.last = found->second.last;
  else if (numbers_known_) joined.last = 0;
  if (since && joined.last != since) {
    const bool kept = joined.last && *since < *joined.last && found != topics_.end() &&
                      !found->second.kept.empty() && found->second.kept.front().first <= *since + 1;
    if (kept) {
      hub_.subscribe(topic, subscriber);
      for (const auto& [seq, frame] : found->second.kept)
        if (seq > *since) subscriber->deliver(frame, hub::Pace::burst);
      return joined;
    }
    if (!resync) {
      joined.caught_up = false;
      return joined;
    }
    subscriber->deliver(frame_of(topic, joined.last, event_fragment("resync", *resync)), hub::Pace::quiet);
  }
  hub_.subscribe(topic, subscriber);
  return joined;
}

}  // namespace praktika::live
