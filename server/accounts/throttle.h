// Slows down password guessing: counts failed logins per e-mail and per client key (the
// address the lead's HTTP layer passes) and locks a key for a doubling delay after too many.
// State is in memory, per process (a restart forgives everyone; several instances would each
// count alone: move it to Redis then). Thread-safe: any thread, guarded by mutex_.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace praktika::accounts {

struct ThrottlePolicy {
  int max_failures_per_email = 5;
  // Higher than per e-mail: a whole institution often sits behind one NAT address, and
  // colleagues' typos must not lock each other out. Guessing one account is bounded by the e-mail key.
  int max_failures_per_client = 20;
  // Failures accumulate while they come less than `forgive_after` apart (counted from the end of
  // the last lock); a quiet period this long starts the key over.
  std::chrono::seconds forgive_after{std::chrono::minutes(15)};
  std::chrono::seconds first_delay{30};
  std::chrono::seconds max_delay{std::chrono::minutes(15)};
};

class LoginThrottle {
 public:
  using SteadyNow = std::function<std::chrono::steady_clock::time_point()>;

  LoginThrottle(ThrottlePolicy policy, SteadyNow now);

  // Zero when both keys may try now; else how long until they may, in whole seconds, rounded up.
  // An empty key is not counted.
  std::chrono::seconds retry_after(std::string_view email, std::string_view client_key);
  // After a wrong password. When a key reaches its limit it is locked for first_delay, and every
  // further failure after a lock locks it again for twice as long, up to max_delay.
  void record_failure(std::string_view email, std::string_view client_key);
  // After a right password: both keys start over.
  void record_success(std::string_view email, std::string_view client_key);

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Entry {
    int failures = 0;
    int locks = 0;
    TimePoint last_failure{};
    TimePoint locked_until{};
  };
  using Map = std::unordered_map<std::string, Entry>;

  void fail(Map& map, std::string_view key, int limit, TimePoint now);
  bool forgiven(const Entry& e, TimePoint now) const;
  void sweep(Map& map, TimePoint now);

  // Constant after construction.
  const ThrottlePolicy policy_;
  const SteadyNow now_;

  // Guarded by mutex_.
  std::mutex mutex_;
  Map by_email_;
  Map by_client_;
};

}  // namespace praktika::accounts
