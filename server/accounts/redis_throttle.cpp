#include "accounts/redis_throttle.h"

#include <future>
#include <vector>

#include "redis/client.h"

namespace praktika::accounts {
namespace {

// KEYS: account, address, pair (an empty name is skipped). ARGV: now, forgive_after,
// first_delay, max_delay (ms), then the three limits. The rule of LoginThrottle::fail.
constexpr std::string_view kFailScript = R"lua(
local now, forgive, first, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
for i, key in ipairs(KEYS) do
  if key ~= '' then
    local limit = tonumber(ARGV[4 + i])
    local e = redis.call('HMGET', key, 'failures', 'locks', 'last', 'until')
    local failures, locks = tonumber(e[1]) or 0, tonumber(e[2]) or 0
    local last, locked = tonumber(e[3]) or 0, tonumber(e[4]) or 0
    if now - math.max(last, locked) > forgive then failures, locks, locked = 0, 0, 0 end
    failures = failures + 1
    if failures >= limit then
      local delay = first
      for _ = 1, locks do if delay < max then delay = delay * 2 end end
      delay = math.min(delay, max)
      locks, locked, failures = locks + 1, now + delay, limit - 1
    end
    redis.call('HSET', key, 'failures', failures, 'locks', locks, 'last', now, 'until', locked)
    redis.call('PEXPIRE', key, forgive + max)
  end
end
return 1
)lua";

// The latest "until" of the keys, in ms of the system clock (0: none).
constexpr std::string_view kUntilScript = R"lua(
local latest = 0
for _, key in ipairs(KEYS) do
  if key ~= '' then latest = math.max(latest, tonumber(redis.call('HGET', key, 'until') or '0')) end
end
return latest
)lua";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string ms(std::chrono::seconds s) { return std::to_string(std::chrono::milliseconds(s).count()); }

class RedisThrottle final : public SharedThrottle {
 public:
  RedisThrottle(std::unique_ptr<redis::Client> client, ThrottlePolicy policy, std::chrono::milliseconds timeout)
      : client_(std::move(client)), policy_(policy), timeout_(timeout) {}

  std::optional<std::chrono::seconds> retry_after(std::string_view email, std::string_view address) override {
    auto keys = keys_of(email, address);
    std::vector<std::string> argv = {"EVAL", std::string(kUntilScript), "3"};
    argv.insert(argv.end(), keys.begin(), keys.end());
    auto reply = call(std::move(argv));
    if (!reply || reply->kind != redis::Reply::Kind::integer) return std::nullopt;
    std::int64_t left = reply->integer - now_ms();
    if (left <= 0) return std::chrono::seconds(0);
    return std::chrono::ceil<std::chrono::seconds>(std::chrono::milliseconds(left));
  }

  bool record_failure(std::string_view email, std::string_view address) override {
    auto keys = keys_of(email, address);
    std::vector<std::string> argv = {"EVAL", std::string(kFailScript), "3"};
    argv.insert(argv.end(), keys.begin(), keys.end());
    for (auto value : {std::to_string(now_ms()), ms(policy_.forgive_after), ms(policy_.first_delay),
                       ms(policy_.max_delay), std::to_string(policy_.max_failures_per_account),
                       std::to_string(policy_.max_failures_per_address), std::to_string(policy_.max_failures_per_pair)})
      argv.push_back(value);
    auto reply = call(std::move(argv));
    return reply && !reply->is_error();
  }

  bool record_success(std::string_view email, std::string_view address) override {
    if (email.empty()) return true;
    auto keys = keys_of(email, address);
    std::vector<std::string> argv = {"DEL", keys[0]};
    if (!keys[2].empty()) argv.push_back(keys[2]);
    auto reply = call(std::move(argv));
    return reply && !reply->is_error();
  }

 private:
  // Account, address, pair, as LoginThrottle counts them; "" where the call has no such key.
  static std::vector<std::string> keys_of(std::string_view email, std::string_view address_in) {
    const std::string address = throttle_address_key(address_in);
    std::vector<std::string> keys(3);
    if (!email.empty()) keys[0] = "praktika:throttle:account:" + std::string(email);
    if (!address.empty()) {
      keys[1] = "praktika:throttle:address:" + address;
      // A space cannot occur in an address, so no two pairs share a key.
      if (!email.empty()) keys[2] = "praktika:throttle:pair:" + address + " " + std::string(email);
    }
    return keys;
  }

  Result<redis::Reply> call(std::vector<std::string> argv) {
    auto promise = std::make_shared<std::promise<Result<redis::Reply>>>();
    auto answer = promise->get_future();
    client_->command(std::move(argv), [promise](Result<redis::Reply> reply) { promise->set_value(std::move(reply)); });
    if (answer.wait_for(timeout_) != std::future_status::ready)
      return Status::unavailable("redis_unavailable", "Redis недоступен");
    return answer.get();
  }

  const std::unique_ptr<redis::Client> client_;
  const ThrottlePolicy policy_;
  const std::chrono::milliseconds timeout_;
};

}  // namespace

Result<std::shared_ptr<SharedThrottle>> make_redis_throttle(boost::asio::io_context& io, const std::string& redis_url,
                                                            ThrottlePolicy policy, std::chrono::milliseconds timeout) {
  auto client = redis::Client::create(io, redis_url);
  if (!client) return client.status();
  return std::shared_ptr<SharedThrottle>(std::make_shared<RedisThrottle>(std::move(*client), policy, timeout));
}

}  // namespace praktika::accounts
