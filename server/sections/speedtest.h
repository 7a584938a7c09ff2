// The presenters' pre-flight bandwidth check (Appendix 2 asks for 30 Mbit/s): GET
// /api/speedtest?bytes=N answers N bytes that do not compress (a prefix of one file of
// pseudo-random bytes, made on first use and sent with sendfile), POST /api/speedtest reads a body
// up to its cap and answers its size. Both are public, never cached, and limited per client
// address (requests and bytes per minute), so nobody can make the server send or swallow unbounded
// traffic through them. Thread-safe: routes run on worker threads, POST admission on the
// connection's strand; the throttle is guarded by its mutex, the file by its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"
#include "net/router.h"

namespace praktika::sections {

struct SpeedtestLimits {
  std::uint64_t max_download_bytes = 32ull << 20;  // one GET answers at most this
  std::uint64_t max_upload_bytes = 8ull << 20;     // one POST body at most this (held in memory)
  int requests_per_minute = 20;                    // per client address, GET and POST together
  std::uint64_t bytes_per_minute = 256ull << 20;   // per client address, both directions
};

// Requests and bytes per client address in fixed one-minute windows. Pure apart from the injected
// steady clock; any thread.
class SpeedtestThrottle {
 public:
  using SteadyNow = std::function<std::chrono::steady_clock::time_point()>;
  SpeedtestThrottle(SpeedtestLimits limits, SteadyNow now);

  // Counts one request of `bytes` from `address` and says ok, or 429 speedtest_too_often (with
  // the seconds to wait in details.retry_after) when it would pass either budget; a refused
  // request is not counted.
  Status admit(std::string_view address, std::uint64_t bytes);

 private:
  struct Window {
    std::chrono::steady_clock::time_point start;
    int requests = 0;
    std::uint64_t bytes = 0;
  };

  // Constant after construction.
  const SpeedtestLimits limits_;
  const SteadyNow now_;

  // Guarded by mutex_.
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

// Registers GET and POST /api/speedtest. `scratch_dir` (the data directory's tmp, emptied at each
// start) holds the file the downloads are cut from.
void add_speedtest_routes(net::Router& router, std::filesystem::path scratch_dir, SpeedtestLimits limits = {});

}  // namespace praktika::sections
