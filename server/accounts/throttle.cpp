#include "accounts/throttle.h"

#include <algorithm>

namespace praktika::accounts {
namespace {

// Past this many tracked keys, forgiven entries are dropped on each new failure, so a spray of
// made-up e-mails cannot grow the maps without bound.
constexpr std::size_t kSweepAbove = 10000;

}  // namespace

LoginThrottle::LoginThrottle(ThrottlePolicy policy, SteadyNow now)
    : policy_(policy), now_(now ? std::move(now) : SteadyNow([] { return std::chrono::steady_clock::now(); })) {}

bool LoginThrottle::forgiven(const Entry& e, TimePoint now) const {
  return now - std::max(e.last_failure, e.locked_until) > policy_.forgive_after;
}

std::chrono::seconds LoginThrottle::retry_after(std::string_view email, std::string_view client_key) {
  const TimePoint now = now_();
  std::lock_guard lock(mutex_);
  TimePoint until = now;
  auto consider = [&](const Map& map, std::string_view key) {
    if (key.empty()) return;
    if (auto it = map.find(std::string(key)); it != map.end()) until = std::max(until, it->second.locked_until);
  };
  consider(by_email_, email);
  consider(by_client_, client_key);
  if (until <= now) return std::chrono::seconds(0);
  return std::chrono::ceil<std::chrono::seconds>(until - now);
}

void LoginThrottle::fail(Map& map, std::string_view key, int limit, TimePoint now) {
  if (key.empty()) return;
  if (map.size() > kSweepAbove) sweep(map, now);
  Entry& e = map[std::string(key)];
  if (forgiven(e, now)) e = Entry{};
  e.last_failure = now;
  if (++e.failures < limit) return;
  auto delay = policy_.first_delay;
  for (int i = 0; i < e.locks && delay < policy_.max_delay; ++i) delay *= 2;
  delay = std::min(delay, policy_.max_delay);
  ++e.locks;
  e.locked_until = now + delay;
  // One more failure after the lock ends locks again, for longer.
  e.failures = limit - 1;
}

void LoginThrottle::sweep(Map& map, TimePoint now) {
  std::erase_if(map, [&](const auto& kv) { return forgiven(kv.second, now); });
}

void LoginThrottle::record_failure(std::string_view email, std::string_view client_key) {
  const TimePoint now = now_();
  std::lock_guard lock(mutex_);
  fail(by_email_, email, policy_.max_failures_per_email, now);
  fail(by_client_, client_key, policy_.max_failures_per_client, now);
}

void LoginThrottle::record_success(std::string_view email, std::string_view client_key) {
  std::lock_guard lock(mutex_);
  if (!email.empty()) by_email_.erase(std::string(email));
  if (!client_key.empty()) by_client_.erase(std::string(client_key));
}

}  // namespace praktika::accounts
