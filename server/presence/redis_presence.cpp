// The Redis backend. Each topic is a sorted set "praktika:presence:{topic}" whose members are
// "<instance_id>:<member>" scored by their expiry instant (ms since the Unix epoch, system
// clock: instances on different hosts must keep their clocks in sync to well under expiry_ms).
// Counting a topic = dropping expired members, then ZCARD. A crashed instance's members
// vanish from the counts once their last heartbeat expires.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <future>
#include <mutex>
#include <random>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>

#include "presence/guarded_sink.h"
#include "presence/membership.h"
#include "presence/presence.h"
#include "presence/throttle.h"
#include "redis/client.h"
#include "common/mutex.h"

namespace praktika::presence {

namespace asio = boost::asio;

namespace {

constexpr std::string_view kKeyPrefix = "praktika:presence:";
// Members per ZADD/ZREM: big enough that 10,000 members are 20 commands, small enough that
// one command does not hold Redis for long.
constexpr std::size_t kChunk = 512;
// Leaves that could not reach Redis, kept to remove on reconnect. Past this, the rest are
// left to expire.
constexpr std::size_t kMaxOrphans = 100'000;
// How long a topic asked about through count() keeps being counted without local members.
constexpr std::chrono::seconds kAskedFor{30};

std::string key_of(const std::string& topic) { return std::string(kKeyPrefix) + topic; }

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string make_instance_id() {
  char host[64] = {};
  ::gethostname(host, sizeof host - 1);
  std::random_device rd;
  return std::string(host) + "-" + std::to_string(::getpid()) + "-" + std::to_string(rd() % 1'000'000);
}

class RedisCore : public std::enable_shared_from_this<RedisCore> {
 public:
  RedisCore(asio::io_context& io, Options options, CountsSink sink)
      : io_(io),
        options_(std::move(options)),
        sink_(std::move(sink)),
        strand_(asio::make_strand(io)),
        heartbeat_timer_(strand_),
        report_timer_(strand_),
        throttle_(options_) {}

  // Separate from the constructor: the client's state callback needs a weak_ptr to us.
  Status connect(const std::string& url) {
    redis::ClientOptions client_options;
    std::weak_ptr<RedisCore> weak = weak_from_this();
    client_options.on_state = [weak](bool up) {
      if (auto self = weak.lock()) asio::post(self->strand_, [self, up] { self->on_state(up); });
    };
    auto client = redis::Client::create(io_, url, std::move(client_options));
    if (!client) return client.status();
    client_ = std::move(*client);
    return Status::ok();
  }

  void join(const std::string& topic, const std::string& member) {
    MutexLock lock(mutex_);
    if (!members_.add(topic, member)) return;
    queue_locked(Op{true, topic, member});
  }

  void leave(const std::string& topic, const std::string& member) {
    MutexLock lock(mutex_);
    if (!members_.remove(topic, member)) return;
    queue_locked(Op{false, topic, member});
  }

  // A topic with no local members is counted in Redis from the next round on, for as long
  // as somebody keeps asking (kAskedFor); until then the answer is the local count.
  std::int64_t count(const std::string& topic) const {
    MutexLock lock(mutex_);
    if (client_ && client_->connected()) {
      asked_[topic] = std::chrono::steady_clock::now();
      if (auto it = global_counts_.find(topic); it != global_counts_.end()) return it->second;
    }
    return members_.count(topic);
  }

  bool healthy() const { return client_ && client_->connected(); }

  void start() {
    asio::post(strand_, [self = shared_from_this()] {
      self->arm_heartbeat();
      self->arm_report();
    });
  }

  // Removes our members (when connected) and closes the client; `done` is set when the
  // removals were answered or could not be sent.
  void stop(std::shared_ptr<std::promise<void>> done) {
    sink_.silence();
    asio::post(strand_, [self = shared_from_this(), done] {
      if (self->stopped_) {
        done->set_value();
        return;
      }
      self->stopped_ = true;
      self->heartbeat_timer_.cancel();
      self->report_timer_.cancel();
      std::vector<Op> all;
      {
        MutexLock lock(self->mutex_);
        self->stopped_flag_ = true;
        for (const auto& [topic, members] : self->members_.topics())
          for (const auto& m : members) all.push_back(Op{false, topic, m});
        // Leaves not flushed yet: their members are no longer in members_.
        for (auto& op : self->pending_)
          if (!op.join) all.push_back(std::move(op));
        self->pending_.clear();
      }
      if (self->client_->connected()) self->send_orphans();
      if (all.empty() || !self->client_->connected()) {
        self->client_->close();
        done->set_value();
        return;
      }
      self->send(all, [self, done] {
        self->client_->close();
        done->set_value();
      });
    });
  }

  // Destroyed without stop(): leave our members to expire, as after a crash.
  void abandon() {
    sink_.silence();
    asio::post(strand_, [self = shared_from_this()] {
      self->stopped_ = true;
      self->heartbeat_timer_.cancel();
      self->report_timer_.cancel();
      self->client_->close();
      MutexLock lock(self->mutex_);
      self->stopped_flag_ = true;
    });
  }

  asio::io_context& io() { return io_; }

 private:
  struct Op {
    bool join;
    std::string topic;
    std::string member;
  };

  void queue_locked(Op op) REQUIRES(mutex_) {
    if (stopped_flag_) return;
    pending_.push_back(std::move(op));
    if (flush_scheduled_) return;
    flush_scheduled_ = true;
    // One flush for all the joins and leaves of this moment: they leave in one write.
    asio::post(strand_, [self = shared_from_this()] { self->flush(); });
  }

  // ---- below: only on strand_ ----

  void flush() {
    std::vector<Op> ops;
    {
      MutexLock lock(mutex_);
      ops.swap(pending_);
      flush_scheduled_ = false;
    }
    if (!stopped_) send(ops, {});
  }

  // Sends ops in order, runs of the same kind and topic folded into one ZADD or ZREM of up to
  // kChunk members. `then` runs after the last reply (or failure). A ZREM that fails is kept
  // as an orphan for the next resync; a failed ZADD needs nothing: resync re-adds every member.
  void send(const std::vector<Op>& ops, std::function<void()> then) {
    const std::string score = std::to_string(now_ms() + options_.expiry_ms);
    const std::string ttl = std::to_string(2 * static_cast<std::int64_t>(options_.expiry_ms));
    std::vector<std::vector<std::string>> commands;
    std::unordered_set<std::string> touched;
    for (std::size_t i = 0; i < ops.size();) {
      const Op& first = ops[i];
      std::vector<std::string> argv{first.join ? "ZADD" : "ZREM", key_of(first.topic)};
      std::size_t n = 0;
      for (; i < ops.size() && n < kChunk && ops[i].join == first.join && ops[i].topic == first.topic; ++i, ++n) {
        if (first.join) argv.push_back(score);
        argv.push_back(options_.instance_id + ":" + ops[i].member);
      }
      if (first.join) touched.insert(first.topic);
      commands.push_back(std::move(argv));
    }
    // The key outlives its last heartbeat by a little, so keys of crashed instances go away.
    for (const auto& topic : touched) commands.push_back({"PEXPIRE", key_of(topic), ttl});

    if (commands.empty()) {
      if (then) then();
      return;
    }
    auto remaining = std::make_shared<std::size_t>(commands.size());
    for (auto& argv : commands) {
      std::vector<std::string> orphans;
      if (argv[0] == "ZREM") orphans.assign(argv.begin() + 2, argv.end());
      std::string key = argv[1];
      client_->command(std::move(argv), [self = shared_from_this(), remaining, then, orphans = std::move(orphans),
                                         key = std::move(key)](Result<redis::Reply> r) {
        // On the client's strand: back to ours.
        asio::post(self->strand_, [self, remaining, then, ok = r.ok(), orphans, key] {
          if (!ok && !orphans.empty()) self->keep_orphans(key, orphans);
          if (--*remaining == 0 && then) then();
        });
      });
    }
  }

  void keep_orphans(const std::string& key, const std::vector<std::string>& redis_members) {
    auto& set = orphans_[key];
    for (const auto& m : redis_members) {
      if (orphan_count_ >= kMaxOrphans) return;
      if (set.insert(m).second) ++orphan_count_;
    }
  }

  void on_state(bool up) {
    if (stopped_) return;
    if (up) {
      {
        MutexLock lock(mutex_);
        global_counts_.clear();
      }
      resync();
    }
  }

  // Removes orphans, then (re-)adds every local member with a fresh expiry. The heartbeat,
  // and the first thing after every (re)connect. Order matters: a member that left while Redis
  // was away and joined again must end up present.
  void resync() {
    send_orphans();
    std::vector<Op> all;
    {
      MutexLock lock(mutex_);
      for (const auto& [topic, members] : members_.topics())
        for (const auto& m : members) all.push_back(Op{true, topic, m});
    }
    send(all, {});
  }

  void send_orphans() {
    for (auto& [key, members] : orphans_) {
      std::vector<std::string> argv{"ZREM", key};
      for (const auto& m : members) {
        argv.push_back(m);
        if (argv.size() == kChunk + 2) {
          client_->command(std::move(argv));
          argv = {"ZREM", key};
        }
      }
      if (argv.size() > 2) client_->command(std::move(argv));
    }
    orphans_.clear();
    orphan_count_ = 0;
  }

  void arm_heartbeat() {
    if (stopped_) return;
    heartbeat_timer_.expires_after(std::chrono::milliseconds(options_.heartbeat_interval_ms));
    heartbeat_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->stopped_) return;
      if (self->client_->connected()) self->resync();
      self->arm_heartbeat();
    });
  }

  void arm_report() {
    if (stopped_) return;
    report_timer_.expires_after(std::chrono::milliseconds(options_.report_interval_ms));
    report_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->stopped_) return;
      self->report();
      self->arm_report();
    });
  }

  // One round: the topics we have members in, and those we last reported non-zero (so that
  // a drop to 0 is seen). A round still waiting for Redis holds back the next one, so a topic
  // is reported at most once per round.
  void report() {
    if (counts_in_flight_ > 0) return;
    std::vector<std::pair<std::string, std::int64_t>> topics;  // with the local count
    {
      MutexLock lock(mutex_);
      for (const auto& [topic, members] : members_.topics())
        topics.emplace_back(topic, static_cast<std::int64_t>(members.size()));
      for (const auto& [topic, n] : last_reported_)
        if (!members_.topics().contains(topic)) topics.emplace_back(topic, 0);
      const auto now = std::chrono::steady_clock::now();
      std::erase_if(asked_, [&](const auto& entry) { return now - entry.second > kAskedFor; });
      for (const auto& [topic, at] : asked_)
        if (!members_.topics().contains(topic) && !last_reported_.contains(topic)) topics.emplace_back(topic, 0);
    }
    if (!client_->connected()) {
      for (const auto& [topic, local] : topics) on_count(topic, local, false);
      return;
    }
    const std::string now = std::to_string(now_ms());
    for (const auto& [topic, local] : topics) {
      ++counts_in_flight_;
      client_->command({"ZREMRANGEBYSCORE", key_of(topic), "-inf", now});
      client_->command({"ZCARD", key_of(topic)},
                       [self = shared_from_this(), topic = topic, local = local](Result<redis::Reply> r) {
                         bool from_redis = r.ok() && r->kind == redis::Reply::Kind::integer;
                         std::int64_t n = from_redis ? r->integer : local;
                         asio::post(self->strand_, [self, topic, n, from_redis] {
                           --self->counts_in_flight_;
                           self->on_count(topic, n, from_redis);
                         });
                       });
    }
  }

  void on_count(const std::string& topic, std::int64_t n, bool from_redis) {
    bool changed = false;
    {
      MutexLock lock(mutex_);
      if (from_redis) {
        if (n == 0)
          global_counts_.erase(topic);
        else
          global_counts_[topic] = n;
      }
      auto it = last_reported_.find(topic);
      std::int64_t before = it == last_reported_.end() ? 0 : it->second;
      // Every round counts every topic again, so a change held back is seen next round.
      if (n != before && throttle_.due(topic, before, n)) {
        changed = true;
        if (n == 0)
          last_reported_.erase(it);
        else
          last_reported_[topic] = n;
      }
    }
    if (changed && !stopped_) sink_(topic, n);
  }

  // Constant after construction (client_ after connect()).
  asio::io_context& io_;
  const Options options_;
  GuardedSink sink_;
  asio::strand<asio::io_context::executor_type> strand_;
  std::unique_ptr<redis::Client> client_;

  // Only on strand_.
  asio::steady_timer heartbeat_timer_;
  asio::steady_timer report_timer_;
  bool stopped_ = false;
  Throttle throttle_;
  std::size_t counts_in_flight_ = 0;
  std::unordered_map<std::string, std::unordered_set<std::string>> orphans_;  // key -> redis members
  std::size_t orphan_count_ = 0;

  // Guarded by mutex_.
  mutable Mutex mutex_;
  Membership members_ GUARDED_BY(mutex_);
  std::vector<Op> pending_ GUARDED_BY(mutex_);
  bool flush_scheduled_ GUARDED_BY(mutex_) = false;
  bool stopped_flag_ GUARDED_BY(mutex_) = false;  // stopped_, as seen by join and leave
  std::unordered_map<std::string, std::int64_t> global_counts_ GUARDED_BY(mutex_);  // from the last round's ZCARDs
  std::unordered_map<std::string, std::int64_t> last_reported_ GUARDED_BY(mutex_);
  mutable std::unordered_map<std::string, std::chrono::steady_clock::time_point> asked_ GUARDED_BY(mutex_);
};

class RedisPresence final : public Presence {
 public:
  explicit RedisPresence(std::shared_ptr<RedisCore> core) : core_(std::move(core)) {}
  ~RedisPresence() override {
    if (!stopped_) core_->abandon();
  }

  void join(const std::string& topic, const std::string& member) override { core_->join(topic, member); }
  void leave(const std::string& topic, const std::string& member) override { core_->leave(topic, member); }
  std::int64_t count(const std::string& topic) const override { return core_->count(topic); }
  const char* backend() const override { return "redis"; }
  bool healthy() const override { return core_->healthy(); }
  void start() override { core_->start(); }

  // Waits (up to a second) for the removals unless called on one of the io_context's threads,
  // where waiting would block the very thread that must send them.
  void stop() override {
    if (stopped_) return;
    stopped_ = true;
    auto done = std::make_shared<std::promise<void>>();
    auto future = done->get_future();
    core_->stop(done);
    if (!core_->io().get_executor().running_in_this_thread() && !core_->io().stopped())
      future.wait_for(std::chrono::seconds(1));
  }

 private:
  std::shared_ptr<RedisCore> core_;
  bool stopped_ = false;  // only on the owner's thread
};

}  // namespace

Result<std::unique_ptr<Presence>> make_redis_presence(asio::io_context& io, const std::string& redis_url,
                                                      Options options, CountsSink sink) {
  options.report_interval_ms = std::max(options.report_interval_ms, 1);
  options.heartbeat_interval_ms = std::max(options.heartbeat_interval_ms, 1);
  options.expiry_ms = std::max(options.expiry_ms, options.heartbeat_interval_ms);
  if (options.instance_id.empty()) options.instance_id = make_instance_id();
  auto core = std::make_shared<RedisCore>(io, std::move(options), std::move(sink));
  if (auto s = core->connect(redis_url); !s) return s;
  return std::unique_ptr<Presence>(std::make_unique<RedisPresence>(std::move(core)));
}

}  // namespace praktika::presence
