#include "accounts/throttle.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace praktika::accounts {
namespace {

// Past this many tracked keys, forgiven entries are dropped on each new failure, so a spray of
// made-up e-mails cannot grow the maps without bound.
constexpr std::size_t kSweepAbove = 10000;

// An IPv6 address counts as its /64: a subscriber (or a LAN) holds a whole /64 and could
// otherwise walk through its addresses to slip under the per-address ceiling.
std::string address_key(std::string_view address) {
  std::string text(address);
  in6_addr v6{};
  if (text.find(':') == std::string::npos || inet_pton(AF_INET6, text.c_str(), &v6) != 1) return text;
  std::memset(v6.s6_addr + 8, 0, 8);
  char out[INET6_ADDRSTRLEN];
  return inet_ntop(AF_INET6, &v6, out, sizeof out) ? std::string(out) + "/64" : text;
}

// NUL cannot occur in an address or in a cleaned e-mail, so no two pairs share a key.
std::string pair_key(std::string_view email, std::string_view address) {
  std::string key(address);
  key += '\0';
  key += email;
  return key;
}

}  // namespace

std::string throttle_address_key(std::string_view address) { return address_key(address); }

LoginThrottle::LoginThrottle(ThrottlePolicy policy, SteadyNow now)
    : policy_(policy), now_(now ? std::move(now) : SteadyNow([] { return std::chrono::steady_clock::now(); })) {}

bool LoginThrottle::forgiven(const Entry& e, TimePoint now) const {
  return now - std::max(e.last_failure, e.locked_until) > policy_.forgive_after;
}

std::chrono::seconds LoginThrottle::retry_after(std::string_view email, std::string_view address_in) {
  const std::string address = address_key(address_in);
  const TimePoint now = now_();
  MutexLock lock(mutex_);
  TimePoint until = now;
  auto consider = [&](const Map& map, const std::string& key) {
    if (auto it = map.find(key); it != map.end()) until = std::max(until, it->second.locked_until);
  };
  if (!email.empty()) consider(by_account_, std::string(email));
  if (!address.empty()) {
    consider(by_address_, address);
    if (!email.empty()) consider(by_pair_, pair_key(email, address));
  }
  if (until <= now) return std::chrono::seconds(0);
  return std::chrono::ceil<std::chrono::seconds>(until - now);
}

void LoginThrottle::fail(Map& map, const std::string& key, int limit, TimePoint now) {
  if (map.size() > kSweepAbove) sweep(map, now);
  Entry& e = map[key];
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

void LoginThrottle::record_failure(std::string_view email, std::string_view address_in) {
  const std::string address = address_key(address_in);
  const TimePoint now = now_();
  MutexLock lock(mutex_);
  if (!email.empty()) fail(by_account_, std::string(email), policy_.max_failures_per_account, now);
  if (address.empty()) return;
  fail(by_address_, address, policy_.max_failures_per_address, now);
  if (!email.empty()) fail(by_pair_, pair_key(email, address), policy_.max_failures_per_pair, now);
}

void LoginThrottle::record_success(std::string_view email, std::string_view address) {
  if (email.empty()) return;
  MutexLock lock(mutex_);
  by_account_.erase(std::string(email));
  if (!address.empty()) by_pair_.erase(pair_key(email, address_key(address)));
}

}  // namespace praktika::accounts
