#include "store/reserve.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace praktika::store {
namespace {

constexpr auto kRetryAfter = std::chrono::minutes(1);

}  // namespace

std::optional<std::uint64_t> free_bytes(const std::filesystem::path& path) {
  struct statvfs fs {};
  if (::statvfs(path.c_str(), &fs) != 0) return std::nullopt;
  return static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
}

Reserve::Reserve(std::filesystem::path file, std::uint64_t bytes) : file_(std::move(file)), bytes_(bytes) {
  if (bytes_ == 0) return;
  MutexLock lock(mutex_);
  if (!allocate()) next_attempt_ = std::chrono::steady_clock::now() + kRetryAfter;
}

bool Reserve::allocate() {
  int fd = ::open(file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  int error = fd < 0 ? errno : 0;
  // Blocks really taken, not a sparse file: a full disk must find them to give back.
  if (fd >= 0) error = ::posix_fallocate(fd, 0, static_cast<off_t>(bytes_));
  if (fd >= 0) ::close(fd);
  if (error != 0) {
    ::unlink(file_.c_str());
    std::fprintf(stderr, "store: cannot set aside %llu bytes in %s: %s\n", static_cast<unsigned long long>(bytes_),
                 file_.c_str(), std::strerror(error));
    return false;
  }
  held_.store(true, std::memory_order_release);
  return true;
}

bool Reserve::release() {
  if (bytes_ == 0) return false;
  MutexLock lock(mutex_);
  held_.store(false, std::memory_order_release);
  // Another instance on the same data directory may have given it back already.
  if (::unlink(file_.c_str()) != 0) return false;
  std::fprintf(stderr, "store: the disk is full: gave back the %llu bytes set aside in %s\n",
               static_cast<unsigned long long>(bytes_), file_.c_str());
  return true;
}

void Reserve::refill() {
  if (bytes_ == 0 || held()) return;
  MutexLock lock(mutex_);
  if (held() || std::chrono::steady_clock::now() < next_attempt_) return;
  auto free = free_bytes(file_.parent_path());
  if (!free || *free < 2 * bytes_) return;
  if (!allocate()) next_attempt_ = std::chrono::steady_clock::now() + kRetryAfter;
}

}  // namespace praktika::store
