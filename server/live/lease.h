// One owner in the cluster for the alarm's wake-ups: a lease in Redis ("praktika:lease:alarm",
// SET NX PX, renewed every third of its life by the instance that holds it). When the holder
// dies its key expires and another instance takes it within a few seconds. held() is false while
// this instance cannot confirm the lease: a holder cut off from Redis stops firing before the
// key can expire and another take over.
// Thread-safe: held() from any thread; the Redis traffic runs on the client's strand.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/status.h"

namespace boost::asio {
class io_context;
}

namespace praktika::live {

class Lease {
 public:
  // Fails only on a malformed URL. `ttl`: how long the key lives without a renewal.
  static Result<std::unique_ptr<Lease>> create(boost::asio::io_context& io, const std::string& redis_url,
                                               std::string holder, std::chrono::milliseconds ttl);
  ~Lease();
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  bool held() const;
  // Starts taking and renewing; stop() gives the lease back so another takes over at once.
  void start();
  void stop();

  struct State;

 private:
  explicit Lease(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

}  // namespace praktika::live
