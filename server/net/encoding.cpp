#include "net/encoding.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <memory>
#include <mutex>

#include "common/trim.h"

namespace praktika::net {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The q of one "coding;q=0.5" entry: 1 without a q, 0 for one that does not parse.
double quality(std::string_view params) {
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view param = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (param.size() < 2 || !iequals(param.substr(0, 2), "q=")) continue;
    std::string_view value = trim(param.substr(2));
    double q = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), q);
    if (ec != std::errc{} || end != value.data() + value.size() || q < 0 || q > 1) return 0;
    return q;
  }
  return 1;
}

// The q the header gives `coding` (its own entry, else "*"), or nullopt when it names neither.
std::optional<double> quality_of(std::string_view header, std::string_view coding, std::string_view alias = {}) {
  std::optional<double> star;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view entry = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    size_t semi = entry.find(';');
    std::string_view name = trim(entry.substr(0, semi));
    std::string_view params = semi == std::string_view::npos ? std::string_view() : entry.substr(semi + 1);
    if (iequals(name, coding) || (!alias.empty() && iequals(name, alias))) return quality(params);
    if (name == "*") star = quality(params);
  }
  return star;
}

bool compressible_type(std::string_view type) {
  // Images, video, fonts and archives are compressed by their own format: gzip only costs CPU.
  return type.starts_with("application/json") || type.starts_with("text/") || type.starts_with("image/svg+xml") ||
         type.starts_with("application/javascript");
}

std::string_view header_of(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers)
    if (iequals(key, name)) return value;
  return {};
}

void add_vary(Response& response) {
  for (auto& [key, value] : response.headers)
    if (iequals(key, "Vary")) {
      if (value.find("Accept-Encoding") == std::string::npos) value += ", Accept-Encoding";
      return;
    }
  response.headers.emplace_back("Vary", "Accept-Encoding");
}

// The event's JSON is one shared body sent to every viewer: it is compressed once per version,
// not once per request. A few slots suffice (one per event, plus the next version while the
// last is still in flight); a slot whose body is gone is free.
class SharedBodyCache {
 public:
  std::shared_ptr<const std::string> gzip_of(const std::shared_ptr<const std::string>& body) {
    {
      std::lock_guard lock(mutex_);
      for (const auto& slot : slots_)
        if (slot.source.lock() == body) return slot.gzipped;
    }
    auto gzipped = gzip_bytes(*body);
    if (!gzipped) return nullptr;
    auto shared = std::make_shared<const std::string>(std::move(*gzipped));
    std::lock_guard lock(mutex_);
    auto& slot = *std::min_element(slots_.begin(), slots_.end(), [](const Slot& a, const Slot& b) {
      return a.source.expired() > b.source.expired() || (a.source.expired() == b.source.expired() && a.used < b.used);
    });
    slot = Slot{body, shared, ++clock_};
    return shared;
  }

 private:
  struct Slot {
    std::weak_ptr<const std::string> source;
    std::shared_ptr<const std::string> gzipped;
    std::uint64_t used = 0;
  };
  std::mutex mutex_;
  std::array<Slot, 16> slots_;  // guarded by mutex_
  std::uint64_t clock_ = 0;     // guarded by mutex_
};

}  // namespace

Coding preferred_coding(std::string_view accept_encoding, bool gzip_available, bool br_available) {
  if (trim(accept_encoding).empty()) return Coding::identity;
  double best = quality_of(accept_encoding, "identity").value_or(0.001);
  if (best == 0) best = 0.0005;  // identity refused but nothing else fits: send it all the same
  Coding chosen = Coding::identity;
  if (gzip_available) {
    double q = quality_of(accept_encoding, "gzip", "x-gzip").value_or(0);
    if (q > 0 && q >= best) best = q, chosen = Coding::gzip;
  }
  if (br_available) {
    double q = quality_of(accept_encoding, "br").value_or(0);
    if (q > 0 && q >= best) chosen = Coding::br;
  }
  return chosen;
}

std::string_view coding_name(Coding coding) {
  switch (coding) {
    case Coding::gzip: return "gzip";
    case Coding::br: return "br";
    case Coding::identity: break;
  }
  return "";
}

std::string coded_etag(std::string_view etag, Coding coding) {
  if (coding == Coding::identity || etag.size() < 2 || etag.back() != '"') return std::string(etag);
  std::string out(etag.substr(0, etag.size() - 1));
  out += '-';
  out += coding_name(coding);
  out += '"';
  return out;
}

std::optional<std::string> gzip_bytes(std::string_view bytes) {
  z_stream stream{};
  // 15 window bits + 16: a gzip header and trailer instead of zlib's. Level 6 is zlib's default
  // and within a few per cent of 9 on JSON at a third of the time.
  if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return std::nullopt;
  std::string out(deflateBound(&stream, static_cast<uLong>(bytes.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) return std::nullopt;
  return out;
}

void compress_answer(const Request& request, Response& response) {
  if (response.file || response.status < 200 || response.status == 204 || response.status == 206 ||
      response.status == 304)
    return;
  if (!header_of(response, "Content-Encoding").empty() || !compressible_type(header_of(response, "Content-Type")))
    return;
  const std::size_t length = response.shared_body ? response.shared_body->size() : response.body.size();
  if (length < kCompressFromBytes) return;
  add_vary(response);
  if (preferred_coding(request.header("accept-encoding"), true, false) != Coding::gzip) return;
  const std::string etag = coded_etag(header_of(response, "ETag"), Coding::gzip);
  // The handler compared If-None-Match with the identity ETag; the client holds the gzip one.
  if (!header_of(response, "ETag").empty() && request.header("if-none-match") == etag) {
    response.status = 304;
    response.body.clear();
    response.shared_body.reset();
  } else if (response.shared_body) {
    static SharedBodyCache cache;
    auto gzipped = cache.gzip_of(response.shared_body);
    if (!gzipped) return;
    response.shared_body = std::move(gzipped);
  } else {
    auto gzipped = gzip_bytes(response.body);
    if (!gzipped) return;
    response.body = std::move(*gzipped);
  }
  for (auto& [key, value] : response.headers)
    if (iequals(key, "ETag")) value = etag;
  if (response.status == 304) return;
  response.headers.emplace_back("Content-Encoding", "gzip");
}

}  // namespace praktika::net
