// Space set aside on the data directory's disk, so that once the disk is full people can still
// sign in and delete what filled it (both are small database writes). Owned by the Db, which
// gives it back when a write finds the disk full; the transport does the same when a request
// body finds it full. Any thread: transitions are guarded by mutex_.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include "common/mutex.h"

namespace praktika::store {

// The free bytes of the disk holding `path` for an unprivileged writer (statvfs's f_bavail);
// nullopt when it cannot be asked.
std::optional<std::uint64_t> free_bytes(const std::filesystem::path& path);

class Reserve {
 public:
  // Allocates `bytes` (0: no reserve) in `file` now when the disk has room; a file left by an
  // earlier run is reused.
  Reserve(std::filesystem::path file, std::uint64_t bytes);
  Reserve(const Reserve&) = delete;
  Reserve& operator=(const Reserve&) = delete;

  // Gives the space back (removes the file). True when this call freed it, false when it was
  // already given back (by this or another instance on the same data directory).
  bool release();
  // Takes the space again when given back and the disk has room for it twice over, so the next
  // full disk finds it again. Quick while held; a failed attempt waits a minute before the next.
  void refill();
  bool held() const { return held_.load(std::memory_order_acquire); }
  std::uint64_t bytes() const { return bytes_; }

 private:
  bool allocate();  // under mutex_

  // Constant after construction.
  const std::filesystem::path file_;
  const std::uint64_t bytes_;

  std::atomic<bool> held_{false};  // written under mutex_, read without it for the quick path
  // Guarded by mutex_.
  Mutex mutex_;
  std::chrono::steady_clock::time_point next_attempt_ GUARDED_BY(mutex_){};
};

}  // namespace praktika::store
