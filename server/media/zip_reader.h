// Internal to praktika_media: a read-only view of a zip file (office documents are zips) that
// refuses zip bombs. Entry reads are capped and checked against the compression ratio before
// anything is inflated, and the central directory's entry count is checked before libzip reads it.
// One ZipReader per thread; it owns its libzip handle.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

struct zip;

namespace praktika::media::detail {

inline constexpr std::size_t kMaxZipEntries = 20'000;
inline constexpr std::size_t kMaxXmlBytes = 32u << 20;  // one XML part, inflated
inline constexpr double kMaxCompressionRatio = 200;     // deflate of real XML stays well under 100

class ZipReader {
 public:
  // Errors: "unreadable_file", "not_a_zip", "zip_too_large" (too many entries).
  static Result<ZipReader> open(const std::filesystem::path& path);

  bool has(std::string_view name) const;
  // The entry inflated, at most max_bytes. Errors: "not_found", "zip_too_large", "zip_bomb",
  // "broken_zip".
  Result<std::string> read(std::string_view name, std::size_t max_bytes = kMaxXmlBytes) const;

 private:
  struct Closer {
    void operator()(zip* z) const;
  };
  explicit ZipReader(zip* z) : zip_(z) {}

  std::unique_ptr<zip, Closer> zip_;
};

}  // namespace praktika::media::detail
