// Files over HTTP: content types, validators (ETag, Last-Modified), Range and HEAD. The free
// functions are stateless and callable from any strand; WebRoot owns a cache of the web front
// end's files and is callable from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "net/http_types.h"
#include "common/mutex.h"

namespace praktika::net {

// Bodies of this size or more (a file, a shared body) leave by sendfile() from the page cache,
// without passing through user space; smaller ones are copied into the socket with their head in
// one write. Measured for files of 2, 4, 10 and 100 KB (docs/performance.md, "sendfile() from
// 4 KB"): at 4 KB the copy and the second system call cost the same, above it sendfile() wins.
inline constexpr std::uint64_t kSendfileFrom = 4 * 1024;

// Answers GET/HEAD for a regular file: 200, 206 for a single satisfiable Range, 304 when the
// validators match, 416 for an unsatisfiable Range. The caller has checked access.
Response file_response(const Request& request, const std::filesystem::path& file, const std::string& content_type,
                       const std::string& cache_control);

std::string content_type_for(const std::filesystem::path& file);

// The built web front end: GET/HEAD for a file under the root ("/" → index.html); nullopt when
// the path leaves the root, names no regular file, or the method is another. What each file needs
// is remembered: where the request path leads (resolving it costs a readlink or stat per path
// component), its validators, and for a file smaller than kSendfileFrom its bytes (a larger one
// is kept open). A file the build also left compressed beside it (name.gz, name.br) is sent in
// the coding the client prefers (Accept-Encoding, with Vary and an ETag per coding). A file is
// confirmed to be the one remembered (same inode, size and modification time: a stat() of it and
// its compressed copies) on the first hit after `confirm_every` has passed since the last
// confirmation, so a rebuilt front end is picked up within that time (nginx's
// open_file_cache_valid, 60 s by default), and a hit in between costs no system call.
// Range requests are answered from disk. Thread-safe; owns its cache (guarded by mutex_).
class WebRoot {
 public:
  static constexpr std::chrono::milliseconds kConfirmEvery{1000};
  explicit WebRoot(std::filesystem::path root, std::chrono::milliseconds confirm_every = kConfirmEvery);

  std::optional<Response> serve(const Request& request);

 private:
  struct Entry;
  std::shared_ptr<const Entry> load(const std::string& request_path);

  const std::filesystem::path root_;
  const std::chrono::nanoseconds confirm_every_;
  SharedMutex mutex_;
  // Keyed by the decoded request path. Only files that exist get an entry, so the number is
  // bounded by the web root's content; the limits below guard against a root full of files.
  std::unordered_map<std::string, std::shared_ptr<const Entry>> entries_ GUARDED_BY(mutex_);
  std::size_t kept_bytes_ GUARDED_BY(mutex_) = 0;
  std::size_t kept_descriptors_ GUARDED_BY(mutex_) = 0;
  static constexpr std::size_t kMaxEntries = 4096;
  static constexpr std::size_t kMaxKeptBytes = 32u << 20;
  // Descriptors are the connections' budget too: a root of many large files keeps a few open.
  static constexpr std::size_t kMaxKeptDescriptors = 256;
};

// Bytes kept in memory (a response's shared body: the event's JSON, its gzip copy) kept as well
// in an anonymous file (memfd), so that a large one leaves by sendfile() from the page cache, as
// nginx sends a static file, instead of being copied into the socket on every request: for the
// 50 KB event JSON the copy was a fifth of a request's cost. A body's file lives as long as the
// body does. Thread-safe.
class BodyFiles {
 public:
  // `body`'s bytes in a file made on first use; null when no file could be made (no memfd).
  std::shared_ptr<const OpenFile> file_of(const std::shared_ptr<const std::string>& body);

 private:
  struct Kept {
    std::weak_ptr<const std::string> body;  // expired: the entry is stale (its address may be reused)
    std::shared_ptr<const OpenFile> file;
  };
  void forget_expired() REQUIRES(mutex_);

  Mutex mutex_;
  std::unordered_map<const std::string*, Kept> kept_ GUARDED_BY(mutex_);
  std::size_t swept_at_ GUARDED_BY(mutex_) = 16;  // size at which expired entries are next swept
};

}  // namespace praktika::net
