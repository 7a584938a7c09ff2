// The login throttle's counts in Redis, shared by every instance: one hash per key
// ("praktika:throttle:{pair|account|address}:…": failures, locks, last failure, locked until, in
// ms of the system clock, so instances on several hosts must keep their clocks in step), each
// failure applied by one script so two instances never lose a count. Expires once forgiven.
// Thread-safe; each call blocks its worker thread for one round trip (at most `timeout`).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "accounts/throttle.h"
#include "common/status.h"

namespace boost::asio {
class io_context;
}

namespace praktika::accounts {

// Fails only on a malformed URL.
Result<std::shared_ptr<SharedThrottle>> make_redis_throttle(boost::asio::io_context& io, const std::string& redis_url,
                                                            ThrottlePolicy policy,
                                                            std::chrono::milliseconds timeout = std::chrono::milliseconds(500));

}  // namespace praktika::accounts
