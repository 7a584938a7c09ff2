// The in-memory backend: counts are this instance's members; nothing crosses processes.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "presence/guarded_sink.h"
#include "presence/membership.h"
#include "presence/presence.h"
#include "presence/throttle.h"
#include "common/mutex.h"

namespace praktika::presence {

namespace asio = boost::asio;

namespace {

// Outlives the MemoryPresence while a timer completion is queued.
class MemoryCore : public std::enable_shared_from_this<MemoryCore> {
 public:
  MemoryCore(asio::io_context& io, Options options, CountsSink sink)
      : options_(std::move(options)),
        sink_(std::move(sink)),
        strand_(asio::make_strand(io)),
        timer_(strand_),
        throttle_(options_) {}

  void join(const std::string& topic, const std::string& member) {
    MutexLock lock(mutex_);
    if (members_.add(topic, member)) dirty_.insert(topic);
  }

  void leave(const std::string& topic, const std::string& member) {
    MutexLock lock(mutex_);
    if (members_.remove(topic, member)) dirty_.insert(topic);
  }

  std::int64_t count(const std::string& topic) const {
    MutexLock lock(mutex_);
    return members_.count(topic);
  }

  void start() {
    asio::post(strand_, [self = shared_from_this()] { self->arm(); });
  }

  void stop() {
    sink_.silence();
    asio::post(strand_, [self = shared_from_this()] {
      self->stopped_ = true;
      self->timer_.cancel();
    });
  }

 private:
  void arm() {
    if (stopped_) return;
    timer_.expires_after(std::chrono::milliseconds(options_.report_interval_ms));
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->stopped_) return;
      self->report();
      self->arm();
    });
  }

  // Reports each topic whose count differs from what was last reported; a topic is looked at
  // only when a join or leave touched it since the last round. A large topic the throttle
  // holds back stays dirty for the next round.
  void report() {
    std::vector<std::pair<std::string, std::int64_t>> changed;
    {
      MutexLock lock(mutex_);
      std::unordered_set<std::string> held;
      for (const auto& topic : dirty_) {
        std::int64_t now = members_.count(topic);
        auto it = last_reported_.find(topic);
        std::int64_t before = it == last_reported_.end() ? 0 : it->second;
        if (now == before) continue;
        if (!throttle_.due(topic, before, now)) {
          held.insert(topic);
          continue;
        }
        changed.emplace_back(topic, now);
        if (now == 0)
          last_reported_.erase(it);
        else
          last_reported_[topic] = now;
      }
      dirty_.swap(held);
    }
    for (const auto& [topic, n] : changed) sink_(topic, n);
  }

  // Constant after construction.
  const Options options_;
  GuardedSink sink_;
  asio::strand<asio::io_context::executor_type> strand_;

  // Only on strand_.
  asio::steady_timer timer_;
  bool stopped_ = false;
  Throttle throttle_;

  // Guarded by mutex_.
  mutable Mutex mutex_;
  Membership members_ GUARDED_BY(mutex_);
  std::unordered_set<std::string> dirty_ GUARDED_BY(mutex_);
  std::unordered_map<std::string, std::int64_t> last_reported_ GUARDED_BY(mutex_);
};

class MemoryPresence final : public Presence {
 public:
  explicit MemoryPresence(std::shared_ptr<MemoryCore> core) : core_(std::move(core)) {}
  ~MemoryPresence() override { core_->stop(); }

  void join(const std::string& topic, const std::string& member) override { core_->join(topic, member); }
  void leave(const std::string& topic, const std::string& member) override { core_->leave(topic, member); }
  std::int64_t count(const std::string& topic) const override { return core_->count(topic); }
  const char* backend() const override { return "memory"; }
  bool healthy() const override { return true; }
  void start() override { core_->start(); }
  void stop() override { core_->stop(); }

 private:
  std::shared_ptr<MemoryCore> core_;
};

}  // namespace

std::unique_ptr<Presence> make_memory_presence(asio::io_context& io, Options options, CountsSink sink) {
  options.report_interval_ms = std::max(options.report_interval_ms, 1);
  return std::make_unique<MemoryPresence>(std::make_shared<MemoryCore>(io, std::move(options), std::move(sink)));
}

}  // namespace praktika::presence
