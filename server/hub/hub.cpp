#include "hub/hub.h"

#include <algorithm>
#include <atomic>

#include <nlohmann/json.hpp>

namespace praktika::hub {
namespace {

std::atomic<std::uint64_t> g_publishes{0};
std::atomic<std::uint64_t> g_deliveries{0};

}  // namespace

Frame make_event_frame(std::string_view topic, std::string_view event, const nlohmann::json& data) {
  nlohmann::json message = {{"topic", topic}, {"event", event}, {"data", data}};
  return encode_text_frame(message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

bool Hub::subscribe(const std::string& topic, std::shared_ptr<Subscriber> subscriber) {
  MutexLock lock(mutex_);
  Topic& t = topics_[topic];
  auto [it, inserted] = t.index.emplace(subscriber.get(), t.members.size());
  if (!inserted) return false;
  t.members.push_back(std::move(subscriber));
  t.snapshot.reset();
  return true;
}

bool Hub::unsubscribe(const std::string& topic, const Subscriber* subscriber) {
  MutexLock lock(mutex_);
  auto found = topics_.find(topic);
  if (found == topics_.end()) return false;
  Topic& t = found->second;
  auto at = t.index.find(subscriber);
  if (at == t.index.end()) return false;
  std::size_t pos = at->second;
  t.index.erase(at);
  if (pos + 1 != t.members.size()) {
    t.members[pos] = std::move(t.members.back());
    t.index[t.members[pos].get()] = pos;
  }
  t.members.pop_back();
  if (t.members.empty()) {
    topics_.erase(found);
  } else {
    t.snapshot.reset();
  }
  return true;
}

std::size_t Hub::publish(const std::string& topic, std::string_view event, const nlohmann::json& data) {
  return publish_frame(topic, make_event_frame(topic, event, data));
}

std::size_t Hub::publish_frame(const std::string& topic, const Frame& frame) {
  Snapshot snapshot;
  {
    MutexLock lock(mutex_);
    auto found = topics_.find(topic);
    if (found == topics_.end()) return 0;
    Topic& t = found->second;
    if (!t.snapshot) t.snapshot = std::make_shared<const std::vector<std::shared_ptr<Subscriber>>>(t.members);
    snapshot = t.snapshot;
  }
  const Pace pace = begin_publish();
  for (const auto& subscriber : *snapshot) subscriber->deliver(frame, pace);
  end_publish();
  g_publishes.fetch_add(1, std::memory_order_relaxed);
  g_deliveries.fetch_add(snapshot->size(), std::memory_order_relaxed);
  return snapshot->size();
}

Pace Hub::begin_publish() {
  using Duration = std::chrono::steady_clock::duration;
  const auto now = clock_().time_since_epoch().count();
  const auto interval = now - last_start_.exchange(now, std::memory_order_relaxed);
  const auto before = last_interval_.exchange(interval, std::memory_order_relaxed);
  if (publishing_.fetch_add(1, std::memory_order_acq_rel) > 0) return Pace::burst;
  const auto idle = now - last_end_.load(std::memory_order_acquire);
  const bool stream = std::min(interval, before) < Duration(kStreamInterval).count();
  return idle >= Duration(kQuietGap).count() && !stream ? Pace::quiet : Pace::burst;
}

void Hub::end_publish() {
  last_end_.store(clock_().time_since_epoch().count(), std::memory_order_release);
  publishing_.fetch_sub(1, std::memory_order_acq_rel);
}

std::vector<std::pair<std::string, std::size_t>> Hub::topics() const {
  MutexLock lock(mutex_);
  std::vector<std::pair<std::string, std::size_t>> out;
  out.reserve(topics_.size());
  for (const auto& [name, topic] : topics_) out.emplace_back(name, topic.members.size());
  return out;
}

std::uint64_t Hub::publishes() { return g_publishes.load(std::memory_order_relaxed); }
std::uint64_t Hub::deliveries() { return g_deliveries.load(std::memory_order_relaxed); }

std::size_t Hub::subscriber_count(const std::string& topic) const {
  MutexLock lock(mutex_);
  auto found = topics_.find(topic);
  return found == topics_.end() ? 0 : found->second.members.size();
}

std::size_t Hub::topic_count() const {
  MutexLock lock(mutex_);
  return topics_.size();
}

}  // namespace praktika::hub
