#include "net/static_files.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <ctime>
#include <chrono>
#include <fstream>
#include <mutex>
#include <system_error>

#include "net/encoding.h"

namespace praktika::net {
namespace {

namespace fs = std::filesystem;

std::string http_date(std::time_t tt) {
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

// With the nanoseconds: a file rewritten at the same size within one second is another file.
std::string etag_for(std::uint64_t size, std::int64_t modified_ns) {
  return "\"" + std::to_string(size) + "-" + std::to_string(modified_ns) + "\"";
}

// The headers every answer about a file carries, 304 included: the response's first fields,
// appended with none to look through for one to replace.
void set_validators(Response& r, const std::string& etag, const std::string& last_modified,
                    const std::string& cache_control) {
  r.headers.emplace_back("ETag", etag);
  r.headers.emplace_back("Last-Modified", last_modified);
  r.headers.emplace_back("Cache-Control", cache_control);
  r.headers.emplace_back("Accept-Ranges", "bytes");
}

// The file a request path names inside `root` ("/" → index.html), or nullopt when the path
// leaves the root, names no regular file, or is malformed.
std::optional<fs::path> resolve(const std::string& path, const fs::path& root) {
  if (path.empty() || path.front() != '/' || path.find('\\') != std::string::npos) return std::nullopt;
  fs::path relative = path == "/" ? fs::path("index.html") : fs::path(path.substr(1));
  for (const auto& part : relative)
    if (part == ".." || part == ".") return std::nullopt;
  std::error_code ec;
  fs::path base = fs::canonical(root, ec);
  if (ec) return std::nullopt;
  fs::path full = fs::weakly_canonical(base / relative, ec);
  if (ec) return std::nullopt;
  auto [root_end, unused] = std::mismatch(base.begin(), base.end(), full.begin(), full.end());
  if (root_end != base.end()) return std::nullopt;
  if (!fs::is_regular_file(full, ec)) return std::nullopt;
  return full;
}

std::string cache_control_for(const std::string& path) {
  // Vite names the bundles under /assets/ by their content's hash: they never change.
  return path.rfind("/assets/", 0) == 0 ? "public, max-age=31536000, immutable" : "no-cache";
}

bool parse_u64(std::string_view s, std::uint64_t& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

// One range of "bytes=a-b" / "bytes=a-" / "bytes=-n". nullopt: ignore the header (several
// ranges or another unit); {size, 0}: unsatisfiable.
std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_range(std::string_view header, std::uint64_t size) {
  constexpr std::string_view kPrefix = "bytes=";
  if (header.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view spec = header.substr(kPrefix.size());
  if (spec.find(',') != std::string_view::npos) return std::nullopt;
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::string_view first = spec.substr(0, dash), last = spec.substr(dash + 1);
  std::uint64_t a = 0, b = 0;
  if (first.empty()) {
    if (!parse_u64(last, b) || b == 0) return std::make_pair(size, std::uint64_t{0});
    if (b > size) b = size;
    return std::make_pair(size - b, b);
  }
  if (!parse_u64(first, a)) return std::nullopt;
  if (a >= size) return std::make_pair(size, std::uint64_t{0});
  if (last.empty()) return std::make_pair(a, size - a);
  if (!parse_u64(last, b) || b < a) return std::nullopt;
  if (b >= size) b = size - 1;
  return std::make_pair(a, b - a + 1);
}

}  // namespace

std::string content_type_for(const fs::path& file) {
  std::string ext = file.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".webmanifest") return "application/manifest+json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".gif") return "image/gif";
  if (ext == ".webp") return "image/webp";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".pdf") return "application/pdf";
  if (ext == ".mp4") return "video/mp4";
  if (ext == ".webm") return "video/webm";
  return "application/octet-stream";
}

Response file_response(const Request& request, const fs::path& file, const std::string& content_type,
                       const std::string& cache_control) {
  std::error_code ec;
  std::uint64_t size = fs::file_size(file, ec);
  auto mtime = fs::last_write_time(file, ec);
  Response r;
  if (ec) {
    r.status = 404;
    return r;
  }
  const auto since_epoch = std::chrono::file_clock::to_sys(mtime).time_since_epoch();
  const auto modified = std::chrono::floor<std::chrono::seconds>(since_epoch);
  std::string etag = etag_for(size, std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count());
  set_validators(r, etag, http_date(static_cast<std::time_t>(modified.count())), cache_control);
  if (request.header("if-none-match") == etag) {
    r.status = 304;
    return r;
  }
  r.set_header("Content-Type", content_type);
  FileBody body{file, 0, size};
  auto range_header = request.header("range");
  if (!range_header.empty()) {
    if (auto range = parse_range(range_header, size)) {
      if (range->second == 0) {
        r.status = 416;
        r.set_header("Content-Range", "bytes */" + std::to_string(size));
        r.headers.erase(std::remove_if(r.headers.begin(), r.headers.end(),
                                       [](const auto& h) { return h.first == "Content-Type"; }),
                        r.headers.end());
        return r;
      }
      r.status = 206;
      body.offset = range->first;
      body.length = range->second;
      r.set_header("Content-Range", "bytes " + std::to_string(body.offset) + "-" +
                                        std::to_string(body.offset + body.length - 1) + "/" + std::to_string(size));
    }
  }
  r.file = body;
  return r;
}

namespace {

// One file as it was when read: what tells a later stat() that it is still the same file, its
// ETag, and its bytes when it is small.
struct Stored {
  fs::path file;
  ino_t inode = 0;
  off_t size = 0;
  timespec modified{};
  std::string etag;
  std::shared_ptr<const std::string> bytes;  // the whole file when it is small, else null
  std::shared_ptr<const OpenFile> descriptor;  // the file open when it is larger (and could be opened)

  bool still_current() const {
    struct stat now {};
    return ::stat(file.c_str(), &now) == 0 && S_ISREG(now.st_mode) && now.st_ino == inode && now.st_size == size &&
           now.st_mtim.tv_sec == modified.tv_sec && now.st_mtim.tv_nsec == modified.tv_nsec;
  }
};

std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool later_or_same(const timespec& a, const timespec& b) {
  return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec >= b.tv_nsec);
}

// The stored file opened, when the descriptor names the same file its identity was taken from
// (not one put in its place since): null otherwise, and the transport opens the path per request.
std::shared_ptr<const OpenFile> open_same(const Stored& stored) {
  const int fd = ::open(stored.file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  auto opened = std::make_shared<const OpenFile>(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_ino != stored.inode || st.st_size != stored.size ||
      st.st_mtim.tv_sec != stored.modified.tv_sec || st.st_mtim.tv_nsec != stored.modified.tv_nsec)
    return nullptr;
  return opened;
}

// Reads `file`'s identity and, when it is small, its bytes (larger: opens it); nullopt when it is
// no regular file.
std::optional<Stored> store(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  Stored stored;
  stored.file = file;
  stored.inode = st.st_ino;
  stored.size = st.st_size;
  stored.modified = st.st_mtim;
  stored.etag = etag_for(static_cast<std::uint64_t>(st.st_size),
                         std::int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec);
  // Smaller than what leaves by sendfile(): kept in memory, written with its head in one write.
  if (static_cast<std::uint64_t>(st.st_size) < kSendfileFrom) {
    std::ifstream in(file, std::ios::binary);
    std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
    // A file written while we read it is not kept: the next request reads it again.
    if (in.read(bytes.data(), st.st_size) && in.peek() == std::char_traits<char>::eof() && stored.still_current())
      stored.bytes = std::make_shared<const std::string>(std::move(bytes));
  } else {
    stored.descriptor = open_same(stored);
  }
  return stored;
}

// The build's precompressed copy of `source` (name.gz, name.br), when there is one at least as
// new as the source: a copy older than its source was left by an earlier build and is ignored.
std::optional<Stored> precompressed(const Stored& source, const char* suffix, Coding coding) {
  auto copy = store(fs::path(source.file.string() + suffix));
  if (!copy || !later_or_same(copy->modified, source.modified)) return std::nullopt;
  copy->etag = coded_etag(copy->etag, coding);
  return copy;
}

}  // namespace

struct WebRoot::Entry {
  Stored identity;
  std::optional<Stored> gzip;
  std::optional<Stored> br;
  std::string last_modified;
  std::string content_type;
  std::string cache_control;
  // steady_clock nanoseconds of the last stat() that found every copy as remembered. Threads that
  // find it stale at once each stat; any of them may store its time.
  mutable std::atomic<std::int64_t> confirmed_at{0};

  bool all_current() const {
    return identity.still_current() && (!gzip || gzip->still_current()) && (!br || br->still_current());
  }

  const Stored& coded(Coding coding) const {
    if (coding == Coding::br && br) return *br;
    if (coding == Coding::gzip && gzip) return *gzip;
    return identity;
  }
  std::size_t kept_bytes() const {
    std::size_t n = 0;
    for (const Stored* s : {&identity, gzip ? &*gzip : nullptr, br ? &*br : nullptr})
      if (s && s->bytes) n += s->bytes->size();
    return n;
  }
  std::size_t kept_descriptors() const {
    std::size_t n = 0;
    for (const Stored* s : {&identity, gzip ? &*gzip : nullptr, br ? &*br : nullptr})
      if (s && s->descriptor) ++n;
    return n;
  }
};

WebRoot::WebRoot(fs::path root, std::chrono::milliseconds confirm_every)
    : root_(std::move(root)), confirm_every_(confirm_every) {}

std::shared_ptr<const WebRoot::Entry> WebRoot::load(const std::string& request_path) {
  const std::int64_t looked_at = steady_now_ns();
  auto full = resolve(request_path, root_);
  if (!full) return nullptr;
  auto identity = store(*full);
  if (!identity) return nullptr;
  auto entry = std::make_shared<Entry>();
  entry->identity = std::move(*identity);
  entry->gzip = precompressed(entry->identity, ".gz", Coding::gzip);
  entry->br = precompressed(entry->identity, ".br", Coding::br);
  entry->last_modified = http_date(entry->identity.modified.tv_sec);
  entry->content_type = content_type_for(*full);
  entry->cache_control = cache_control_for(request_path);
  entry->confirmed_at.store(looked_at, std::memory_order_relaxed);
  return entry;
}

std::optional<Response> WebRoot::serve(const Request& request) {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  std::shared_ptr<const Entry> entry;
  {
    ReaderLock lock(mutex_);
    auto found = entries_.find(request.path);
    if (found != entries_.end()) entry = found->second;
  }
  const auto coding_for = [&request](const Entry& e) {
    return preferred_coding(request.header("accept-encoding"), e.gzip.has_value(), e.br.has_value());
  };
  // A rebuilt front end replaces the source and its compressed copies: all are checked together.
  const auto current = [this](const Entry& e) {
    const std::int64_t now = steady_now_ns();
    if (now - e.confirmed_at.load(std::memory_order_relaxed) < confirm_every_.count()) return true;
    if (!e.all_current()) return false;
    e.confirmed_at.store(now, std::memory_order_relaxed);
    return true;
  };
  if (entry && !current(*entry)) {
    WriterLock lock(mutex_);
    auto found = entries_.find(request.path);
    if (found != entries_.end() && found->second == entry) {
      kept_bytes_ -= entry->kept_bytes();
      kept_descriptors_ -= entry->kept_descriptors();
      entries_.erase(found);
    }
    entry.reset();
  }
  if (!entry) {
    entry = load(request.path);
    if (!entry) return std::nullopt;
    WriterLock lock(mutex_);
    const std::size_t kept = entry->kept_bytes(), descriptors = entry->kept_descriptors();
    if (entries_.size() < kMaxEntries && kept_bytes_ + kept <= kMaxKeptBytes &&
        kept_descriptors_ + descriptors <= kMaxKeptDescriptors && entries_.emplace(request.path, entry).second) {
      kept_bytes_ += kept;
      kept_descriptors_ += descriptors;
    }
  }
  const bool negotiated = entry->gzip || entry->br;
  // A range is of the identity bytes: resuming a download of a coded copy is not worth it here.
  if (!request.header("range").empty()) {
    Response r = file_response(request, entry->identity.file, entry->content_type, entry->cache_control);
    if (negotiated) r.set_header("Vary", "Accept-Encoding");
    return r;
  }
  const Coding coding = coding_for(*entry);
  const Stored& sent = entry->coded(coding);
  Response r;
  r.headers.reserve(12);  // these, the application's security headers and the request id
  set_validators(r, sent.etag, entry->last_modified, entry->cache_control);
  if (negotiated) r.set_header("Vary", "Accept-Encoding");
  if (request.header("if-none-match") == sent.etag) {
    r.status = 304;
    return r;
  }
  r.set_header("Content-Type", entry->content_type);
  if (coding != Coding::identity) r.set_header("Content-Encoding", std::string(coding_name(coding)));
  if (sent.bytes)
    r.shared_body = sent.bytes;
  else if (sent.descriptor)  // no copy of the path (a path copies each of its components)
    r.file = FileBody{{}, 0, static_cast<std::uint64_t>(sent.size), sent.descriptor};
  else
    r.file = FileBody{sent.file, 0, static_cast<std::uint64_t>(sent.size), nullptr};
  return r;
}

namespace {

// An anonymous file holding `bytes`, or null.
std::shared_ptr<const OpenFile> memory_file(std::string_view bytes) {
  const int fd = ::memfd_create("praktika-body", MFD_CLOEXEC);
  if (fd < 0) return nullptr;
  auto file = std::make_shared<const OpenFile>(fd);
  for (std::size_t written = 0; written < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return nullptr;
    written += static_cast<std::size_t>(n);
  }
  return file;
}

}  // namespace

std::shared_ptr<const OpenFile> BodyFiles::file_of(const std::shared_ptr<const std::string>& body) {
  {
    MutexLock lock(mutex_);
    auto found = kept_.find(body.get());
    if (found != kept_.end() && found->second.body.lock() == body) return found->second.file;
  }
  auto file = memory_file(*body);
  if (!file) return nullptr;
  MutexLock lock(mutex_);
  kept_.insert_or_assign(body.get(), Kept{body, file});
  if (kept_.size() >= swept_at_) forget_expired();
  return file;
}

void BodyFiles::forget_expired() {
  std::erase_if(kept_, [](const auto& entry) { return entry.second.body.expired(); });
  swept_at_ = std::max<std::size_t>(16, kept_.size() * 2);
}

}  // namespace praktika::net
