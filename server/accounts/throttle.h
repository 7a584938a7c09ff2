// Slows down password guessing without letting one person lock out the others behind the same
// address. Failures are counted under three keys, as large identity providers do:
//   - the pair (address, e-mail): one guesser at one account;
//   - the e-mail alone: many addresses at one account (a botnet);
//   - the address alone, with a far higher ceiling: one address at many accounts (credential
//     stuffing). A whole institution may sit behind one NAT or reverse proxy, so below this
//     ceiling the address's failures never stop anyone else; past it, the address is locked for
//     every account, a right password included, until the lock ends.
// A key that reaches its limit is locked for a doubling delay. A right password clears the pair
// and the e-mail but never the address, so logging in to one's own account cannot reset a flood.
// An IPv6 address counts as its /64 (what one subscriber or one LAN holds).
// State is in memory, per process (a restart forgives everyone); with several instances a
// SharedThrottle (redis_throttle.h) counts for all of them beside it. Thread-safe: any thread,
// guarded by mutex_.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include "common/mutex.h"

namespace praktika::accounts {

struct ThrottlePolicy {
  int max_failures_per_pair = 5;
  int max_failures_per_account = 20;
  int max_failures_per_address = 100;
  // Failures accumulate while they come less than `forgive_after` apart (counted from the end of
  // the last lock); a quiet period this long starts the key over.
  std::chrono::seconds forgive_after{std::chrono::minutes(15)};
  std::chrono::seconds first_delay{30};
  std::chrono::seconds max_delay{std::chrono::minutes(15)};
};

// The key an address counts under: itself, or an IPv6 address's /64.
std::string throttle_address_key(std::string_view address);

// The same counts kept where every instance sees them (Redis), by the same policy. Blocks the
// calling worker thread for one round trip at most; an answer it cannot get is nullopt / false,
// and the service then relies on its own LoginThrottle, which it always feeds too.
class SharedThrottle {
 public:
  virtual ~SharedThrottle() = default;
  virtual std::optional<std::chrono::seconds> retry_after(std::string_view email, std::string_view address) = 0;
  virtual bool record_failure(std::string_view email, std::string_view address) = 0;
  virtual bool record_success(std::string_view email, std::string_view address) = 0;
};

class LoginThrottle {
 public:
  using SteadyNow = std::function<std::chrono::steady_clock::time_point()>;

  LoginThrottle(ThrottlePolicy policy, SteadyNow now);

  // Zero when `email` may try from `address` now; else how long until it may, in whole seconds,
  // rounded up: the longest lock of the pair, the e-mail and the address. An empty address
  // (the admin command line) counts under the e-mail only.
  std::chrono::seconds retry_after(std::string_view email, std::string_view address);
  // After a wrong password: one failure under each of the three keys. When a key reaches its
  // limit it is locked for first_delay, and every further failure after a lock locks it again
  // for twice as long, up to max_delay.
  void record_failure(std::string_view email, std::string_view address);
  // After a right password: the pair and the e-mail start over; the address keeps its count.
  void record_success(std::string_view email, std::string_view address);

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Entry {
    int failures = 0;
    int locks = 0;
    TimePoint last_failure{};
    TimePoint locked_until{};
  };
  using Map = std::unordered_map<std::string, Entry>;

  void fail(Map& map, const std::string& key, int limit, TimePoint now);
  bool forgiven(const Entry& e, TimePoint now) const;
  void sweep(Map& map, TimePoint now);

  // Constant after construction.
  const ThrottlePolicy policy_;
  const SteadyNow now_;

  // Guarded by mutex_.
  Mutex mutex_;
  Map by_pair_ GUARDED_BY(mutex_);
  Map by_account_ GUARDED_BY(mutex_);
  Map by_address_ GUARDED_BY(mutex_);
};

}  // namespace praktika::accounts
