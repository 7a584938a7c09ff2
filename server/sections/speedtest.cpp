#include "sections/speedtest.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/http.h"

namespace praktika::sections {
namespace {

constexpr auto kWindow = std::chrono::minutes(1);
// Above this many addresses a request first drops the windows that have ended.
constexpr std::size_t kSweepAbove = 1024;

std::string megabytes(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " МБ"; }

Status bad_size(const SpeedtestLimits& limits) {
  return Status::bad_request("speedtest_bad_size", "Укажите размер ответа в байтах: целое число от 1 до " +
                                                       std::to_string(limits.max_download_bytes) + ".");
}

Status download_too_large(const SpeedtestLimits& limits) {
  return Status::too_large("speedtest_too_large",
                           "Проверка скорости загружает не больше " + megabytes(limits.max_download_bytes) + " за раз.");
}

Status upload_too_large(const SpeedtestLimits& limits) {
  return Status::too_large("speedtest_too_large",
                           "Проверка скорости отправляет не больше " + megabytes(limits.max_upload_bytes) + " за раз.");
}

// "bytes" of the query: a positive decimal integer, else nullopt; values above the cap are kept
// (to be refused as too large, not as malformed).
std::optional<std::uint64_t> parse_bytes(std::string_view text) {
  std::uint64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec == std::errc::result_out_of_range) return UINT64_MAX;
  if (ec != std::errc{} || p != text.data() + text.size() || n == 0) return std::nullopt;
  return n;
}

net::Response no_store(net::Response r) {
  r.set_header("Cache-Control", "no-store");
  return r;
}

net::Response refusal(const Status& status) {
  auto r = api::error_response(status);
  if (const auto* details = status.details(); details && details->contains("retry_after"))
    r.set_header("Retry-After", std::to_string(details->at("retry_after").get<long>()));
  return no_store(std::move(r));
}

// The bytes every download is a prefix of: made once per process, pseudo-random so that no
// compressing proxy on the way makes the link look faster than it is.
class NoiseFile {
 public:
  NoiseFile(std::filesystem::path path, std::uint64_t size) : path_(std::move(path)), size_(size) {}

  Result<std::filesystem::path> get() {
    std::lock_guard lock(mutex_);
    if (ready_) return path_;
    if (auto s = write(); !s) return s;
    ready_ = true;
    return path_;
  }

 private:
  Status write() {
    auto part = path_;
    part += ".part";
    {
      std::ofstream out(part, std::ios::binary | std::ios::trunc);
      std::vector<std::uint64_t> chunk(1 << 17);  // 1 MiB
      std::uint64_t state = 0x9e3779b97f4a7c15ull;
      for (std::uint64_t written = 0; out && written < size_; written += chunk.size() * 8) {
        for (auto& word : chunk) {  // splitmix64
          std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
          z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
          z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
          word = z ^ (z >> 31);
        }
        auto n = std::min<std::uint64_t>(chunk.size() * 8, size_ - written);
        out.write(reinterpret_cast<const char*>(chunk.data()), static_cast<std::streamsize>(n));
      }
      out.flush();
      if (!out) {
        std::error_code ec;
        std::filesystem::remove(part, ec);
        return Status::unavailable("speedtest_unavailable", "Проверка скорости сейчас недоступна: повторите позже.");
      }
    }
    std::error_code ec;
    std::filesystem::rename(part, path_, ec);
    if (ec) return Status::unavailable("speedtest_unavailable", "Проверка скорости сейчас недоступна: повторите позже.");
    return Status::ok();
  }

  // Constant after construction.
  const std::filesystem::path path_;
  const std::uint64_t size_;

  // Guarded by mutex_ (held while the file is written, so the first downloads wait for it).
  std::mutex mutex_;
  bool ready_ = false;
};

}  // namespace

SpeedtestThrottle::SpeedtestThrottle(SpeedtestLimits limits, SteadyNow now) : limits_(limits), now_(std::move(now)) {}

Status SpeedtestThrottle::admit(std::string_view address, std::uint64_t bytes) {
  const auto now = now_();
  std::lock_guard lock(mutex_);
  if (windows_.size() > kSweepAbove)
    std::erase_if(windows_, [&](const auto& entry) { return now - entry.second.start >= kWindow; });
  auto& w = windows_[std::string(address)];
  if (w.requests == 0 || now - w.start >= kWindow) w = Window{now, 0, 0};
  if (w.requests + 1 > limits_.requests_per_minute || w.bytes + bytes > limits_.bytes_per_minute) {
    auto wait = std::chrono::ceil<std::chrono::seconds>(w.start + kWindow - now).count();
    wait = std::max<long>(1, static_cast<long>(wait));
    return Status::too_many("speedtest_too_often", "Слишком много проверок скорости подряд с вашего адреса. Повторите через " +
                                                       std::to_string(wait) + " с.")
        .with_details({{"retry_after", wait}});
  }
  ++w.requests;
  w.bytes += bytes;
  return Status::ok();
}

void add_speedtest_routes(net::Router& router, std::filesystem::path scratch_dir, SpeedtestLimits limits) {
  auto throttle = std::make_shared<SpeedtestThrottle>(limits, [] { return std::chrono::steady_clock::now(); });
  auto noise = std::make_shared<NoiseFile>(scratch_dir / "speedtest.bin", limits.max_download_bytes);

  router.add("GET", "/api/speedtest", [throttle, noise, limits](const net::Request& req, const net::PathParams&) {
    auto text = req.query_param("bytes");
    auto bytes = text ? parse_bytes(*text) : std::nullopt;
    if (!bytes) return refusal(bad_size(limits));
    if (*bytes > limits.max_download_bytes) return refusal(download_too_large(limits));
    if (auto s = throttle->admit(req.client_address, *bytes); !s) return refusal(s);
    auto file = noise->get();
    if (!file) return refusal(file.status());
    net::Response r;
    r.set_header("Content-Type", "application/octet-stream");
    r.file = net::FileBody{*file, 0, *bytes};
    return no_store(std::move(r));
  });

  // Refused from the header, before a byte of the body is read: too large by its Content-Length,
  // or too often. A body without a length is cut at the cap by the transport.
  net::BodyRule upload;
  upload.prepare = [throttle, limits](const net::Request& head, const net::PathParams&) {
    net::BodyPolicy policy;
    policy.limit = limits.max_upload_bytes;
    std::uint64_t declared = 0;
    if (auto length = head.header("content-length"); !length.empty()) {
      auto [p, ec] = std::from_chars(length.data(), length.data() + length.size(), declared);
      if (ec != std::errc{} || p != length.data() + length.size()) declared = UINT64_MAX;
    }
    if (declared > limits.max_upload_bytes) {
      policy.refuse = refusal(upload_too_large(limits));
    } else if (auto s = throttle->admit(head.client_address, declared); !s) {
      policy.refuse = refusal(s);
    }
    return policy;
  };
  router.add(
      "POST", "/api/speedtest",
      [](const net::Request& req, const net::PathParams&) {
        return no_store(api::json_response(200, {{"bytes", req.body.size()}}));
      },
      std::move(upload));
}

}  // namespace praktika::sections
