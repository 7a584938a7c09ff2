#include "live/lease.h"

#include <atomic>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "redis/client.h"

namespace praktika::live {

namespace asio = boost::asio;
using Steady = std::chrono::steady_clock;

namespace {

constexpr std::string_view kKey = "praktika:lease:alarm";

// Renews only a lease this holder still has; 1 when renewed.
constexpr std::string_view kRenewScript = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
)lua";

constexpr std::string_view kReleaseScript = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua";

}  // namespace

struct Lease::State : std::enable_shared_from_this<Lease::State> {
  State(asio::io_context& io, std::string holder, std::chrono::milliseconds ttl)
      : holder(std::move(holder)), ttl(ttl), timer(asio::make_strand(io)) {}

  // Constant after construction (client set before start()).
  const std::string holder;
  const std::chrono::milliseconds ttl;
  std::unique_ptr<redis::Client> client;

  // Written on the timer's strand (the client's callbacks post there); read from any thread.
  std::atomic<Steady::rep> held_until{0};  // steady ticks; 0: not held

  // Only on the timer's strand.
  asio::steady_timer timer;
  bool holding = false;
  bool stopped = false;

  void tick() {
    if (stopped) return;
    // Counted from before the command: the key cannot outlive what we assume.
    const Steady::time_point asked = Steady::now();
    auto done = [self = shared_from_this(), asked](Result<redis::Reply> reply) {
      asio::post(self->timer.get_executor(), [self, asked, reply = std::move(reply)] { self->answered(asked, reply); });
    };
    if (holding)
      client->command({"EVAL", std::string(kRenewScript), "1", std::string(kKey), holder, std::to_string(ttl.count())},
                      done);
    else
      client->command({"SET", std::string(kKey), holder, "NX", "PX", std::to_string(ttl.count())}, done);
    timer.expires_after(ttl / 3);
    timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->tick();
    });
  }

  void answered(Steady::time_point asked, const Result<redis::Reply>& reply) {
    if (stopped) return;
    bool ok = reply && ((reply->kind == redis::Reply::Kind::status && reply->str == "OK") ||
                        (reply->kind == redis::Reply::Kind::integer && reply->integer == 1));
    if (ok) {
      holding = true;
      // A margin under the key's life, for clocks and the command's way back.
      held_until.store((asked + ttl * 2 / 3).time_since_epoch().count(), std::memory_order_release);
    } else if (reply) {
      // Redis answered: someone else holds it (or ours expired).
      holding = false;
      held_until.store(0, std::memory_order_release);
    }
    // No answer: keep what we had; held() runs out by itself at held_until.
  }
};

Result<std::unique_ptr<Lease>> Lease::create(asio::io_context& io, const std::string& redis_url, std::string holder,
                                             std::chrono::milliseconds ttl) {
  auto state = std::make_shared<State>(io, std::move(holder), ttl);
  auto client = redis::Client::create(io, redis_url);
  if (!client) return client.status();
  state->client = std::move(*client);
  return std::unique_ptr<Lease>(new Lease(std::move(state)));
}

Lease::~Lease() { stop(); }

bool Lease::held() const {
  auto until = state_->held_until.load(std::memory_order_acquire);
  return until != 0 && Steady::now().time_since_epoch().count() < until;
}

void Lease::start() {
  asio::post(state_->timer.get_executor(), [s = state_] { s->tick(); });
}

void Lease::stop() {
  asio::post(state_->timer.get_executor(), [s = state_] {
    if (s->stopped) return;
    s->stopped = true;
    s->timer.cancel();
    s->held_until.store(0, std::memory_order_release);
    if (s->holding)
      s->client->command({"EVAL", std::string(kReleaseScript), "1", std::string(kKey), s->holder},
                         [s](Result<redis::Reply>) { s->client->close(); });
    else
      s->client->close();
  });
}

}  // namespace praktika::live
