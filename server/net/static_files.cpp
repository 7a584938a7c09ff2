#include "net/static_files.h"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <chrono>
#include <system_error>

namespace praktika::net {
namespace {

namespace fs = std::filesystem;

std::string http_date(fs::file_time_type t) {
  auto sys = std::chrono::file_clock::to_sys(t);
  std::time_t tt = std::chrono::system_clock::to_time_t(sys);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
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
  auto stamp = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::file_clock::to_sys(mtime).time_since_epoch()).count();
  std::string etag = "\"" + std::to_string(size) + "-" + std::to_string(stamp) + "\"";
  r.set_header("ETag", etag);
  r.set_header("Last-Modified", http_date(mtime));
  r.set_header("Cache-Control", cache_control);
  r.set_header("Accept-Ranges", "bytes");
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

std::optional<Response> serve_static(const Request& request, const fs::path& root) {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  const std::string& path = request.path;
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
  bool hashed = path.rfind("/assets/", 0) == 0;
  return file_response(request, full, content_type_for(full),
                       hashed ? "public, max-age=31536000, immutable" : "no-cache");
}

}  // namespace praktika::net
